"""HL7 Infobutton knowledge requests: a clinical code in, the published articles about it out.

An EHR's "infobutton" sends the code of a diagnosis and who will read the
answer (HL7 Context-Aware Knowledge Retrieval, URL-based implementation
guide), as MedlinePlus Connect answers it:

    /api/v1/infobutton/?mainSearchCriteria.v.cs=2.16.840.1.113883.6.90
        &mainSearchCriteria.v.c=C79.51&informationRecipient=PAT
        &informationRecipient.languageCode.c=es&knowledgeResponseType=application/json

The answer is a feed (Atom XML, or the same feed as JSON, shaped like
MedlinePlus Connect's: `{"feed": {"entry": [{"title": {"_value": ...}, ...}]}}`).

Choices made here, and why:
- An ICD-10-CM code also matches its parents (C40.21 → C40.2 → C40): an EHR
  codes as specifically as it can, and content is written for the category.
  Exact matches come first.
- `informationRecipient=PAT` (a patient reads it) serves the plain-language
  level; `PROV` (a clinician reads it, often to choose what to hand on)
  serves the standard level; absent, the API's default (standard). Plain
  language is what health-literacy guidance asks of patient material, and a
  clinician wants the fuller text.
- The language comes from `informationRecipient.languageCode.c` (any BCP 47
  tag: es-MX → es), else Accept-Language, else English. A language BoneCare
  does not serve falls back to English and the feed says so (`fell_back`),
  as Accept-Language does in the rest of the API: an EHR cannot fix a 400
  in front of a patient. Each entry names the language its text is in.
- A code nothing is published for is an empty feed (200), not an error; an
  unknown code system or a missing code is the client's mistake (400).
"""

import re
from dataclasses import dataclass
from xml.etree import ElementTree

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from content import clinical_codes
from content.delivery import selectors, serving
from content.licence import content_license
from content.delivery.negotiation import Negotiated, negotiate, supported_language
from content.models import Article, ReadingLevel
from content.public_address import public_url

CODE_PARAMETER = "mainSearchCriteria.v.c"
SYSTEM_PARAMETER = "mainSearchCriteria.v.cs"
DISPLAY_PARAMETER = "mainSearchCriteria.v.dn"
RECIPIENT_PARAMETER = "informationRecipient"
LANGUAGE_PARAMETER = "informationRecipient.languageCode.c"
RESPONSE_TYPE_PARAMETER = "knowledgeResponseType"

JSON_TYPE = "application/json"
XML_TYPE = "text/xml"
RESPONSE_TYPES = (XML_TYPE, JSON_TYPE)
RECIPIENT_LEVELS = {"PAT": ReadingLevel.PLAIN, "PROV": ReadingLevel.STANDARD}
MAX_CODE_LENGTH = 40
MAX_DISPLAY_NAME_LENGTH = 200
MAX_LANGUAGE_TAG_LENGTH = 35
ATOM = "http://www.w3.org/2005/Atom"


class InvalidKnowledgeRequest(Exception):
    """A parameter is missing or not one we answer; `details` has the API's `invalid_parameter` shape."""

    def __init__(self, message, details):
        super().__init__(message)
        self.message = message
        field, code = details.pop("field"), details.pop("code", "invalid")
        self.details = {"fields": {field: [{"message": message, "code": code}]}, **details}


@dataclass(frozen=True)
class KnowledgeRequest:
    system: clinical_codes.CodeSystem
    code: str
    display_name: str
    recipient: str | None
    negotiated: Negotiated


