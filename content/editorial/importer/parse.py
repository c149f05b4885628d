"""Lines of a cleaned document → its title and blocks (headings, paragraphs, lists).

Saved web pages put one paragraph per line, a heading on a short line of its
own and list items behind bullets. Some pages arrive as a single long line
with numbered sections run together ("1.Tumor resection ... surgery After
patients are ..."); those are split back into paragraphs, headings and lists.
"""

import re
from dataclasses import dataclass, field

HEADING_MAX_LENGTH = 80
HEADING_MAX_WORDS = 12
# A line this long is not one paragraph of a web page but several run
# together; only such lines are split at runs of spaces, so that a writer who
# puts two spaces after a full stop does not get a paragraph per sentence.
RUN_TOGETHER_MIN_LENGTH = 1000
RUN_TOGETHER_SEPARATOR = re.compile(r"(?<=[.!?:;\"')]) {2,}| {2,}(?=\(?\d{1,2}[.)])")

BULLET_ITEM = re.compile(r"- +(?P<text>.+)")
ENUMERATION_MARKER = re.compile(r"\((?P<number>\d{1,2})\) *")
ENUMERATION_START = re.compile(r"\(\d{1,2}\) ")
ITEM_JOINER = re.compile(r"[;,]? *(?:\b(?:and|or))?$")
NUMBERED_SECTION = re.compile(r"(?P<number>\d{1,2})\. *(?P<rest>[A-Z].*)")
# Words after which a sentence cannot end, so a capital after them is a name, not a new sentence.
FUNCTION_WORDS = frozenset(
    "a an the and or nor but of to in on at by for from with without into onto as than about after before "
    "under over between through during is are was were be".split()
)


@dataclass
class Block:
    kind: str  # "heading", "paragraph" or "list"
    line: int
    blank_before: int = 0
    text: str = ""
    items: list = field(default_factory=list)


@dataclass
class _Segment:
    kind: str  # "heading", "paragraph", "item" or "maybe_heading"
    text: str
    line: int
    blank_before: int


def split_title(lines):
    """(title, the remaining lines): the first line, and a repeat of it dropped."""
    if not lines:
        return "", []
    title, rest = lines[0].text, list(lines[1:])
    if rest and _same_words(rest[0].text, title):
        rest = rest[1:]
    return collapse_spaces(title), rest


def _same_words(first, second):
    return first.casefold().split() == second.casefold().split()


def collapse_spaces(text):
    return " ".join(text.split())


def parse_blocks(lines):
    """The blocks of the body, each with the source line it came from."""
    segments = []
    for line in lines:
        for position, piece in enumerate(split_run_together(line.text)):
            blank_before = line.blank_before if position == 0 else 0
            segments.extend(_classify(piece, line.number, blank_before))
    _resolve_headings(segments)
    return _group(segments)


def split_run_together(text):
    """A line of paragraphs run together, split where runs of spaces separate them."""
    if len(text) < RUN_TOGETHER_MIN_LENGTH:
        return [text]
    return [piece.strip() for piece in RUN_TOGETHER_SEPARATOR.split(text) if piece.strip()]


def _classify(text, line, blank_before):
    def segment(kind, value):
        return _Segment(kind, collapse_spaces(value), line, blank_before)

    bullet = BULLET_ITEM.fullmatch(text)
    if bullet:
        return [segment("item", bullet.group("text"))]
    if ENUMERATION_START.match(text):
        items = [part for part in ENUMERATION_MARKER.split(text)[2::2] if part.strip()]
        return [segment("item", ITEM_JOINER.sub("", item.strip())) for item in items]
    numbered = NUMBERED_SECTION.fullmatch(text)
    if numbered:
        heading, rest = split_section_title(numbered.group("rest"))
        if heading:
            return [segment("heading", heading)] + (_classify(rest, line, 0) if rest else [])
    return [segment("maybe_heading" if looks_like_heading(text) else "paragraph", text)]


def split_section_title(text):
    """("heading", "rest") for a numbered section whose title runs into its first sentence.

    The title ends at a question mark, or where a capitalised word starts a
    new sentence (not after "of", "the"... and followed by a lowercase word,
    so "Memorial Sloan Kettering" stays whole). ("", text) when no title is found.
    """
    words = text.split()
    question = next((index for index, word in enumerate(words) if word.endswith("?")), None)
    if question is not None and question < HEADING_MAX_WORDS + 3:
        return " ".join(words[: question + 1]), " ".join(words[question + 1 :])
    for index in range(1, min(len(words) - 1, HEADING_MAX_WORDS + 1)):
        if words[index - 1][-1] in ".,;:!?":
            break
        if (
            _starts_sentence(words[index])
            and words[index - 1].lower() not in FUNCTION_WORDS
            and words[index + 1][:1].islower()
        ):
            return " ".join(words[:index]), " ".join(words[index:])
    return "", text


def _starts_sentence(word):
    if word in ("A", "I"):
        return True
    return len(word) > 1 and word[0].isupper() and word[1:].isalpha() and word[1:].islower()


def looks_like_heading(text):
    """Short, starts with a capital or number, and no final punctuation (a question is allowed)."""
    text = text.strip()
    return (
        bool(text)
        and len(text) <= HEADING_MAX_LENGTH
        and len(text.split()) <= HEADING_MAX_WORDS
        and (text[0].isupper() or text[0].isdigit())
        and text[-1] not in ".,;:!"
    )


def _resolve_headings(segments):
    # From the end backwards, so that whether the next segment is a paragraph is already known.
    for index in range(len(segments) - 1, -1, -1):
        segment = segments[index]
        if segment.kind != "maybe_heading":
            continue
        following = segments[index + 1] if index + 1 < len(segments) else None
        segment.kind = "heading" if following and following.kind in ("paragraph", "item") else "paragraph"


def _group(segments):
    blocks = []
    for segment in segments:
        if segment.kind == "item":
            if blocks and blocks[-1].kind == "list" and segment.blank_before < 2:
                blocks[-1].items.append(segment.text)
                continue
            blocks.append(Block("list", segment.line, segment.blank_before, items=[segment.text]))
        else:
            blocks.append(Block(segment.kind, segment.line, segment.blank_before, text=segment.text))
    return blocks
