"""OpenAPI declarations shared by every v1 operation.

Negotiation parameters, caching headers and error responses are declared once
here so that every operation documents them the same way, and generated
clients get one shared type for each.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse

from content.delivery.api.filters import MAX_TOPIC_LENGTH
from content.delivery.search import MAX_QUERY_LENGTH
from content.delivery.suggest import LONG_ENOUGH as SUGGEST_PATTERN, MAX_LENGTH as SUGGEST_MAX_LENGTH
from content.delivery.sync import CURSOR_PATTERN
from content.delivery.api.pagination import PagePagination
from content.delivery.api.errors import RETRY_AFTER_SECONDS
from content.delivery.api.shapes import ErrorSerializer
from content.delivery import html_document
from content.delivery.api.jsonld_renderer import MedicalWebPageRenderer
from content.languages import language_codes


class BoneCareAutoSchema(AutoSchema):
    """Error responses as shared components, and the ones any operation can give added to each.

    A generated client then has one type per error status instead of one per
    operation, and learns that every call can answer 500 or 503.
    """

    def map_renderers(self, attribute):
        """The media types every response of the operation is in: JSON. An HTML document or a JSON-LD page is its
        200 alone, which the operation declares itself (html_document_response, MEDICAL_WEB_PAGE_REF)."""
        documents = {getattr(cls, attribute) for cls in getattr(self.view, "renderer_classes", ())
                     if issubclass(cls, (html_document.DocumentRenderer, MedicalWebPageRenderer))}
        return [media_type for media_type in super().map_renderers(attribute) if media_type not in documents]

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        error_schema = self.resolve_serializer(ErrorSerializer, "response").ref
        responses = operation["responses"]
        for code, (name, description, extra) in SHARED_ERROR_RESPONSES.items():
            if code not in responses and code not in ANY_OPERATION_ERRORS:
                continue
            content = {"application/json": {"schema": error_schema, **extra.get("content", {})}}
            component = ResolvedComponent(
                name=name,
                type=ResolvedComponent.RESPONSE,
                object=name,
                schema={
                    "description": description,
                    **({} if extra.get("no_content") else {"content": content}),
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
        f"Language to serve, exactly one of: {', '.join(language_codes())} (lowercase, as listed); wins over "
        "Accept-Language. Anything else, a regional tag such as `fr-CA` or another spelling such as `EN` included, "
        "is answered 400 `unsupported_language` with the supported codes: a device's locale (any BCP 47 tag) "
        "belongs in Accept-Language, which falls back to the nearest language served and says so in "
        "`language.fell_back`."
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
    {"type": "string", "pattern": "^[A-Za-z0-9_.:-]+$", "maxLength": 400},
    OpenApiParameter.QUERY,
    description=(
        "A signed, expiring preview token from the admin: serves this article even if it is not published, "
        "with `Cache-Control: private, no-store`. An invalid or expired token is answered 403 `invalid_preview_token`."
    ),
)
ARTICLE_SLUG_PARAMETER = OpenApiParameter(
    "slug",
    {"type": "string", "maxLength": 120},
    OpenApiParameter.PATH,
    description="The article's slug, as in `slug` of the list (the same in every language).",
)
TERM_SLUG_PARAMETER = OpenApiParameter(
    "slug",
    {"type": "string", "maxLength": 80},
    OpenApiParameter.PATH,
    description="The term's slug, as in `slug` of the glossary (the same in every language).",
)
CONDITIONAL_PARAMETERS = [IF_NONE_MATCH_PARAMETER, IF_MODIFIED_SINCE_PARAMETER]
CURSOR_PARAMETER = OpenApiParameter(
    "cursor",
    {"type": "string", "pattern": CURSOR_PATTERN, "maxLength": 30},
    OpenApiParameter.QUERY,
    description=(
        "The `cursor` of the previous sync answer, sent back as it came (opaque); omit it for everything "
        "published. A value this API did not issue (the pattern says which spellings are cursors) is answered 400 "
        "`invalid_cursor`; "
        "a cursor ahead of this server's changes (from another server, or a database restored from a backup) "
        "409 `cursor_from_future`: sync again without one."
    ),
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
        {"type": "string", "maxLength": MAX_TOPIC_LENGTH},
        OpenApiParameter.QUERY,
        description=(
            "Only articles in this topic (a slug from /api/v1/topics/); a topic that does not exist lists nothing. "
            f"Longer than {MAX_TOPIC_LENGTH} characters: 400 `invalid_parameter`."
        ),
        examples=[OpenApiExample("Bone metastasis", value="bone-metastasis")],
    ),
    OpenApiParameter(
        "q",
        {"type": "string", "maxLength": MAX_QUERY_LENGTH},
        OpenApiParameter.QUERY,
        description=(
            "Words to find in the title, summary or body served in this language and level, in any form "
            "(the same search as /api/v1/search/, in English for fields not yet translated). Longer than 200 "
            "characters: 400 `invalid_parameter`."
        ),
        examples=[OpenApiExample("Spanish search", value="quimioterapias")],
    ),
    OpenApiParameter(
        "updated_since",
        # A date or a date-time: generated clients then take either (Python: date | datetime).
        {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]},
        OpenApiParameter.QUERY,
        description=(
            "Only articles changed at or after this ISO 8601 date or date-time (UTC when no offset is given); "
            "one before 0001-01-01 or after 9999-12-31 in UTC lists everything or nothing. "
            "Empty or unreadable: 400 `invalid_parameter`."
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
    "405": (
        "MethodNotAllowed",
        "The API is read-only: only GET, HEAD and OPTIONS are answered (code `method_not_allowed`).",
        {"response": {"headers": {"Allow": {"schema": {"type": "string"}, "description": "The methods allowed."}}}},
    ),
    "409": (
        "Conflict",
        "The sync cursor is ahead of this server's changes (code `cursor_from_future`): sync again without one.",
        {},
    ),
    "406": (
        "NotAcceptable",
        "The Accept header allows no type the operation answers in: application/json (and text/html or "
        "application/ld+json where the 200 lists it).",
        {},
    ),
    "414": (
        "UriTooLong",
        "The address is longer than the web server in front of the API accepts (gunicorn: 4094 bytes for the "
        "request line). Answered by that server, before the API, so not in the JSON error shape. Every address "
        "within the documented parameter bounds fits.",
        {"no_content": True},
    ),
    "429": (
        "TooManyRequests",
        "Over the rate limit (code `throttled`): retry after the seconds in Retry-After. "
        "A request with an API key has a higher limit than an anonymous one.",
        {
            "response": {
                "headers": {
                    "Retry-After": {
                        "schema": {"type": "integer", "minimum": 0},
                        "description": "Seconds to wait before retrying.",
                    },
                }
            },
        },
    ),
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
# Any call can send a wrong key, use a method we do not answer, ask for a format we do not serve,
# send an address too long for the web server, go over its rate limit, or meet a bug or a database
# outage, whatever its own responses.
ANY_OPERATION_ERRORS = ("401", "405", "406", "414", "429", "500", "503")

# Placeholders in @extend_schema saying which operation can answer which
# error; BoneCareAutoSchema replaces them with the shared components above.
ERROR_400 = OpenApiResponse(ErrorSerializer, description=SHARED_ERROR_RESPONSES["400"][1])
ERROR_404 = OpenApiResponse(ErrorSerializer, description=SHARED_ERROR_RESPONSES["404"][1])
ERROR_403 = OpenApiResponse(ErrorSerializer, description=SHARED_ERROR_RESPONSES["403"][1])
ERROR_409 = OpenApiResponse(ErrorSerializer, description=SHARED_ERROR_RESPONSES["409"][1])


def plain_responses(serializer, not_found=False):
    responses = {200: serializer, 400: ERROR_400}
    if not_found:
        responses[404] = ERROR_404
    return responses


def html_document_response(what):
    """The 200 in `text/html`: the accessible document a view's DocumentRenderer makes of its payload."""
    return {
        (200, html_document.HTML): OpenApiResponse(
            {"type": "string"},
            description=(
                f"With `Accept: text/html`: {what} as a standalone, accessible HTML5 document in the negotiated "
                "language and level (no script; its styles allowed by its own Content-Security-Policy), "
                "made from the same payload as the JSON. Errors are JSON."
            ),
        )
    }


