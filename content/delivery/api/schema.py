"""OpenAPI declarations shared by every v1 operation.

Negotiation parameters, caching headers and error responses are declared once
here so that every operation documents them the same way, and generated
clients get one shared type for each.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse

from content.delivery.api.filters import MAX_QUERY_LENGTH
from content.delivery.api.pagination import ArticlePagination
from content.delivery.api.serializers import ErrorSerializer
from content.languages import language_codes
from content.models import ReadingLevel


class BoneCareAutoSchema(AutoSchema):
    pass


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
LIST_PARAMETERS = [
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
        {"type": "integer", "minimum": 1, "maximum": ArticlePagination.max_page_size, "default": ArticlePagination.page_size},
        OpenApiParameter.QUERY,
        description=(
            f"Items per page, 1 to {ArticlePagination.max_page_size} (default {ArticlePagination.page_size}), "
            "in ASCII digits. Anything else: 400 `invalid_page_size`."
        ),
    ),
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

NEGOTIATED_HEADERS = [
    OpenApiParameter(
        "Content-Language",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=[200, 304],
        description="The language actually served.",
    ),
    OpenApiParameter(
        "Vary", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200, 304], description="Always includes Accept-Language."
    ),
    OpenApiParameter(
        "Cache-Control", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200, 304], description="Explicit caching policy."
    ),
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

ERROR_400 = OpenApiResponse(
    ErrorSerializer,
    description="The client's mistake: unsupported language or level, or an invalid query parameter.",
    examples=[
        OpenApiExample(
            "Unsupported language",
            value={
                "error": {
                    "code": "unsupported_language",
                    "message": "The language 'xx' is not supported. Use one of: en, es, fr, zh-hans, ar.",
                    "details": {"lang": "xx", "supported": ["en", "es", "fr", "zh-hans", "ar"]},
                }
            },
        )
    ],
)
ERROR_404 = OpenApiResponse(ErrorSerializer, description="No such published resource, or a page past the end.")
ERROR_403 = OpenApiResponse(ErrorSerializer, description="The preview token is invalid or has expired.")


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
