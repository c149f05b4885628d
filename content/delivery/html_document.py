"""Accessible, standalone HTML5 documents of an article and of a glossary term (`Accept: text/html`).

A web partner can embed or link them without rebuilding markup, and a person
using a screen reader, a braille display or a printer reads them as they are:
the language and direction of the page and of every part in another language,
one `h1`, headings in order, real lists, figures with their alt text, each
glossary term linked to its definition further down the same page (a `<dl>` of
`<dfn>`s), the notices near the top, sources with attribution and the licence,
and links to the other reading level and languages. No JavaScript; the one
inline stylesheet is allowed by its hash in the document's own
Content-Security-Policy.

The documents are rendered from the served payload (the dict the JSON is
made of), never from the database, so the HTML and the JSON cannot disagree.
They are stored like the JSON (content/delivery/stored.py keys them by media type).
"""

import base64
import hashlib
from pathlib import Path
from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from rest_framework.renderers import BaseRenderer

from content.languages import SOURCE_LANGUAGE, bcp47_tag, describe_language, language_codes, text_direction
from content.models import ReadingLevel
from content.public_address import public_url

HTML = "text/html"
CHARSET = "utf-8"
STYLE = (Path(__file__).resolve().parent.parent / "templates" / "content" / "document" / "document.css").read_text()
STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
# Nothing runs, nothing loads but the figures; the inline stylesheet is allowed by its hash, not 'unsafe-inline'.
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src 'sha256-{STYLE_HASH}'; img-src 'self' https:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def response_headers(media_type):
    """(Content-Type, Content-Security-Policy) of a document response: the same whether built or stored."""
    return f"{media_type}; charset={CHARSET}", CONTENT_SECURITY_POLICY


class DocumentRenderer(BaseRenderer):
    """Renders a served payload as a document; the view sends errors as JSON (NegotiatedView.finalize_response)."""

    media_type = HTML
    format = "html"
    charset = CHARSET
    stores_documents = True  # content/delivery/stored.py stores what this renders, keyed by its media type
    template_name = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return render_to_string(self.template_name, self.context(data)).encode(CHARSET)

    def context(self, data):
        raise NotImplementedError


class ArticleDocumentRenderer(DocumentRenderer):
    template_name = "content/document/article.html"

    def context(self, data):
        return article_context(data)


class GlossaryTermDocumentRenderer(DocumentRenderer):
    template_name = "content/document/term.html"

    def context(self, data):
        return term_context(data)


def part_language(code, page_code):
    """{lang, dir} for a part of the page in language `code`: empty when it is the page's own language."""
    if not code or code == page_code:
        return {}
    return {"lang": bcp47_tag(code), "dir": text_direction(code)}


def page_context(data, title):
    """What every document has. The page is in the served language; the interface words, notices and attributions
    are in the negotiated (active) one, which differs when the whole text fell back to English: `ui_part` says so."""
    language = data["language"]
    return {
        "style": mark_safe(STYLE),  # noqa: S308 - our own constant stylesheet, hashed into the policy
        "lang": language["tag"],
        "dir": language["direction"],
        "title": title,
        "ui_part": part_language(translation.get_language(), language["served"]),
    }


def article_context(data):
    served = data["language"]["served"]
    fallback = set(data["language"]["fallback_fields"])
    body_language = data["review"]["language"]
    defined = {term["slug"] for term in data.get("glossary_terms", [])}
    base_url = data["url"].partition("?")[0]
    level = data["level"]["served"]
    context = page_context(data, data["title"])
    context.update(
        {
            "title_part": part_language(SOURCE_LANGUAGE if "title" in fallback else served, served),
            "summary": data["summary"],
            "summary_part": part_language(SOURCE_LANGUAGE if "summary" in fallback else served, served),
            "body_part": part_language(body_language, served),
            "blocks": document_blocks(data["blocks"], data.get("glossary", []), defined),
            "notices": [notice["message"] for notice in data.get("notices", [])] + [data["review"]["notice"]],
            "terms": [{**term, "anchor": term_anchor(term["slug"])} for term in data.get("glossary_terms", [])],
            "sources": [document_source(source, translation.get_language()) for source in data.get("sources", [])],
            "license": data.get("license"),
            "levels": other_levels(data, base_url, level),
            "languages": language_links(data, base_url, level),
        }
    )
    return context


