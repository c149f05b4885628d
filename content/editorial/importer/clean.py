"""Typography and page furniture: what a web page saved as text carries that an article must not.

Normalising keeps the line structure and the runs of spaces inside a line:
line numbers in the import report must match the file, and a double space is
how a lost word shows itself (report.py looks for it before parse.py
collapses spaces).
"""

import re
from dataclasses import dataclass

from content.text.plain_text import UNHOLDABLE

# Non-breaking, narrow non-breaking and figure spaces, and tabs, are plain spaces to a reader.
ODD_SPACES = re.compile("[\u00a0\u202f\u2007\t\x0b\x0c]")
# What the write path refuses in any text (controls, bidi overrides, zero-width characters): a saved page may carry
# them, and the importer drops them rather than refuse the whole document (NUL is refused earlier).
INVISIBLES = UNHOLDABLE
STRAIGHT_QUOTES = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"'}
)
# Glyph bullets may touch their text; a hyphen or asterisk is a bullet only when a space follows.
BULLET = re.compile(r"^ *(?:[•●◦▪] *|[-*] +)(?=\S)", re.MULTILINE)
DASH_WITH_SPACES = re.compile(r" *([–—]) *")


def normalise_text(text):
    """The text with uniform line breaks, spaces, quotes, bullets ("- ") and dash spacing."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = ODD_SPACES.sub(" ", text)
    text = INVISIBLES.sub("", text)
    text = text.translate(STRAIGHT_QUOTES)
    text = BULLET.sub("- ", text)
    text = DASH_WITH_SPACES.sub(_space_dash, text)
    return "\n".join(line.rstrip() for line in text.split("\n"))


def _space_dash(match):
    # "1–2" and "word—word" stay tight; a dash written with spaces gets exactly one on each side.
    if match.group(0) == match.group(1):
        return match.group(0)
    return f" {match.group(1)} "


@dataclass(frozen=True)
class Furniture:
    name: str
    pattern: re.Pattern


_DAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"

# Each pattern must match a whole line, so a sentence that merely mentions a
# phone number or a weekday is never dropped. Add new furniture here.
FURNITURE = (
    Furniture(
        "phone number",
        re.compile(r"(?:call(?: us)?(?: at)?:? *)?(?:\+?1[-. ]?)?\(?\d{3}\)?[-. ]?\d{3}[-. ]\d{4}\.?", re.IGNORECASE),
    ),
    Furniture("appointment link", re.compile(r"request an appointment\.?", re.IGNORECASE)),
    Furniture("text size control", re.compile(r"[+\- ]*text size", re.IGNORECASE)),
    Furniture("next topic link", re.compile(r"next topic:.*", re.IGNORECASE)),
    Furniture(
        "marketing line",
        re.compile(
            r"expert cancer care|is one call away\.?|appointments in as little as \d+ (?:hrs?|hours)\.?",
            re.IGNORECASE,
        ),
    ),
    Furniture(
        "office hours",
        re.compile(rf"{_DAY} *(?:through|thru|to|-|–) *{_DAY}\b[^.!?]{{0,60}}", re.IGNORECASE),
    ),
)


def furniture_name(text):
    """The name of the furniture a whole line is, or None for content."""
    for furniture in FURNITURE:
        if furniture.pattern.fullmatch(text):
            return furniture.name
    return None


def remove_furniture(lines):
    """(lines to keep, [(removed line, furniture name)])."""
    kept, removed = [], []
    for line in lines:
        name = furniture_name(line.text)
        if name:
            removed.append((line, name))
        else:
            kept.append(line)
    return kept, removed