def parse(params, accept_language):
    """The knowledge request in `params` (a QueryDict); raise InvalidKnowledgeRequest for the client's mistakes."""
    oid = (params.get(SYSTEM_PARAMETER) or "").strip()
    system = clinical_codes.SYSTEMS_BY_OID.get(oid)
    if system is None:
        raise InvalidKnowledgeRequest(
            _("Unknown or missing code system “%(oid)s” in %(parameter)s; use one of: %(oids)s.")
            % {"oid": oid[:80], "parameter": SYSTEM_PARAMETER, "oids": ", ".join(clinical_codes.SYSTEMS_BY_OID)},
            {"field": SYSTEM_PARAMETER, "supported": list(clinical_codes.SYSTEMS_BY_OID)},
        )
    code = clinical_codes.normalise_code(system.name, params.get(CODE_PARAMETER) or "")
    if not code or len(code) > MAX_CODE_LENGTH:
        raise InvalidKnowledgeRequest(
            _("%(parameter)s is missing: send the code to find content for.") % {"parameter": CODE_PARAMETER},
            {"field": CODE_PARAMETER, "code": "required"},
        )
    for name, limit in ((DISPLAY_PARAMETER, MAX_DISPLAY_NAME_LENGTH), (LANGUAGE_PARAMETER, MAX_LANGUAGE_TAG_LENGTH)):
        if len(params.get(name) or "") > limit:
            raise InvalidKnowledgeRequest(
                _("%(parameter)s is longer than %(limit)d characters.") % {"parameter": name, "limit": limit},
                {"field": name, "code": "max_length"},
            )
    recipient = params.get(RECIPIENT_PARAMETER)
    if recipient is not None and recipient not in RECIPIENT_LEVELS:
        raise InvalidKnowledgeRequest(
            _("%(parameter)s must be PAT (a patient) or PROV (a health professional).")
            % {"parameter": RECIPIENT_PARAMETER},
            {"field": RECIPIENT_PARAMETER, "supported": list(RECIPIENT_LEVELS)},
        )
    return KnowledgeRequest(
        system=system, code=code, display_name=params.get(DISPLAY_PARAMETER) or "", recipient=recipient,
        negotiated=_negotiated(params.get(LANGUAGE_PARAMETER), accept_language, recipient),
    )


def response_type(params):
    """The media type asked for in knowledgeResponseType (None when absent); raise for one we do not serve."""
    wanted = params.get(RESPONSE_TYPE_PARAMETER)
    if wanted is not None and wanted not in RESPONSE_TYPES:
        raise InvalidKnowledgeRequest(
            _("%(parameter)s must be text/xml or application/json.") % {"parameter": RESPONSE_TYPE_PARAMETER},
            {"field": RESPONSE_TYPE_PARAMETER, "supported": list(RESPONSE_TYPES)},
        )
    return wanted


def _negotiated(language_code, accept_language, recipient):
    level = RECIPIENT_LEVELS.get(recipient, ReadingLevel.STANDARD)
    if language_code:
        language = supported_language(language_code)
        source = "query" if language else "default"
        return Negotiated(language_code, language or settings.LANGUAGE_CODE, source, recipient, level)
    by_header = negotiate({}, accept_language)
    return Negotiated(by_header.requested_language, by_header.language, by_header.language_source, recipient, level)


def matching_articles(request):
    """Published articles carrying the code (or, for ICD-10-CM, a parent of it): [(article, matched code)].

    The most specific match first, then by topic and slug as lists are. Codes
    are few per article, so they are compared here rather than in SQL (JSON
    containment differs between SQLite and PostgreSQL).
    """
    wanted = clinical_codes.icd10cm_lineage(request.code) if request.system is clinical_codes.ICD10CM else [request.code]
    rank = {code: position for position, code in enumerate(wanted)}
    found = {}
    for article_id, codes in selectors.published_articles().values_list("id", "live_codes"):
        matched = [c for c in codes or [] if c.get("system") == request.system.name and c.get("code") in rank]
        if matched:
            found[article_id] = min(matched, key=lambda c: rank[c["code"]])
    if not found:
        return []
    articles = selectors.articles_in_full(request.negotiated.language, Article.objects.filter(pk__in=found))
    return sorted(((article, found[article.pk]) for article in articles), key=lambda pair: rank[pair[1]["code"]])


