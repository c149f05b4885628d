"""Headers that tell the browser what a BoneCare page may do: Content-Security-Policy and Permissions-Policy.

Both middlewares sit before StoredAnswerMiddleware in settings.MIDDLEWARE, so
stored API answers (which return before every later middleware) carry them too.
"""

import re

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the policy chosen by path.

    CONTENT_SECURITY_POLICY is the policy for everything else (the API's JSON:
    nothing may load, nothing may frame it). BONECARE_CSP_BY_PATH gives the
    HTML pages for people (API docs, admin) exactly what they need. A view's
    own csp_* decorator still wins.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None:
            directives = policy_for_path(request.path_info)
            if directives is not None:
                parts.config = default_config(directives)
        return parts


def policy_for_path(path):
    """The first BONECARE_CSP_BY_PATH entry whose pattern matches (re caches the compiled patterns)."""
    for pattern, directives in settings.BONECARE_CSP_BY_PATH:
        if re.match(pattern, path):
            return directives
    return None


class PermissionsPolicyMiddleware:
    """Permissions-Policy on every response: no page of ours uses the camera, microphone, location and the like."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(f"{feature}=()" for feature in settings.BONECARE_PERMISSIONS_POLICY_DENY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response
