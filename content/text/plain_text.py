"""Text fields hold plain text: apps render them natively, so an HTML tag in one is never content.

Tags are found with the standard library's HTML tokenizer (html.parser), the
way a browser would see them, and any start or end tag, comment, declaration
or processing instruction counts. A "<" that starts no tag stays text:
"PSA < 4", "x<3", "a<b" and an unfinished "<script" at the very end are not
tags to a browser either, so medical text that compares numbers is never
refused. Nothing is ever stripped or escaped silently: the editor is told.
"""

import re
import unicodedata
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from content.text.blocks import parse_body

MAX_TAGS_NAMED = 3
# Characters no patient text needs, which an editor cannot see and a reviewer cannot check:
# - what XML 1.0 cannot hold (XLIFF export would silently drop them): C0 controls but tab, line feed and carriage
#   return; unpaired surrogates; the non-characters U+FFFE and U+FFFF;
# - DEL and the C1 controls (U+007F–U+009F): terminal escapes (CSI) and line breaks (NEL) no app shows alike;
# - bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they reorder what is displayed, so a
#   dose can read differently from what was reviewed ("Trojan Source"). Apps set direction from the block's
#   language; the marks LRM, RLM and ALM (U+200E, U+200F, U+061C) only place neutral punctuation, reorder no
#   letters, and Arabic text needs them around Latin words and numbers, so they stay allowed;
# - zero-width characters that are never spelling: U+200B (zero-width space), U+2060 (word joiner), U+FEFF (a byte
#   order mark inside text). They hide inside words, so "bio\u200bpsy" escapes search and glossary matching.
# ZWNJ and ZWJ (U+200C, U+200D) are spelling in Persian, Urdu, Kurdish and the Indic scripts (and ZWJ builds emoji
# sequences), so they are allowed between two letters, marks or symbols and refused only where they join nothing:
# at either end of the text or beside a space, digit or punctuation ("editor\u200d").
UNHOLDABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u202a-\u202e\u2060\u2066-\u2069\ufeff\ud800-\udfff\ufffe\uffff]"
)
JOINERS = re.compile("[\u200c\u200d]")
JOINABLE_CATEGORIES = ("L", "M", "S")
# Characters of a URL path (RFC 3986 unreserved, "/" and percent-escapes); no ":", "&", "\\" or quotes.
RELATIVE_PATH = re.compile(r"[A-Za-z0-9._~%/-]+")


class _TagFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(f"<{tag}>")

    def handle_startendtag(self, tag, attrs):
        self.tags.append(f"<{tag}/>")

    def handle_endtag(self, tag):
        self.tags.append(f"</{tag}>")

    def handle_comment(self, data):
        self.tags.append("<!--…-->")

    def handle_decl(self, decl):
        self.tags.append(f"<!{decl.split(' ', 1)[0]}>")

    def unknown_decl(self, data):
        self.tags.append(f"<![{data.split('[', 1)[0]}[…]]>")

    def handle_pi(self, data):
        self.tags.append("<?…>")


def html_tags(text):
    """The HTML tags (and comments, declarations) in `text`, in order; [] for plain text."""
    if "<" not in (text or ""):
        return []
    finder = _TagFinder()
    finder.feed(text)
    finder.close()
    return finder.tags


def tags_problem(text):
    """A sentence for the editor when `text` contains HTML, else None."""
    tags = html_tags(text)
    if not tags:
        return None
    named = ", ".join(list(dict.fromkeys(tags))[:MAX_TAGS_NAMED])
    return _(
        "HTML is not allowed here (found %(tags)s): this is plain text that apps show as it is. Remove the tags; "
        "a “<” that starts no tag, as in “PSA < 4”, is fine."
    ) % {"tags": named}


def figure_src_problem(src):
    """A sentence when a figure's image address is neither https:// nor a path on this site, else None.

    A relative path ("/media/x.png", "images/x.png") is served by BoneCare
    itself and is limited to the characters of a URL path, so no entity
    ("javascript&#58;") or scheme can hide in it. "//host/x.png" is not
    relative: it takes the page's scheme and another host. Every scheme but
    https (http:, javascript:, data:, file:…) is refused.
    """
    parts = urlsplit(src)
    if parts.scheme.lower() == "https" and parts.netloc:
        return None
    if not parts.scheme and RELATIVE_PATH.fullmatch(src) and not src.startswith("//"):
        return None
    return _(
        "The image address %(src)s is not allowed: use an https:// address or a path on this site "
        "(such as /media/figure.png)."
    ) % {"src": src}


def normalise_line_breaks(text):
    """Text with every line break as "\n": browsers send "\r\n" from a text area, translation files "\n"."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if text and "\r" in text else text


def control_characters_problem(text):
    """A sentence when `text` holds characters no text needs (and translation files cannot carry), else None."""
    text = text or ""
    found = list(dict.fromkeys(
        match.start() for match in UNHOLDABLE.finditer(text)
    ))
    found = sorted(found + [match.start() for match in JOINERS.finditer(text) if not _joins(text, match.start())])
    found = list(dict.fromkeys(text[index] for index in found))
    if not found:
        return None
    return _("Invisible control characters are not allowed here (found %(codes)s): remove them.") % {
        "codes": ", ".join(f"U+{ord(character):04X}" for character in found[:MAX_TAGS_NAMED])
    }


def _joins(text, index):
    """Whether the joiner at `index` stands between two letters, marks or symbols (or another joiner's sequence)."""
    if index == 0 or index + 1 >= len(text):
        return False
    return all(
        unicodedata.category(text[neighbour]).startswith(JOINABLE_CATEGORIES) for neighbour in (index - 1, index + 1)
    )


def text_problems(text, *, markup=False):
    """Sentences about `text`, a plain-text field; with `markup`, an article body (blocks, figures)."""
    problems = []
    controls = control_characters_problem(text)
    if controls:
        problems.append(controls)
    tags = tags_problem(text)
    if tags:
        problems.append(tags)
    if markup:
        for block in parse_body(text):
            if block["type"] == "figure":
                problem = figure_src_problem(block["src"])
                if problem:
                    problems.append(problem)
    return problems
