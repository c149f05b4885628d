"""Headers that tell the browser what a BoneCare page may do: Content-Security-Policy and Permissions-Policy.

Both middlewares sit before StoredAnswerMiddleware in settings.MIDDLEWARE, so
stored API answers (which return before every later middleware) carry them too.
"""

import re
from functools import lru_cache

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy, default_config
from django.conf import settings
from django.test.signals import setting_changed
from django.dispatch import receiver

# What a view's csp_* decorators set on its response; any of them means django-csp builds that response's policy.
PER_RESPONSE_POLICY = (
    "_csp_config", "_csp_update", "_csp_replace", "_csp_exempt",
    "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro", "_csp_exempt_ro",
)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the policy chosen by path.

    CONTENT_SECURITY_POLICY is the policy for everything else (the API's JSON:
    nothing may load, nothing may frame it). BONECARE_CSP_BY_PATH gives the
    HTML pages for people (API docs, admin) exactly what they need. A view's
    own csp_* decorator still wins.

    A response with no nonce and no decorator gets its path's policy as a
    string built once per process: django-csp builds it afresh on every
    response, which cost the API a fifth of a stored answer's time.
    """

    def process_response(self, request, response):
        if not self.policy_is_fixed(request, response):
            return super().process_response(request, response)
        response.headers.setdefault(HEADER, fixed_policy(policy_index_for_path(request.path_info)))
        # As django-csp does: a nonce asked for after the header is written could never be honoured.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    @staticmethod
    def policy_is_fixed(request, response):
        return (
            getattr(request, "_csp_nonce", None) is None
            and not any(hasattr(response, name) for name in PER_RESPONSE_POLICY)
            and csp_is_fixed()
            and not (settings.DEBUG and response.status_code in (404, 500))
        )

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None:
            directives = policy_for_path(request.path_info)
            if directives is not None:
                parts.config = default_config(directives)
        return parts


def csp_is_fixed():
    """False when the settings make the header differ per request (unused here): django-csp handles those."""
    return not getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None) and not (
        getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    ).get("EXCLUDE_URL_PREFIXES")


def policy_index_for_path(path):
    """The index of the first BONECARE_CSP_BY_PATH entry whose pattern matches, or None (re caches the patterns)."""
    for index, (pattern, _directives) in enumerate(settings.BONECARE_CSP_BY_PATH):
        if re.match(pattern, path):
            return index
    return None


def policy_for_path(path):
    index = policy_index_for_path(path)
    return None if index is None else settings.BONECARE_CSP_BY_PATH[index][1]


@lru_cache(maxsize=None)
def fixed_policy(index):
    """The header django-csp builds for the path policy `index` (None: CONTENT_SECURITY_POLICY) with no nonce."""
    config = None if index is None else default_config(settings.BONECARE_CSP_BY_PATH[index][1])
    return build_policy(config=config)


class PermissionsPolicyMiddleware:
    """Permissions-Policy on every response: no page of ours uses the camera, microphone, location and the like."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy()

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


def permissions_policy():
    """The Permissions-Policy header: every feature in BONECARE_PERMISSIONS_POLICY_DENY denied to every origin."""
    return ", ".join(f"{feature}=()" for feature in settings.BONECARE_PERMISSIONS_POLICY_DENY)


@receiver(setting_changed)
def forget_fixed_policies(setting, **kwargs):
    if setting in ("BONECARE_CSP_BY_PATH", "CONTENT_SECURITY_POLICY"):
        fixed_policy.cache_clear()