def cached_responses(serializer, paginated=False, not_found=False):
    responses = plain_responses(serializer, not_found=not_found or paginated)
    responses[304] = OpenApiResponse(None, description="Not modified: the ETag or date sent still matches.")
    return responses


def negotiated_parameters(*extra):
    """Query and request headers for negotiation, plus the response headers every v1 answer carries."""
    return NEGOTIATION_PARAMETERS + list(extra) + NEGOTIATED_HEADERS


def cached_parameters(*extra):
    return negotiated_parameters(*extra) + CONDITIONAL_PARAMETERS + CACHE_HEADERS

SEARCH_PARAMETERS = PAGE_PARAMETERS + [
    OpenApiParameter(
        "q",
        {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_LENGTH},
        OpenApiParameter.QUERY,
        required=True,
        description=(
            "Words to find, in the served language. Missing, blank or longer than 200 characters: "
            "400 `invalid_parameter`. Only common words (the, de, la): no results."
        ),
        examples=[
            OpenApiExample("Spanish, plural", value="quimioterapias"),
            OpenApiExample("Spanish, without the accent", value="metastasis"),
            OpenApiExample("Arabic, with a prefix", value="والعلاج"),
        ],
    ),
    OpenApiParameter(
        "type",
        {"$ref": "#/components/schemas/SearchResultTypeEnum"},
        OpenApiParameter.QUERY,
        description="Only articles or only glossary terms (default both). Anything else: 400 `invalid_parameter`.",
    ),
]


