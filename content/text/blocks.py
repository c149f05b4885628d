"""Article bodies as typed blocks.

Editors write a body as plain text: blocks are separated by a blank line,
`## ` starts a heading, lines starting with `- ` form a list, a line
`![alt text](image URL)` is a figure, anything else is a paragraph. A block
whose last line is `{lang=xx}` is in another language than the article (an
English drug name inside Arabic text, say). Apps get the blocks, never HTML,
and render them natively.
"""

import re

BLOCK_LANGUAGE = re.compile(r"\s*\{lang=([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\}\s*$")
BLANK_LINES = re.compile(r"\n\s*\n")
FIGURE = re.compile(r"^!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)\)$")


def parse_body(body):
    """Turn an editor's body text into a list of block dicts."""
    blocks = []
    for chunk in BLANK_LINES.split((body or "").replace("\r\n", "\n").strip()):
        chunk = chunk.strip()
        if not chunk:
            continue
        language = None
        match = BLOCK_LANGUAGE.search(chunk)
        if match:
            language = match.group(1).lower()
            chunk = chunk[: match.start()].rstrip()
        blocks.extend(_parse_chunk(chunk, language))
    return blocks


def _parse_chunk(chunk, language):
    lines = [line.strip() for line in chunk.split("\n") if line.strip()]
    # Headings at the top of a chunk are taken one by one in a loop: a chunk of many heading lines must cost
    # neither a recursion level nor a copy of the rest of the chunk per heading.
    blocks = []
    first = 0
    while first < len(lines) and lines[first].startswith("#"):
        blocks.append(_with_language({"type": "heading", "level": 2, "text": lines[first].lstrip("#").strip()}, language))
        first += 1
    lines = lines[first:]
    if not lines:
        return blocks
    figure = FIGURE.match(lines[0]) if len(lines) == 1 else None
    if figure:
        return blocks + [_with_language({"type": "figure", "src": figure["src"], "alt": figure["alt"].strip()}, language)]
    if all(line.startswith("- ") for line in lines):
        return blocks + [_with_language({"type": "list", "items": [line[2:].strip() for line in lines]}, language)]
    intro = [line for line in lines if not line.startswith("- ")]
    items = [line[2:].strip() for line in lines if line.startswith("- ")]
    if items and lines[: len(intro)] == intro:
        # A paragraph that introduces a list, written without a blank line between.
        return blocks + [
            _with_language({"type": "paragraph", "text": " ".join(intro)}, language),
            _with_language({"type": "list", "items": items}, language),
        ]
    return blocks + [_with_language({"type": "paragraph", "text": " ".join(lines)}, language)]


def _with_language(block, language):
    if language:
        block["lang"] = language
    return block


def block_texts(blocks):
    """Yield (block index, item index or None, text) for every run of text."""
    for index, block in enumerate(blocks):
        if block["type"] == "list":
            for item_index, item in enumerate(block["items"]):
                yield index, item_index, item
        elif block["type"] == "figure":
            continue
        else:
            yield index, None, block["text"]


def plain_text(blocks):
    """The body as sentences, for measuring readability and reading time.

    Headings and list items carry no final stop; one is added so that
    sentence-based formulas do not run them into the next sentence.
    """
    parts = []
    for _index, _item, text in block_texts(blocks):
        text = text.strip()
        if text and text[-1] not in ".!?。！？؟:;":
            text += "."
        parts.append(text)
    return "\n".join(parts)
