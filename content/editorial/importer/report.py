"""Defects in a source that an editor should look at, each with its line in the file.

The importer never repairs text silently: what it removes or suspects is
reported here, in words an editor understands.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from content.models import ImportDefect

Kind = ImportDefect.Kind

EXCERPT_CONTEXT = 50
# A double space right after one of these words is where a word was lost
# ("surgery and  may also"). Double spaces elsewhere are left by links and
# formatting in saved pages ("bone cancer  experts") and are not reported.
WORDS_THAT_NEED_A_NEXT_WORD = "a an the and or nor but of to with for in on at by from as than".split()
MISSING_WORD = re.compile(rf"(?<![\w'-])(?P<word>{'|'.join(WORDS_THAT_NEED_A_NEXT_WORD)}) {{2,}}(?=\S)")
# "Monday through Friday, to , (Eastern time)", "from to", "between and": the times were links or scripts.
EMPTY_TIME_RANGE = re.compile(
    r"(?:^|[,;(]) *(?:to|through|thru|until|–|-) *(?:[,;)]|$)|\bfrom +(?:to|until|till)\b|\bbetween +and\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Defect:
    kind: str
    message: str
    excerpt: str
    line: int | None


def find_defects(all_lines, body_lines, blocks, removed_furniture):
    """Every defect, in the order of the file.

    `all_lines` are the cleaned lines before anything was removed (office hours
    are furniture, but their empty time range is still worth telling);
    `body_lines` are the lines the article is built from.
    """
    defects = [
        *furniture_removals(removed_furniture),
        *empty_time_ranges(all_lines),
        *missing_words(body_lines),
        *lists_that_never_come(blocks),
        *sections_without_heading(blocks),
    ]
    return sorted(defects, key=lambda defect: defect.line or 0)


def furniture_removals(removed_furniture):
    return [
        Defect(
            Kind.FURNITURE_REMOVED,
            f"Removed from the article: this line is page furniture ({name}), not patient information.",
            line.text,
            line.number,
        )
        for line, name in removed_furniture
    ]


def empty_time_ranges(lines):
    return [
        Defect(
            Kind.EMPTY_TIME_RANGE,
            f'A time range has no times ("{match.group(0).strip(" ,;(")}"): the times were lost when the page '
            "was saved. Check the original page before giving these hours to patients.",
            line.text,
            line.number,
        )
        for line in lines
        for match in EMPTY_TIME_RANGE.finditer(line.text)
    ]


def missing_words(lines):
    return [
        Defect(
            Kind.MISSING_WORD,
            f'A word seems to be missing after "{match.group("word")}" (there is a gap where it should be). '
            "Check the original page and fill it in.",
            _excerpt_around(line.text, match.end("word"), match.end()),
            line.number,
        )
        for line in lines
        for match in MISSING_WORD.finditer(line.text)
    ]


def _excerpt_around(text, gap_start, gap_end):
    before = text[max(0, gap_start - EXCERPT_CONTEXT) : gap_start]
    after = text[gap_end : gap_end + EXCERPT_CONTEXT]
    if gap_start > EXCERPT_CONTEXT:
        before = "…" + before.split(" ", 1)[-1]
    if gap_end + EXCERPT_CONTEXT < len(text):
        after = after.rsplit(" ", 1)[0] + "…"
    return " ".join(f"{before} [?] {after}".split())


def lists_that_never_come(blocks):
    defects = []
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if block.kind == "paragraph" and block.text.endswith(":") and (following is None or following.kind != "list"):
            defects.append(
                Defect(
                    Kind.LIST_INTRO_WITHOUT_LIST,
                    "This paragraph introduces a list, but no list follows it: the list was probably lost when "
                    "the page was saved. Add the list from the original page, or reword the sentence.",
                    _last_sentence(block.text),
                    block.line,
                )
            )
    return defects


def _last_sentence(text):
    sentences = re.split(r"(?<=[.!?]) +", text)
    return sentences[-1]


def sections_without_heading(blocks):
    # Two blank lines before a paragraph mark where the page had a heading;
    # the first block is the introduction and needs none.
    return [
        Defect(
            Kind.SECTION_WITHOUT_HEADING,
            "A new section starts here without a heading (the page leaves a wider gap before it): its heading "
            "was probably lost. Add a heading if this paragraph starts a new subject.",
            _first_words(block.text),
            block.line,
        )
        for index, block in enumerate(blocks)
        if index > 0 and block.kind == "paragraph" and block.blank_before >= 2 and blocks[index - 1].kind != "heading"
    ]


def editor_conflict(article_slug):
    return Defect(
        Kind.EDITOR_CONFLICT,
        f"This file changed since the last import, but an editor has also changed the article '{article_slug}'. "
        "The editor's text was kept and the new text was not applied: compare the article with this source's "
        "text and carry over what is needed by hand.",
        article_slug,
        None,
    )


def _first_words(text, length=EXCERPT_CONTEXT * 2):
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0] + "…"


def report_entries(defects):
    """(kind, where, message, excerpt) for each stored defect: the one wording of the import report.

    The admin (on the article and its source) and `import_documents` both show
    the report through this, so an editor and whoever ran the import read the same list.
    """
    return [
        (defect.get_kind_display(), _("line %s") % defect.line if defect.line else "–", defect.message, defect.excerpt)
        for defect in defects
    ]
