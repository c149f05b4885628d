"""Blocks → the body markup editors write (see content/text/blocks.py), and a summary."""

import re

SUMMARY_MAX_LENGTH = 300
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


def body_markup(blocks):
    """Blocks separated by a blank line; "## " for a heading, "- " for each list item."""
    return "\n\n".join(_block_markup(block) for block in blocks)


def _block_markup(block):
    if block.kind == "heading":
        return f"## {block.text}"
    if block.kind == "list":
        return "\n".join(f"- {item}" for item in block.items)
    return block.text


def summary_of(blocks, max_length=SUMMARY_MAX_LENGTH):
    """The whole sentences of the first paragraph that fit in `max_length` characters.

    A first sentence longer than that is cut at a word and marked with "…".
    """
    paragraph = next((block.text for block in blocks if block.kind == "paragraph"), "")
    summary = ""
    for sentence in SENTENCE_END.split(paragraph):
        candidate = f"{summary} {sentence}".strip()
        if len(candidate) > max_length:
            break
        summary = candidate
    if summary or not paragraph:
        return summary
    cut = paragraph[: max_length - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"