def term_context(data):
    served = data["language"]["served"]
    fallback = set(data["language"]["fallback_fields"])
    context = page_context(data, data["term"])
    context.update(
        {
            "term_part": part_language(SOURCE_LANGUAGE if "term" in fallback else served, served),
            "definition": data["definition"],
            "definition_part": part_language(SOURCE_LANGUAGE if "definition" in fallback else served, served),
            "plain_definition": data["plain_definition"],
            "plain_part": part_language(SOURCE_LANGUAGE if "plain_definition" in fallback else served, served),
            "articles": data.get("articles", []),
            "license": data.get("license"),
            "languages": language_links(data, public_url(f"/api/v1/glossary/{data['slug']}/"), None),
        }
    )
    return context


def term_anchor(slug):
    return f"term-{slug}"


def document_blocks(blocks, spans, defined):
    """The body's blocks with their heading levels in order (never skipping one under the `h1`) and their text
    cut into runs, each a glossary link or not."""
    by_run = {}
    for span in spans:
        if span["term"] in defined:
            by_run.setdefault((span["block"], span.get("item")), []).append(span)
    shaped = []
    deepest = 1  # the title's h1
    for index, block in enumerate(blocks):
        item = {"type": block["type"], "part": {"lang": block["lang"], "dir": text_direction(block["lang"])}
                if block.get("lang") else {}}
        if block["type"] == "heading":
            item["level"] = max(2, min(int(block.get("level") or 2), deepest + 1, 6))
            deepest = item["level"]
            item["runs"] = runs(block["text"], by_run.get((index, None), []))
        elif block["type"] == "list":
            item["items"] = [runs(text, by_run.get((index, number), [])) for number, text in enumerate(block["items"])]
        elif block["type"] == "figure":
            item.update({"src": block["src"], "alt": block["alt"], "caption": block.get("caption")})
        else:
            item["runs"] = runs(block.get("text", ""), by_run.get((index, None), []))
        shaped.append(item)
    return shaped


def runs(text, spans):
    """[{text, anchor or None}]: `text` cut at the spans' code-point offsets; an overlapping span is left unlinked."""
    pieces, position = [], 0
    for span in sorted(spans, key=lambda span: span["start"]):
        if span["start"] < position or span["end"] > len(text):
            continue
        if span["start"] > position:
            pieces.append({"text": text[position:span["start"]], "anchor": None})
        pieces.append({"text": text[span["start"]:span["end"]], "anchor": term_anchor(span["term"])})
        position = span["end"]
    if position < len(text):
        pieces.append({"text": text[position:], "anchor": None})
    return pieces


def document_source(source, attribution_language):
    """A source's attribution sentence (as the JSON has it) with the title marked as a citation in its own language.

    Source titles are kept in the language the source is written in, English.
    """
    before, found, after = source["attribution"].partition(source["title"]) if source["title"] else ("", "", "")
    return {
        **source,
        "before": before if found else source["attribution"],
        "cited": found,
        "after": after,
        "cited_part": part_language(SOURCE_LANGUAGE, attribution_language),
    }


def other_levels(data, base_url, level):
    """Links to this text at each other reading level that exists in the served language."""
    served = data["language"]["served"]
    labels = dict(ReadingLevel.choices)
    links = []
    for entry in data.get("available", []):
        if entry["level"] != level and served in entry["languages"]:
            links.append({"label": labels.get(entry["level"], entry["level"]),
                          "href": f"{base_url}?{urlencode({'lang': served, 'level': entry['level']})}"})
    return links


def language_links(data, base_url, level):
    """Links to this text in each other language, named in that language: for an article (`level` given) the
    languages it is published in, at this level where it exists there; for a glossary term every language."""
    served = data["language"]["served"]
    available = {entry["level"]: set(entry["languages"]) for entry in data.get("available", [])}
    links = []
    for code in language_codes():
        query = {"lang": code}
        if level is not None:
            levels = [name for name, languages in sorted(available.items()) if code in languages]
            if not levels:
                continue
            query["level"] = level if level in levels else levels[0]
        if code == served:
            continue
        described = describe_language(code)
        links.append({"code": code, "tag": described["tag"], "dir": described["direction"],
                      "name": described["native_name"], "href": f"{base_url}?{urlencode(query)}"})
    return links
