"""The CSV formula guard, on a table of cells that spreadsheets would run, and on the exported file read back."""

import csv
import io
import unicodedata

import pytest

from content.editorial import services
from content.editorial.dashboard import matrix_csv, translation_matrix
from content.models import ArticleVariant, TranslationReview
from content.text.plain_text import normalise_line_breaks
from content.text.spreadsheet import spreadsheet_safe
from tests.factories import make_article

DANGEROUS = [
    "=1+1", "+1+1", "-1+1", "@SUM(A1:A2)", "=HYPERLINK(\"http://example.com\",\"x\")", "=cmd|' /C calc'!A0",
    # leading whitespace, tab, CR, LF
    " =1+1", "   +1", "\t=1+1", "\r=1+1", "\n=1+1", "\t", "\r", "\u00a0=1+1", "\u3000=1+1", "\u2003@x",
    # full-width and small forms, and the minus sign
    "＝1+1", "＋1", "－1", "＠SUM(A1)", "｜cmd", "﹦1", "﹢1", "﹣1", "﹫x", "\u2212" "1+1", " ＝1",
    # separators before a formula, and the DDE pipe
    ";=1+1", ",=1+1", " ;=1+1", ";;@x", ",+1", "|cmd", " |cmd",
]
SAFE = ["Bone cancer", "PSA < 4", "a=b", "e-mail", "", "Dr O'Neil", "50% of patients", "(=1)", "1+1"]


def spreadsheet_would_run(cell):
    """What a lenient spreadsheet does on opening: an apostrophe means text; otherwise skip blanks and separators."""
    if cell.startswith("'"):
        return False
    normalised = unicodedata.normalize("NFKC", cell)
    if normalised[:1] in ("\t", "\r", "\n"):
        return True
    return normalised.lstrip().lstrip(" \t\r\n;,").lstrip()[:1] in set("=+-@|\u2212")


@pytest.mark.parametrize("cell", DANGEROUS)
def test_dangerous_cells_are_made_text_and_kept_whole(cell):
    assert spreadsheet_would_run(cell)
    safe = spreadsheet_safe(cell)
    assert safe == "'" + cell
    assert not spreadsheet_would_run(safe)


@pytest.mark.parametrize("cell", SAFE)
def test_ordinary_cells_are_left_alone(cell):
    assert spreadsheet_safe(cell) == cell


@pytest.mark.django_db
def test_the_exported_csv_read_back_has_no_cell_a_spreadsheet_would_run():
    article = make_article("a", languages=("en", "es"), levels=("standard",))
    variant = ArticleVariant.objects.get(article=article)
    for value in DANGEROUS:
        variant.title_en = value
        # reviewed_by is typed by a person too, in another column.
        TranslationReview.objects.filter(variant=variant, language="es").update(reviewed_by=value)
        services.save_variant(variant)

        exported = matrix_csv(translation_matrix())
        assert exported.startswith('"article","title_en",')  # every cell quoted, as OWASP advises
        lines = list(csv.reader(io.StringIO(exported)))
        cells = [cell for line in lines[1:] for cell in line]
        assert not [cell for cell in cells if spreadsheet_would_run(cell)], value
        rows = list(csv.DictReader(io.StringIO(exported)))
        # The write path stores line breaks as "\n" (a title typed with "\r" comes back with "\n").
        assert {row["title_en"] for row in rows} == {"'" + normalise_line_breaks(value)}
        spanish = next(row for row in rows if row["language"] == "es")
        assert spanish["reviewed_by"] == "'" + value

