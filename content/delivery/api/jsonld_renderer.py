"""`Accept: application/ld+json` on an article: the served payload rendered as a schema.org MedicalWebPage.

The view builds, caches and validates the same payload whichever is asked
for; only this renderer turns it into JSON-LD (content/delivery/jsonld.py).
The ETag differs from the JSON answer's (NegotiatedView.conditional names the
media type), and such a request is never answered from a stored JSON body
(content/delivery/stored.py asks this view's own renderers).
"""

from content.delivery.json_renderer import JSONRenderer
from content.delivery.jsonld import medical_web_page


class MedicalWebPageRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code != 200:
            # An error is not a web page: it keeps the API's one error shape, and says it is plain JSON.
            response["Content-Type"] = JSONRenderer.media_type
            return super().render(data, JSONRenderer.media_type, renderer_context)
        return super().render(medical_web_page(data), accepted_media_type, renderer_context)


# The OpenAPI description of the JSON-LD answer: one component, added to the schema by the hook below.
def _language_tagged(description):
    return {
        "oneOf": [
            {"type": "string"},
            {
                "type": "object",
                "description": "The text fell back to English: a JSON-LD value tagged with its language.",
                "properties": {"@value": {"type": "string"}, "@language": {"type": "string", "enum": ["en"]}},
                "required": ["@value", "@language"],
            },
        ],
        "description": description,
    }


def _typed(type_name, properties, required, description):
    return {
        "type": "object",
        "description": description,
        "properties": {"@type": {"type": "string", "enum": [type_name]}, **properties},
        "required": ["@type", *required],
    }


DATE = {"type": "string", "format": "date"}
DATE_TIME = {"type": "string", "format": "date-time"}

MEDICAL_WEB_PAGE_SCHEMA = _typed(
    "MedicalWebPage",
    {
        "@context": {"type": "string", "enum": ["https://schema.org"]},
        "@id": {"type": "string", "format": "uri", "description": "The same as `url`."},
        "url": {"type": "string", "format": "uri", "description": "This article, with the served `lang` and `level`."},
        "inLanguage": {"type": "string", "description": "BCP 47 tag of the language served (as Content-Language)."},
        "name": _language_tagged("The title."),
        "description": _language_tagged("The summary."),
        "audience": _typed(
            "MedicalAudience",
            {"audienceType": {"type": "string", "enum": ["Patient"]}},
            ["audienceType"],
            "Written for patients.",
        ),
        "educationalLevel": _typed(
            "DefinedTerm",
            {
                "termCode": {"type": "string", "enum": ["standard", "plain"], "description": "The level served."},
                "name": {"type": "string", "description": "The level's name in the served language."},
            },
            ["termCode", "name"],
            "The reading level served.",
        ),
        "datePublished": DATE_TIME,
        "dateModified": {**DATE_TIME, "description": "When anything patients see of the article last changed."},
        "lastReviewed": {
            **DATE,
            "description": "When a clinician reviewed the text served. Absent when no clinician has, or no date is recorded.",
        },
        "reviewedBy": _typed(
            "Person",
            {"name": {"type": "string"}},
            ["name"],
            "The clinician who reviewed the text served. Absent when no clinician has.",
        ),
        "about": {
            "type": "array",
            "description": "The conditions the article is about, one per clinical code. Absent when it has no codes.",
            "items": _typed(
                "MedicalCondition",
                {
                    "name": {"type": "string", "description": "The code's display name, in English."},
                    "code": _typed(
                        "MedicalCode",
                        {
                            "codeValue": {"type": "string", "example": "C79.51"},
                            "codingSystem": {"type": "string", "example": "ICD-10-CM"},
                        },
                        ["codeValue", "codingSystem"],
                        "The code.",
                    ),
                },
                ["name", "code"],
                "A condition, named and coded.",
            ),
        },
        "isBasedOn": {
            "type": "array",
            "description": "The sources the article takes its facts from.",
            "items": _typed(
                "CreativeWork",
                {
                    "name": {"type": "string", "description": "The source's title."},
                    "publisher": _typed("Organization", {"name": {"type": "string"}}, ["name"], "Absent when not stated."),
                    "url": {"type": "string", "format": "uri"},
                    "dateModified": {**DATE, "description": "The review or update date the source states."},
                    "creditText": {"type": "string", "description": "Attribution text, in the served language."},
                },
                ["name"],
                "A cited source.",
            ),
        },
        "license": _typed(
            "CreativeWork",
            {"name": {"type": "string"}, "url": {"type": "string", "format": "uri"}},
            [],
            "The licence the content is published under.",
        ),
        "creditText": {"type": "string", "description": "How to credit BoneCare when reusing the content."},
    },
    ["@context", "@id", "url", "inLanguage", "name", "description", "audience", "educationalLevel", "dateModified"],
    "The article as a schema.org MedicalWebPage (JSON-LD), in the language and level served. Expand it with the "
    "context at https://schema.org.",
)
MEDICAL_WEB_PAGE_COMPONENT = "MedicalWebPage"


def add_medical_web_page_component(result, generator, request, public):
    """Postprocessing hook: the JSON-LD answer's schema as one named component."""
    result.setdefault("components", {}).setdefault("schemas", {})[MEDICAL_WEB_PAGE_COMPONENT] = MEDICAL_WEB_PAGE_SCHEMA
    return result


MEDICAL_WEB_PAGE_REF = {"$ref": f"#/components/schemas/{MEDICAL_WEB_PAGE_COMPONENT}"}
