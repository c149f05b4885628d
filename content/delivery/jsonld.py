"""An article as schema.org JSON-LD: a `MedicalWebPage` built from the article payload the API serves.

A plain function of the served payload (content/delivery/payloads.py), so the
JSON-LD says exactly what the JSON answer says, in the same language and level:
nothing is read again from the database, and nothing is claimed that the
payload does not state. In particular:

- `reviewedBy` and `lastReviewed` appear only when a clinician reviewed the text
  served (`review.status` is `clinician_reviewed`): an unreviewed translation
  of a reviewed English text is not a reviewed page.
- `about` names a condition only through the article's clinical codes; an
  article without codes has no `about` (its topic is not a diagnosis).
- A name or description that fell back to English carries `"@language": "en"`,
  where everything else is in `inLanguage`.

Codes (`codes: [{system, code, display}]`) and the licence (`license: {name,
url, attribution}`) are read when the payload has them.
"""

from django.utils import translation

from content.languages import SOURCE_LANGUAGE, bcp47_tag
from content.models import ReadingLevel, ReviewStatus

SCHEMA_ORG_CONTEXT_URL = "https://schema.org"


def medical_web_page(payload):
    """The schema.org MedicalWebPage (a JSON-ready dict) of one served article payload."""
    language = payload["language"]
    fallback = set(language.get("fallback_fields", []))
    page = {
        "@context": SCHEMA_ORG_CONTEXT_URL,
        "@type": "MedicalWebPage",
        "@id": payload["url"],
        "url": payload["url"],
        "inLanguage": language["tag"],
        "name": _text(payload["title"], "title" in fallback),
        "description": _text(payload["summary"], "summary" in fallback),
        "audience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        "educationalLevel": reading_level(payload["level"]["served"], language["served"]),
        "datePublished": payload.get("published_at"),
        "dateModified": payload.get("updated_at"),
        **review(payload.get("review") or {}),
        "about": [condition(code) for code in payload.get("codes") or []],
        "isBasedOn": [source(item) for item in payload.get("sources") or []],
        **licence(payload.get("license")),
    }
    return {name: value for name, value in page.items() if value not in (None, [], {})}


def _text(value, fell_back):
    """A string in the page's language, or one tagged as the English it fell back to."""
    if fell_back:
        return {"@value": value, "@language": bcp47_tag(SOURCE_LANGUAGE)}
    return value


def reading_level(level, served_language):
    """The reading level as a schema.org DefinedTerm: its code (`standard`, `plain`) and its name in the page's language."""
    with translation.override(served_language):
        name = str(ReadingLevel(level).label)
    return {"@type": "DefinedTerm", "termCode": level, "name": name}


def review(report):
    """`reviewedBy` and `lastReviewed`, only for a text a clinician reviewed, and only what the review records."""
    if report.get("status") != ReviewStatus.CLINICIAN_REVIEWED:
        return {}
    reviewer = report.get("reviewed_by")
    return {
        "lastReviewed": report.get("reviewed_on"),
        "reviewedBy": {"@type": "Person", "name": reviewer} if reviewer else None,
    }


def condition(code):
    """One coded concept as the condition the page is about: a MedicalCondition named by the code's display."""
    medical_code = {"@type": "MedicalCode", "codeValue": code["code"], "codingSystem": code["system"]}
    return {"@type": "MedicalCondition", "name": code.get("display") or code["code"], "code": medical_code}


def source(item):
    """A cited source as the CreativeWork the page is based on, with its attribution text in the page's language."""
    work = {
        "@type": "CreativeWork",
        "name": item["title"],
        "publisher": {"@type": "Organization", "name": item["publisher"]} if item.get("publisher") else None,
        "url": item.get("url"),
        # The date the source states about itself: its review or, failing that, its last update.
        "dateModified": item.get("review_date"),
        "creditText": item.get("attribution"),
    }
    return {name: value for name, value in work.items() if value is not None}


def licence(terms):
    """`license` (the content licence, a CreativeWork with its URL) and `creditText` (how to credit BoneCare)."""
    if not terms:
        return {}
    work = {"@type": "CreativeWork", "name": terms.get("name"), "url": terms.get("url")}
    return {
        "license": {name: value for name, value in work.items() if value},
        "creditText": terms.get("attribution"),
    }
