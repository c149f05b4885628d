"""Every /api/ request is counted against its caller's limit, and every /api/ answer says how much is left.

Placed before StoredAnswerMiddleware, which answers most reads without
running anything after it, so stored answers are counted and carry the
RateLimit headers too; and after CorsMiddleware, so that a 429 or 401 still
carries the CORS headers a browser needs to read it. Paths outside /api/ (the
admin, static files, offline bundles) are not limited here. A request the
stored-answer front counted already (partners/admission.py) is not counted again.
"""

from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _

from content.delivery import cache_policy
from content.delivery.api.errors import error_body, request_language
from partners.admission import admit

API_PREFIX = "/api/"


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        admission = admit(request)
        if admission.invalid_key:
            response = invalid_key(request)
        elif admission.throttled:
            response = too_many_requests(request, admission.verdict)
        else:
            response = self.get_response(request)
        for name, value in admission.verdict.headers().items():
            response[name] = value
        return response


def too_many_requests(request, verdict):
    with translation.override(request_language(request)):
        body = error_body("throttled", _("Too many requests; try again later."), {"wait_seconds": verdict.reset_seconds})
    return JsonResponse(
        body, status=429, headers={"Retry-After": str(verdict.reset_seconds), "Cache-Control": cache_policy.NEVER}
    )


def invalid_key(request):
    with translation.override(request_language(request)):
        body = error_body("invalid_api_key", _("The API key is unknown, revoked or expired."), {"header": "X-API-Key"})
    return JsonResponse(
        body, status=401, headers={"WWW-Authenticate": 'ApiKey header="X-API-Key"', "Cache-Control": cache_policy.NEVER}
    )