# The optional key: anonymous calls are served (at a lower rate limit), and a
# partner's key in X-API-Key raises it. Declared once for the whole API as
# "no key, or the key" ([{}, {"ApiKey": []}]), never per operation: generated
# clients (openapi-python-client) then accept an anonymous client and a keyed
# one alike, where an operation-level requirement makes them demand a key.
API_KEY_SCHEME_NAME = "ApiKey"
API_KEY_SCHEME = {
    "type": "apiKey",
    "in": "header",
    "name": "X-API-Key",
    "description": "Optional. A partner's API key, for a higher rate limit. Requests without one are served too.",
}


def publish_version_and_optional_key(result, generator, request, public):
    """Postprocessing hook: a package-valid `info.version`, and the optional key declared once.

    drf-spectacular writes `info.version` as "1.0.0 (v1)", which no package
    manager accepts; the URL version goes to `x-api-version` instead.
    """
    result["info"]["version"] = spectacular_settings.VERSION
    if getattr(generator, "api_version", None):
        result["info"]["x-api-version"] = generator.api_version
    result.setdefault("components", {}).setdefault("securitySchemes", {})[API_KEY_SCHEME_NAME] = API_KEY_SCHEME
    result["security"] = [{}, {API_KEY_SCHEME_NAME: []}]
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            # An operation anyone may call follows the shared rule above.
            if {} in operation.get("security", []):
                del operation["security"]
    return result


SUGGEST_QUERY = OpenApiParameter(
    "q",
    {"type": "string", "minLength": 1, "maxLength": SUGGEST_MAX_LENGTH, "pattern": SUGGEST_PATTERN},
    OpenApiParameter.QUERY,
    required=True,
    description=(
        "What the reader has typed so far: at least two letters, or one Chinese character. Shorter, missing or "
        "longer than 100 characters: 400 `invalid_parameter`."
    ),
    examples=[
        OpenApiExample("English, unfinished", value="chem"),
        OpenApiExample("Spanish, without the accent", value="metas"),
        OpenApiExample("Chinese, one character", value="骨"),
    ],
)
