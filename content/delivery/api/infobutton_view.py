"""/api/v1/infobutton/: HL7 Infobutton knowledge requests (the logic is content/delivery/infobutton.py)."""

from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response

from content import clinical_codes
from content.delivery import infobutton, sync
from content.delivery.content_negotiation import RememberedContentNegotiation
from content.delivery.api import schema
from content.delivery.api.errors import ApiError
from content.delivery.api.negotiated import NegotiatedView
from content.delivery.api.shapes import InfobuttonResponseSerializer
from content.delivery.json_renderer import JSONRenderer
from content.public_address import public_url


class AtomRenderer(BaseRenderer):
    """The feed as Atom XML, sent as text/xml like MedlinePlus Connect's."""

    media_type = infobutton.XML_TYPE
    format = "xml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return infobutton.atom(data)


def invalid(exc):
    return ApiError("invalid_parameter", exc.message, details=exc.details)


PARAMETERS = [
    OpenApiParameter(
        infobutton.SYSTEM_PARAMETER,
        # x-enum-varnames: generated clients name the members (ICD10CM), not VALUE_0.
        {"type": "string", "enum": list(clinical_codes.SYSTEMS_BY_OID),
         "x-enum-varnames": [system.name.replace("-", "") for system in clinical_codes.SYSTEMS_BY_OID.values()]},
        OpenApiParameter.QUERY,
        required=True,
        description="The code system's HL7 OID: 2.16.840.1.113883.6.90 ICD-10-CM, 2.16.840.1.113883.6.96 SNOMED CT, "
        "2.16.840.1.113883.6.43.1 ICD-O-3. Missing or any other: 400 `invalid_parameter`.",
        examples=[OpenApiExample("ICD-10-CM", value="2.16.840.1.113883.6.90")],
    ),
    OpenApiParameter(
        infobutton.CODE_PARAMETER,
        {"type": "string", "minLength": 1, "maxLength": infobutton.MAX_CODE_LENGTH},
        OpenApiParameter.QUERY,
        required=True,
        description="The code, e.g. `C79.51` (ICD-10-CM, with or without the dot; a code also matches its "
        "parents: C40.21 finds content coded C40.2 or C40), `9180/3` (ICD-O-3). Missing: 400 `invalid_parameter`.",
        examples=[OpenApiExample("Secondary malignant neoplasm of bone", value="C79.51")],
    ),
    OpenApiParameter(
        infobutton.DISPLAY_PARAMETER,
        {"type": "string", "maxLength": 200},
        OpenApiParameter.QUERY,
        description="The code's display name, as the EHR shows it; echoed in the feed's categories, not matched.",
    ),
    OpenApiParameter(
        infobutton.RECIPIENT_PARAMETER,
        {"type": "string", "enum": list(infobutton.RECIPIENT_LEVELS)},
        OpenApiParameter.QUERY,
        description="Who reads the answer: `PAT` (a patient) gets the plain-language level, `PROV` (a health "
        "professional) the standard level; absent, the standard level.",
    ),
    OpenApiParameter(
        infobutton.LANGUAGE_PARAMETER,
        {"type": "string", "maxLength": 35},
        OpenApiParameter.QUERY,
        description="The reader's language as a BCP 47 tag (`es`, `es-MX`, `zh-Hans`); wins over Accept-Language. "
        "A language not served falls back to English, and `feed.language.fell_back` says so (no 400: an EHR "
        "cannot fix the request in front of a patient).",
        examples=[OpenApiExample("Spanish", value="es")],
    ),
    OpenApiParameter(
        infobutton.RESPONSE_TYPE_PARAMETER,
        {"type": "string", "enum": list(infobutton.RESPONSE_TYPES), "x-enum-varnames": ["XML", "JSON"]},
        OpenApiParameter.QUERY,
        description="`text/xml` (an Atom feed) or `application/json` (the same feed as JSON); wins over the Accept "
        "header. Absent, the Accept header chooses, and `*/*` gets text/xml, MedlinePlus Connect's default.",
    ),
    # ?format= means nothing here (KnowledgeResponseNegotiation): knowledgeResponseType is the Infobutton's own.
    OpenApiParameter("format", exclude=True),
    schema.ACCEPT_LANGUAGE_PARAMETER,
    *schema.NEGOTIATED_HEADERS,
    *schema.CONDITIONAL_PARAMETERS,
    *schema.CACHE_HEADERS[:1],
]


class KnowledgeResponseNegotiation(RememberedContentNegotiation):
    """knowledgeResponseType wins over the Accept header, as the Infobutton guide has it; `?format=` means nothing."""

    class settings:
        URL_FORMAT_OVERRIDE = None

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            wanted = infobutton.response_type(request.query_params)
        except infobutton.InvalidKnowledgeRequest as exc:
            raise invalid(exc) from exc
        if wanted is not None:
            return next((renderer, wanted) for renderer in renderers if renderer.media_type == wanted)
        return super().select_renderer(request, renderers, format_suffix)


class InfobuttonView(NegotiatedView):
    renderer_classes = [AtomRenderer, JSONRenderer]
    content_negotiation_class = KnowledgeResponseNegotiation

    @extend_schema(
        operation_id="infobutton",
        summary="HL7 Infobutton knowledge request: published articles for a clinical code",
        tags=["infobutton"],
        description=(
            "URL-based HL7 Context-Aware Knowledge Retrieval (Infobutton), answered as MedlinePlus Connect answers "
            "it: the published articles coded with the requested code (ICD-10-CM codes also match their parents), in "
            "the reader's language and reading level, as an Atom feed (`text/xml`) or the same feed as JSON. Each "
            "entry links to the article in that language and level and carries the content licence. A code nothing "
            "is published for is an empty feed, not an error. Example: "
            "`/api/v1/infobutton/?mainSearchCriteria.v.cs=2.16.840.1.113883.6.90&mainSearchCriteria.v.c=C79.51"
            "&informationRecipient=PAT&informationRecipient.languageCode.c=es&knowledgeResponseType=application/json`."
        ),
        parameters=PARAMETERS,
        responses={
            (200, infobutton.JSON_TYPE): InfobuttonResponseSerializer,
            (200, infobutton.XML_TYPE): OpenApiResponse(OpenApiTypes.STR, description="The same feed as Atom XML."),
            304: OpenApiResponse(None, description="Not modified: the ETag sent still matches."),
            400: schema.ERROR_400,
        },
    )
    def get(self, request, *args, **kwargs):
        try:
            knowledge_request = infobutton.parse(request.query_params, request.META.get("HTTP_ACCEPT_LANGUAGE"))
        except infobutton.InvalidKnowledgeRequest as exc:
            raise invalid(exc) from exc
        request.negotiated = knowledge_request.negotiated
        translation.activate(request.negotiated.language)
        return self.answer({"latest": sync.latest_change_id()}, lambda: infobutton.feed(
            knowledge_request, infobutton.matching_articles(knowledge_request), public_url(request.get_full_path())
        ))

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors (and OPTIONS' description of the endpoint) keep the API's JSON, whatever format the feed was asked in.
        data = getattr(response, "data", None)
        if response.status_code >= 400 or (data is not None and not (isinstance(data, dict) and "feed" in data)):
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)
