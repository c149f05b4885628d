"""A document as numbered lines.

Blank lines carry meaning in saved web pages (two in a row often mark where a
heading was lost), so each line remembers how many blank lines preceded it;
that survives the removal of the lines around it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceLine:
    number: int  # 1-based, as an editor's text editor shows it
    text: str
    blank_before: int


def split_lines(text):
    """The non-blank lines of `text`, stripped, with their numbers and preceding blank lines."""
    lines = []
    blank_run = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        if not stripped:
            blank_run += 1
            continue
        lines.append(SourceLine(number=number, text=stripped, blank_before=blank_run))
        blank_run = 0
    return lines
