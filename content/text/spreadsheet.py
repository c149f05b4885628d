"""Cells that a spreadsheet would run as a formula, made inert (CSV injection).

Excel, LibreOffice and Google Sheets run a cell as a formula when it starts
with "=", "+", "-" or "@" (and "|" starts a DDE link in older Excel), and they
are lenient about what comes first: they skip leading spaces, tabs and
line breaks, read full-width forms ("＝SUM(…)") as their ASCII letters, and a
CSV opened with ";" or "," as the separator turns ";=1+1" into an empty cell
and a formula. So a cell is dangerous when, after NFKC normalisation (which
maps ＝＋－＠｜ and the small forms ﹦﹢﹣﹫ to ASCII), leading whitespace and
separators removed, it starts with one of those characters. Such a cell is
prefixed with an apostrophe, which every spreadsheet reads as "this is text"
and does not show; the text itself is kept whole. The writer also quotes every
cell, so a separator inside a cell never splits it in any locale.
"""

import unicodedata

FORMULA_STARTS = frozenset("=+-@|\u2212")  # \u2212 MINUS SIGN: NFKC keeps it, Excel reads it as "-"
SKIPPED_BEFORE = " \t\r\n\v\f;,"


def is_formula_like(text):
    normalised = unicodedata.normalize("NFKC", text)
    # str.lstrip() removes every Unicode space (no-break, ideographic…); separators after it too.
    stripped = normalised.lstrip().lstrip(SKIPPED_BEFORE).lstrip()
    return stripped[:1] in FORMULA_STARTS or (normalised[:1] in "\t\r\n" and bool(normalised))


def spreadsheet_safe(value):
    """`value` as a CSV cell a spreadsheet shows as text; non-strings are returned unchanged."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value
