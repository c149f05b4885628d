"""OpenAPI declarations shared by every v1 operation.

Negotiation parameters, caching headers and error responses are declared once
here so that every operation documents them the same way, and generated
clients get one shared type for each.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse

from content.delivery.api.filters import MAX_QUERY_LENGTH
from content.delivery.api.pagination import PagePagination
from content.delivery.api.errors import RETRY_AFTER_SECONDS
from content.delivery.api.serializers import ErrorSerializer
from content.languages import language_codes
from content.models import ReadingLevel


class BoneCareAutoSchema(AutoSchema):
    """Error responses as shared components, and the ones any operation can give added to each.

    A generated client then has one type per error status instead of one per
    operation, and learns that every call can answer 500 or 503.
    """

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        error_schema = self.resolve_serializer(ErrorSerializer, "response").ref
        responses = operation["responses"]
        for code, (name, description, extra) in SHARED_ERROR_RESPONSES.items():
            if code not in responses and code not in ANY_OPERATION_ERRORS:
                continue
            component = ResolvedComponent(
                name=name,
                type=ResolvedComponent.RESPONSE,
                object=name,
                schema={
                    "description": description,
                    "content": {"application/json": {"schema": error_schema, **extra.get("content", {})}},
                    **extra.get("response", {}),
                },
            )
            self.registry.register_on_missing(component)
            responses[code] = component.ref
        operation["responses"] = dict(sorted(responses.items()))
        return operation


# The enums are the shared components the response bodies already use, so a
# generated client has one language type and one level type, not one per endpoint.
LANGUAGE_CODE_SCHEMA = {"$ref": "#/components/schemas/LanguageCodeEnum"}
READING_LEVEL_SCHEMA = {"$ref": "#/components/schemas/ReadingLevelEnum"}

LANG_PARAMETER = OpenApiParameter(
    "lang",
    LANGUAGE_CODE_SCHEMA,
    OpenApiParameter.QUERY,
    description=(
        f"Language to serve, one of: {', '.join(language_codes())} (letter case is ignored); wins over "
        "Accept-Language. Anything else, a regional tag such as `fr-CA` included, is answered 400 "
        "`unsupported_language` with the supported codes: regional tags belong in Accept-Language."
    ),
    examples=[OpenApiExample("Spanish", value="es"), OpenApiExample("Simplified Chinese", value="zh-hans")],
)
LEVEL_PARAMETER = OpenApiParameter(
    "level",
    READING_LEVEL_SCHEMA,
    OpenApiParameter.QUERY,
    description="Reading level: `standard` (default) or `plain`. Anything else is answered 400 `unsupported_level`.",
    examples=[OpenApiExample("Plain language", value="plain")],
)
ACCEPT_LANGUAGE_PARAMETER = OpenApiParameter(
    "Accept-Language",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=(
        "Used when `lang` is absent: q-values and regional tags are honoured; unsupported tags are skipped; "
        "English when nothing matches."
    ),
    examples=[OpenApiExample("French Canadian, then English", value="fr-CA,fr;q=0.9,en;q=0.5")],
)
IF_NONE_MATCH_PARAMETER = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="An ETag from an earlier response; answered 304 when the representation is unchanged.",
    examples=[OpenApiExample("ETag", value='"3f2a9c0d4b1e6f7a8c9d0e1f2a3b4c5d"')],
)
IF_MODIFIED_SINCE_PARAMETER = OpenApiParameter(
    "If-Modified-Since",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="An HTTP date; answered 304 when nothing changed since.",
    examples=[OpenApiExample("HTTP date", value="Mon, 23 Nov 2026 09:00:00 GMT")],
)
NEGOTIATION_PARAMETERS = [LANG_PARAMETER, LEVEL_PARAMETER, ACCEPT_LANGUAGE_PARAMETER]
PREVIEW_PARAMETER = OpenApiParameter(
    "preview",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    description=(
        "A signed, expiring preview token from the admin: serves this article even if it is not published, "
        "with `Cache-Control: private, no-store`. An invalid or expired token is answered 403 `invalid_preview_token`."
    ),
)
CONDITIONAL_PARAMETERS = [IF_NONE_MATCH_PARAMETER, IF_MODIFIED_SINCE_PARAMETER]
CURSOR_PARAMETER = OpenApiParameter(
    "cursor",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    description="The `cursor` of the previous sync answer; omit it for everything published.",
)
PAGE_PARAMETERS = [
    OpenApiParameter(
        "page",
        {"type": "integer", "format": "int64", "minimum": 1, "default": 1},
        OpenApiParameter.QUERY,
        description=(
            "Page number from 1, in ASCII digits. Anything else: 400 `invalid_page`; "
            "past the last page: 404 `page_out_of_range`."
        ),
    ),
    OpenApiParameter(
        "page_size",
        {"type": "integer", "minimum": 1, "maximum": PagePagination.max_page_size, "default": PagePagination.page_size},
        OpenApiParameter.QUERY,
        description=(
            f"Items per page, 1 to {PagePagination.max_page_size} (default {PagePagination.page_size}), "
            "in ASCII digits. Anything else: 400 `invalid_page_size`."
        ),
    ),
]
LIST_PARAMETERS = PAGE_PARAMETERS + [
    OpenApiParameter(
        "topic",
        OpenApiTypes.STR,
        OpenApiParameter.QUERY,
        description="Only articles in this topic (a slug from /api/v1/topics/).",
        examples=[OpenApiExample("Bone metastasis", value="bone-metastasis")],
    ),
    OpenApiParameter(
        "q",
        {"type": "string", "maxLength": MAX_QUERY_LENGTH},
        OpenApiParameter.QUERY,
        description=(
            "Words to find in the title, summary or body, searched in the served language "
            "(in English for articles not yet translated). Longer than 200 characters: 400 `invalid_parameter`."
        ),
        examples=[OpenApiExample("Spanish search", value="quimioterapia")],
    ),
    OpenApiParameter(
        "updated_since",
        OpenApiTypes.DATETIME,
        OpenApiParameter.QUERY,
        description=(
            "Only articles changed at or after this ISO 8601 date or date-time (UTC when no offset is given). "
            "Empty, unreadable, or outside 0001-01-01 to 9999-12-31 in UTC: 400 `invalid_parameter`."
        ),
        examples=[OpenApiExample("A date", value="2026-01-01"), OpenApiExample("A date-time", value="2026-01-01T09:30:00Z")],
    ),
]

# Every /api/ answer says the caller's limit (partners/limits.py).
RATE_LIMIT_HEADERS = {
    "RateLimit-Policy": {
        "schema": {"type": "string"},
        "description": 'The caller\'s quota policy (draft-ietf-httpapi-ratelimit-headers), e.g. `"anonymous";q=120;w=60`.',
    },
    "RateLimit": {
        "schema": {"type": "string"},
        "description": 'Requests left in the window and seconds until it resets, e.g. `"anonymous";r=0;t=42`.',
    },
}
NEGOTIATED_HEADERS = [
    OpenApiParameter(
        "Content-Language",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=[200, 304],
        description="BCP 47 tag of the language actually served (e.g. `zh-Hans`), the same as `language.tag`.",
    ),
    OpenApiParameter(
        "Vary", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200, 304], description="Always includes Accept-Language."
    ),
    OpenApiParameter(
        "Cache-Control", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200, 304], description="Explicit caching policy."
    ),
    *[
        OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200, 304], description=header["description"])
        for name, header in RATE_LIMIT_HEADERS.items()
    ],
]
CACHE_HEADERS = [
    OpenApiParameter(
        "ETag",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=[200, 304],
        description="Differs per language, level and query; send it back in If-None-Match.",
    ),
    OpenApiParameter(
        "Last-Modified",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=[200, 304],
        description="When the newest content in the response changed.",
    ),
]

# Declared once: {status: (component name, description, extra parts of the response object)}.
SHARED_ERROR_RESPONSES = {
    "400": (
        "BadRequest",
        "The client's mistake: unsupported language or level, or an invalid query parameter.",
        {
            "content": {
                "examples": {
                    "UnsupportedLanguage": {
                        "summary": "Unsupported language",
                        "value": {
                            "error": {
                                "code": "unsupported_language",
                                "message": "The language 'xx' is not supported. Use one of: en, es, fr, zh-hans, ar.",
                                "details": {"lang": "xx", "supported": ["en", "es", "fr", "zh-hans", "ar"]},
                            }
                        },
                    }
                }
            }
        },
    ),
    "403": ("Forbidden", "The preview token is invalid or has expired.", {}),
    "404": ("NotFound", "No such published resource, or a page past the end.", {}),
    "406": ("NotAcceptable", "The Accept header allows no JSON; this API answers in application/json only.", {}),
    "500": ("ServerError", "A bug on our side; it has been logged. The body never shows internals.", {}),
    "503": (
        "ServiceUnavailable",
        "The content store cannot be reached for a moment (code `service_unavailable`). "
        "Retry after the seconds in Retry-After; a cached copy may be shown meanwhile.",
        {
            "response": {
                "headers": {
                    "Retry-After": {
                        "schema": {"type": "integer", "minimum": 0},
                        "description": f"Seconds to wait before retrying (now {RETRY_AFTER_SECONDS}).",
                    },
                    "Cache-Control": {"schema": {"type": "string"}, "description": "`no-store`: never cache this answer."},
                }
            },
            "content": {
                "examples": {
                    "ServiceUnavailable": {
                        "summary": "Database unavailable",
                        "value": {
                            "error": {
                                "code": "service_unavailable",
                                "message": f"The service is unavailable for a moment. Try again in {RETRY_AFTER_SECONDS} seconds.",
                                "details": {},
                            }
                        },
                    }
                }
            },
        },
    ),
}
# Request limits and API keys (partners/): any call can send a wrong key or go over its limit.
SHARED_ERROR_RESPONSES["401"] = (
    "InvalidApiKey",
    "The X-API-Key header names no usable key: unknown, revoked or expired (code `invalid_api_key`). "
    "Send no key to be served anonymously.",
    {"response": {"headers": {"WWW-Authenticate": {"schema": {"type": "string"}}, **RATE_LIMIT_HEADERS}}},
)
SHARED_ERROR_RESPONSES["429"] = (
    "TooManyRequests",
    "Over the caller's request limit (code `throttled`); retry after the seconds in Retry-After.",
    {
        "response": {
            "headers": {
                "Retry-After": {"schema": {"type": "integer", "minimum": 1}, "description": "Seconds until the window resets."},
                **RATE_LIMIT_HEADERS,
            }
        }
    },
)
# Any call can ask for a format we do not serve, or meet a bug or a database
# outage, whatever its own responses.
ANY_OPERATION_ERRORS = ("401", "406", "429", "500", "503")

# Placeholders in @extend_schema saying which operation can answer which
# error; BoneCareAutoSchema replaces them with the shared components above.
ERROR_400 = OpenApiResponse(ErrorSerializer, description=SHARED_ERROR_RESPONSES["400"][1])
ERROR_404 = OpenApiResponse(ErrorSerializer, description=SHARED_ERROR_RESPONSES["404"][1])
ERROR_403 = OpenApiResponse(ErrorSerializer, description=SHARED_ERROR_RESPONSES["403"][1])


def plain_responses(serializer, not_found=False):
    responses = {200: serializer, 400: ERROR_400}
    if not_found:
        responses[404] = ERROR_404
    return responses


def cached_responses(serializer, paginated=False, not_found=False):
    responses = plain_responses(serializer, not_found=not_found or paginated)
    responses[304] = OpenApiResponse(None, description="Not modified: the ETag or date sent still matches.")
    return responses


def negotiated_parameters(*extra):
    """Query and request headers for negotiation, plus the response headers every v1 answer carries."""
    return NEGOTIATION_PARAMETERS + list(extra) + NEGOTIATED_HEADERS


def cached_parameters(*extra):
    return negotiated_parameters(*extra) + CONDITIONAL_PARAMETERS + CACHE_HEADERS