def feed(request, matches, self_url):
    """The knowledge response as JSON-ready data, shaped like MedlinePlus Connect's JSON feed."""
    negotiated = request.negotiated
    license = content_license(negotiated.language)
    entries = []
    for article, matched in matches:
        variant, level_fell_back = serving.choose_variant(article, negotiated.language, negotiated.level)
        served = serving.served_text(variant, negotiated.language)
        link = public_url(f"/api/v1/articles/{article.slug}/?lang={negotiated.language}&level={negotiated.level}")
        entries.append({
            "id": {"_value": link},
            "title": {"_value": served["title"][0], "type": "text"},
            "link": [{"href": link, "rel": "alternate", "type": "application/json", "hreflang": negotiated.language}],
            "summary": {"_value": served["summary"][0], "type": "text"},
            "updated": {"_value": article.updated_at.isoformat()},
            "lang": served["title"][1],
            "language": serving.language_report(negotiated, served),
            "level": {"requested": negotiated.level, "served": variant.level, "fell_back": level_fell_back},
            "codes": article.live_codes,
            "matched_code": matched,
            "license": license,
        })
    updated = max((article.updated_at for article, _matched in matches), default=None) or timezone.now()
    return {
        "feed": {
            "base": public_url("/api/v1/"),
            "lang": negotiated.language,
            "id": {"_value": self_url},
            "title": {"_value": _("BoneCare: content for %(system)s %(code)s") % {"system": request.system.name, "code": request.code}, "type": "text"},
            "updated": {"_value": updated.isoformat()},
            "author": {"name": {"_value": "BoneCare"}, "uri": {"_value": public_url("/api/v1/")}},
            "category": [
                {"scheme": CODE_PARAMETER, "term": request.code},
                {"scheme": SYSTEM_PARAMETER, "term": request.system.oid},
                *([{"scheme": DISPLAY_PARAMETER, "term": request.display_name}] if request.display_name else []),
                *([{"scheme": RECIPIENT_PARAMETER, "term": request.recipient}] if request.recipient else []),
            ],
            "language": {
                "requested": negotiated.requested_language,
                "served": negotiated.language,
                "fell_back": serving.language_fell_back(negotiated, negotiated.language),
            },
            "level": negotiated.level,
            "license": license,
            "entry": entries,
        }
    }


def atom(data):
    """The same feed as an Atom document (RFC 4287), as MedlinePlus Connect's XML answer is."""
    body = data["feed"]
    ElementTree.register_namespace("", ATOM)

    def element(parent, name, text=None, **attributes):
        attributes = {key: _xml_text(value) for key, value in attributes.items() if value is not None}
        node = ElementTree.SubElement(parent, f"{{{ATOM}}}{name}", attributes)
        if text is not None:
            node.text = _xml_text(text)
        return node

    root = ElementTree.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": body["lang"]})
    element(root, "id", body["id"]["_value"])
    element(root, "title", body["title"]["_value"], type="text")
    element(root, "updated", body["updated"]["_value"])
    author = element(root, "author")
    element(author, "name", body["author"]["name"]["_value"])
    element(author, "uri", body["author"]["uri"]["_value"])
    element(root, "link", rel="self", href=body["id"]["_value"])
    for category in body["category"]:
        element(root, "category", scheme=category["scheme"], term=category["term"])
    element(root, "rights", _license_text(body["license"]))
    element(root, "link", rel="license", href=body["license"]["url"])
    for entry in body["entry"]:
        node = element(root, "entry", **{"{http://www.w3.org/XML/1998/namespace}lang": entry["lang"]})
        element(node, "id", entry["id"]["_value"])
        element(node, "title", entry["title"]["_value"], type="text")
        element(node, "updated", entry["updated"]["_value"])
        for link in entry["link"]:
            element(node, "link", href=link["href"], rel=link["rel"], type=link["type"], hreflang=link["hreflang"])
        element(node, "summary", entry["summary"]["_value"], type="text")
        for code in entry["codes"]:
            element(node, "category", scheme=clinical_codes.SYSTEMS[code["system"]].oid, term=code["code"], label=code["display"])
        element(node, "rights", _license_text(entry["license"]))
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


# Characters XML 1.0 cannot carry (controls other than tab and newlines, lone surrogates, U+FFFE/U+FFFF):
# a request may echo them (mainSearchCriteria.v.dn), and the document must still parse.
_NOT_XML = re.compile("[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")


def _xml_text(text):
    return _NOT_XML.sub("\uFFFD", str(text))


def _license_text(license):
    return license["attribution"]  # it names the licence itself, in the feed's language
