"""Text fields hold plain text: apps render them natively, so an HTML tag in one is never content.

Tags are found with the standard library's HTML tokenizer (html.parser), the
way a browser would see them, and any start or end tag, comment, declaration
or processing instruction counts. A "<" that starts no tag stays text:
"PSA < 4", "x<3", "a<b" and an unfinished "<script" at the very end are not
tags to a browser either, so medical text that compares numbers is never
refused. Nothing is ever stripped or escaped silently: the editor is told.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from content.text.blocks import parse_body

MAX_TAGS_NAMED = 3
# Characters no text needs and XML 1.0 cannot hold (XLIFF export would silently drop them): C0 controls but tab,
# line feed and carriage return; unpaired surrogates; the non-characters U+FFFE and U+FFFF.
UNHOLDABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
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
    found = list(dict.fromkeys(UNHOLDABLE.findall(text or "")))
    if not found:
        return None
    return _("Invisible control characters are not allowed here (found %(codes)s): remove them.") % {
        "codes": ", ".join(f"U+{ord(character):04X}" for character in found[:MAX_TAGS_NAMED])
    }


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
