"""One JSON error shape for every API response that is not a success.

    {"error": {"code": "unsupported_language", "message": "...", "details": {...}}}

`code` is stable and machine-readable; `message` is in the negotiated language.
"""

import enum
import logging
import sys

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from content.delivery import cache_policy
from content.delivery.negotiation import NegotiationError, negotiate

logger = logging.getLogger(__name__)

# The errors a database that is down, restarting or out of connections
# raises; anything else from the database is a bug and stays a 500.
UNAVAILABLE_DATABASE_ERRORS = (OperationalError, InterfaceError)
# Long enough for a database restart or a failover, short enough that an app
# retrying in the foreground does not give up on us.
RETRY_AFTER_SECONDS = 30


class ErrorCode(enum.StrEnum):
    """Every `error.code` the API can answer, published in the schema as one enum.

    A new code is added here first: the contract tests check every error
    response against the schema, so a code missing here fails them (it is
    not checked at run time, where an error answer must never fail itself).
    """

    # 400: the client's mistake
    UNSUPPORTED_LANGUAGE = "unsupported_language"
    UNSUPPORTED_LEVEL = "unsupported_level"
    INVALID_PAGE = "invalid_page"
    INVALID_PAGE_SIZE = "invalid_page_size"
    INVALID_PARAMETER = "invalid_parameter"
    INVALID_CURSOR = "invalid_cursor"
    MALFORMED_REQUEST = "malformed_request"
    BAD_REQUEST = "bad_request"
    BAD_HOST = "bad_host"
    # 401/403
    NOT_AUTHENTICATED = "not_authenticated"
    AUTHENTICATION_FAILED = "authentication_failed"
    INVALID_API_KEY = "invalid_api_key"
    PERMISSION_DENIED = "permission_denied"
    INVALID_PREVIEW_TOKEN = "invalid_preview_token"
    # 404
    NOT_FOUND = "not_found"
    ARTICLE_NOT_FOUND = "article_not_found"
    GLOSSARY_TERM_NOT_FOUND = "glossary_term_not_found"
    AUDIO_NOT_FOUND = "audio_not_found"
    PAGE_OUT_OF_RANGE = "page_out_of_range"
    # 416: a byte range beyond the end of an audio file
    RANGE_NOT_SATISFIABLE = "range_not_satisfiable"
    # 405, 406, 409, 415, 429
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_ACCEPTABLE = "not_acceptable"
    CURSOR_FROM_FUTURE = "cursor_from_future"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    THROTTLED = "throttled"
    # 5xx
    SERVER_ERROR = "server_error"
    SERVICE_UNAVAILABLE = "service_unavailable"


ERROR_CODE_CHOICES = [(code.value, code.value) for code in ErrorCode]


class ApiError(exceptions.APIException):
    """A client error with a stable code, a translated message and optional details."""

    def __init__(self, code, message, status_code=status.HTTP_400_BAD_REQUEST, details=None):
        self.status_code = status_code
        self.error_code = str(code)
        self.message = str(message)
        self.details = details or {}
        super().__init__(detail=self.message, code=code)


def error_body(code, message, details=None):
    return {"error": {"code": str(code), "message": str(message), "details": details or {}}}


def service_unavailable_body():
    return error_body(
        "service_unavailable", _("The service is unavailable for a moment. Try again in %(seconds)d seconds.")
        % {"seconds": RETRY_AFTER_SECONDS}
    )


SERVICE_UNAVAILABLE_HEADERS = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": cache_policy.NEVER}


def api_exception_handler(exc, context):
    if isinstance(exc, UNAVAILABLE_DATABASE_ERRORS):
        # Not the client's mistake and not a bug in this code: say when to come back.
        logger.error("Database unavailable: %s", exc, exc_info=exc)
        return Response(
            service_unavailable_body(), status=status.HTTP_503_SERVICE_UNAVAILABLE, headers=SERVICE_UNAVAILABLE_HEADERS
        )
    if isinstance(exc, ApiError):
        return Response(error_body(exc.error_code, exc.message, exc.details), status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = exception_handler(exc, context)
    if response is None:
        return None
    code, message, details = _describe(exc)
    response.data = error_body(code, message, details)
    return response


def field_errors(errors):
    """A DRF serializer's errors in the shape a form's `errors.get_json_data()` gives: {field: [{message, code}]}."""
    if not isinstance(errors, dict):
        errors = {"non_field_errors": errors}
    return {
        name: [{"message": str(error), "code": getattr(error, "code", "invalid")} for error in messages]
        for name, messages in errors.items()
    }


def _describe(exc):
    if isinstance(exc, exceptions.NotFound):
        return "not_found", _("Nothing was found at this address."), {}
    if isinstance(exc, exceptions.MethodNotAllowed):
        return "method_not_allowed", _("This method is not allowed here; the API is read-only."), {}
    if isinstance(exc, exceptions.NotAcceptable):
        return "not_acceptable", _("This API answers in JSON only."), {}
    if isinstance(exc, exceptions.Throttled):
        return "throttled", _("Too many requests; try again later."), {"wait_seconds": exc.wait}
    if isinstance(exc, exceptions.ValidationError):
        return "invalid_parameter", _("One or more query parameters are invalid."), {"fields": field_errors(exc.detail)}
    if isinstance(exc, exceptions.ParseError):
        return "malformed_request", _("The request could not be parsed."), {}
    if isinstance(exc, exceptions.NotAuthenticated):
        return "not_authenticated", str(exc.detail), {}
    if isinstance(exc, exceptions.AuthenticationFailed):
        return "authentication_failed", str(exc.detail), {}
    if isinstance(exc, exceptions.PermissionDenied):
        return "permission_denied", str(exc.detail), {}
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return "unsupported_media_type", str(exc.detail), {}
    # Any other DRF exception keeps its status; its code is one the schema names.
    return ("bad_request" if exc.status_code < 500 else "server_error"), str(exc.detail), {}


def json_not_found(request, exception=None):
    """handler404: unknown addresses under /api/ answer in the API's error shape."""
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("not_found", _("Nothing was found at this address.")), status=404)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def json_bad_request(request, exception=None):
    """handler400: a request Django refuses before any view (an unknown Host, say) answers in the API's shape under /api/.

    Django sends a refused Host here from whichever layer first asks for the
    host (stored answers, CommonMiddleware or a view building a link), so
    every API path gets the same answer. The Host itself is never echoed.
    """
    if request.path.startswith("/api/"):
        with translation.override(request_language(request)):
            if isinstance(exception, DisallowedHost):
                body = error_body("bad_host", _("This server does not answer for the host named in the request."))
            else:
                body = error_body("bad_request", _("The request could not be understood."))
            return JsonResponse(body, status=400)
    from django.views.defaults import bad_request

    return bad_request(request, exception)


def json_server_error(request):
    """handler500: even a bug answers in the API's error shape, without internals.

    A database outage outside the API views (in a middleware, say) still
    answers 503 with Retry-After, like one inside them; elsewhere (the admin)
    it is a 503 page, so an editor knows to retry rather than report a bug.
    """
    if request.path.startswith("/api/"):
        with translation.override(request_language(request)):
            if isinstance(sys.exc_info()[1], UNAVAILABLE_DATABASE_ERRORS):
                response = JsonResponse(service_unavailable_body(), status=status.HTTP_503_SERVICE_UNAVAILABLE)
                for header, value in SERVICE_UNAVAILABLE_HEADERS.items():
                    response[header] = value
                return response
            return JsonResponse(
                error_body("server_error", _("Something went wrong on our side. It has been logged.")), status=500
            )
    if isinstance(sys.exc_info()[1], UNAVAILABLE_DATABASE_ERRORS):
        return service_unavailable_page(request)
    from django.views.defaults import server_error

    return server_error(request)


def service_unavailable_page(request):
    """The admin and every other page: a plain 503 page saying to try again, not a 500 'server error'."""
    from django.template.loader import render_to_string

    body = render_to_string("503.html", {"seconds": RETRY_AFTER_SECONDS})
    response = HttpResponse(body, status=status.HTTP_503_SERVICE_UNAVAILABLE)
    for header, value in SERVICE_UNAVAILABLE_HEADERS.items():
        response[header] = value
    return response


def request_language(request):
    """The language the API would have answered in, or English when the request does not say."""
    try:
        return negotiate(request.GET, request.META.get("HTTP_ACCEPT_LANGUAGE")).language
    except NegotiationError:
        return settings.LANGUAGE_CODE
