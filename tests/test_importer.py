"""The importer: source text → draft article, source metadata and an import report.

Parsing, cleaning and defect detection are pure, so most tests here need no
database; the import itself is tested on the real source documents
(../shared/seeds) and on small documents written for these tests
(importer_samples/), each with a known defect.
"""

import html
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.text.blocks import parse_body
from content.editorial.importer.clean import normalise_text, remove_furniture
from content.editorial.importer.document import build_document
from content.editorial.importer.errors import ImportFailure
from content.editorial.importer.lines import split_lines
from content.editorial.importer.markup import summary_of
from content.editorial.importer.metadata import detect_publisher, extract_review_metadata
from content.editorial.importer.parse import Block, parse_blocks, split_run_together, split_section_title
from content.models import Article, ArticleVariant, ImportDefect, SourceDocument, Topic
from content.editorial import services
from tests.factories import make_article, make_source, make_topic, set_texts

Kind = ImportDefect.Kind
CTCA = "Cancer Treatment Centers of America (CTCA)"
SAMPLES_DIR = Path(__file__).parent / "importer_samples"
SEED_NAMES = {
    "000": "000_b2160287eb841007.txt",
    "001": "001_a9c68fe79ac5b46a.txt",
    "002": "002_37edeff9342b5c11.txt",
    "003": "003_e6e2854042fa79ee.txt",
    "004": "004_4c8c352ae39cd595.txt",
}


def seed_document(seeds_dir, key):
    name = SEED_NAMES[key]
    return build_document((seeds_dir / name).read_text(encoding="utf-8"), name)


def defects_of(document, kind):
    return [defect for defect in document.defects if defect.kind == kind]


def run_import(*paths, verbosity=1, **options):
    """(stdout, stderr) of the command; lets CommandError through."""
    out, err = StringIO(), StringIO()
    call_command("import_documents", *map(str, paths), verbosity=verbosity, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def table_counts():
    models = (SourceDocument, Article, ArticleVariant, ImportDefect, Topic)
    return {model.__name__: model.objects.count() for model in models}


def standard_variant(article):
    return article.variants.get(level="standard")


def edit_file(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


# --- Cleaning -------------------------------------------------------------------------------------


def test_odd_spaces_quotes_and_dashes_are_normalised_and_lines_kept():
    text = (
        "We\u2019ve said \u201cgrow\u201d.\n"
        "an active \u2014\u00a0 even athletic \u2014 life\n\n"
        "pages 1\u20132\u202fonly"
    )

    cleaned = normalise_text(text)

    assert cleaned == "We've said \"grow\".\nan active — even athletic — life\n\npages 1–2 only"


def test_characters_the_write_path_refuses_are_dropped_from_a_saved_page_not_fatal_to_its_import():
    """A saved web page may carry bidi overrides, C1 controls or zero-width spaces: the draft simply loses them."""
    from content.text.plain_text import text_problems

    cleaned = normalise_text("A bio\u200bpsy \u202etakes\u202c a sample\x85 of\ufeff bone.")

    assert cleaned == "A biopsy takes a sample of bone."
    assert text_problems(cleaned) == []


@pytest.mark.parametrize(
    "line",
    ["  • How advanced", "● How advanced", "◦How advanced", "▪ How advanced", "- How advanced", "* How advanced"],
)
def test_every_bullet_glyph_becomes_a_list_item(line):
    blocks = parse_blocks(split_lines(normalise_text(f"Stage matters:\n\n{line}\n{line}")))

    assert blocks[-1].kind == "list"
    assert blocks[-1].items == ["How advanced", "How advanced"]


@pytest.mark.parametrize(
    "line, furniture",
    [
        ("Call 212-639-6219", "phone number"),
        ("(800) 555-0199", "phone number"),
        ("Request an Appointment", "appointment link"),
        ("+ -Text Size", "text size control"),
        ("Next topic: What are the facts about bone cancer?", "next topic link"),
        ("Expert cancer care", "marketing line"),
        ("is one call away.", "marketing line"),
        ("appointments in as little as 24 hrs.", "marketing line"),
        ("Monday through Friday, to , (Eastern time)", "office hours"),
    ],
)
def test_page_furniture_lines_are_removed_and_named(line, furniture):
    kept, removed = remove_furniture(split_lines(f"Keep me.\n{line}"))

    assert [line.text for line in kept] == ["Keep me."]
    assert [name for _line, name in removed] == [furniture]


def test_sentences_that_mention_a_phone_number_or_weekdays_are_kept():
    text = "Call 212-639-6219 if you have a fever.\nThe clinic is open Monday through Friday. Bring your scans."

    kept, removed = remove_furniture(split_lines(text))

    assert len(kept) == 2 and removed == []


# --- Metadata -------------------------------------------------------------------------------------


def test_reviewer_on_the_same_line_and_us_dates_are_captured_and_taken_out_of_the_body():
    lines = split_lines(
        "This page was reviewed under our medical and editorial policy by Jane Roe, MD.\n"
        "Body text.\nLast Medical Review: 05/03/2012\nLast Revised: 11/30/2013"
    )

    metadata, kept = extract_review_metadata(lines)

    assert metadata.reviewed_by == "Jane Roe, MD"
    assert (metadata.last_medical_review.isoformat(), metadata.last_revised.isoformat()) == ("2012-05-03", "2013-11-30")
    assert [line.text for line in kept] == ["Body text."]


def test_a_date_that_does_not_exist_stays_in_the_body_for_an_editor_to_see():
    metadata, kept = extract_review_metadata(split_lines("Last Revised: 13/45/2012"))

    assert metadata.last_revised is None
    assert [line.text for line in kept] == ["Last Revised: 13/45/2012"]


@pytest.mark.parametrize(
    "text, publisher",
    [
        ("MSK surgeons were the first.", "Memorial Sloan Kettering Cancer Center (MSK)"),
        ("At Cancer Treatment Centers of America (CTCA), we ...", "Cancer Treatment Centers of America (CTCA)"),
        ("the American Cancer Society's Editorial Board", "American Cancer Society (ACS)"),
        ("Bone tumors occur in the bones. MASKS are not markers.", ""),
    ],
)
def test_publisher_is_named_only_when_the_page_carries_its_marks(text, publisher):
    assert detect_publisher(text) == publisher


# --- Structure ------------------------------------------------------------------------------------


def test_numbered_section_title_ends_where_its_first_sentence_starts():
    assert split_section_title("Tumor resection and limb preservation surgery After patients are diagnosed.") == (
        "Tumor resection and limb preservation surgery",
        "After patients are diagnosed.",
    )
    assert split_section_title("What are the cases that can be done without amputation?") == (
        "What are the cases that can be done without amputation?",
        "",
    )
    # A name is not a new sentence: neither after "at" nor when a capital follows.
    assert split_section_title("Surgery at Memorial Sloan Kettering Most patients go home.")[0] == (
        "Surgery at Memorial Sloan Kettering"
    )


def test_a_short_line_with_two_spaces_after_a_full_stop_is_not_split_into_paragraphs():
    line = "Rest after the biopsy.  Call us if the wound bleeds."

    assert split_run_together(line) == [line]


def test_summary_keeps_whole_sentences_within_300_characters_and_cuts_one_long_sentence():
    sentence = "Bone cancer is rare. "
    blocks = [Block("paragraph", 1, text=sentence * 30)]
    long_sentence = [Block("paragraph", 1, text="word " * 100 + "end.")]

    summary = summary_of(blocks)

    assert len(summary) <= 300 and summary.endswith("rare.")
    assert summary_of(long_sentence).endswith("…") and len(summary_of(long_sentence)) <= 300


# --- The real source documents --------------------------------------------------------------------


def test_duplicate_title_line_is_dropped(seeds_dir):
    document = seed_document(seeds_dir, "000")

    assert document.title == "Surgery for Bone Cancer"
    assert document.blocks[0].text.startswith("Surgery is often the primary treatment")


@pytest.mark.parametrize(
    "key, kind, excerpt, line",
    [
        ("001", Kind.LIST_INTRO_WITHOUT_LIST, "The goal of bone cancer treatments is to:", 13),
        ("004", Kind.MISSING_WORD, "surgery and [?] may also be recommended", 27),
        ("000", Kind.EMPTY_TIME_RANGE, "Monday through Friday, to , (Eastern time)", 33),
        ("000", Kind.SECTION_WITHOUT_HEADING, "Our doctors have made many improvements", 21),
        ("000", Kind.SECTION_WITHOUT_HEADING, "Cryosurgery (the freezing", 26),
        ("001", Kind.SECTION_WITHOUT_HEADING, "Cancer surgery may be recommended", 40),
        ("001", Kind.SECTION_WITHOUT_HEADING, "Chemotherapy is cancer-killing medicine", 47),
    ],
)
def test_each_known_defect_of_the_sources_is_reported_with_its_line(seeds_dir, key, kind, excerpt, line):
    found = [(d.line, d.excerpt) for d in defects_of(seed_document(seeds_dir, key), kind)]

    assert any(found_line == line and excerpt in found_excerpt for found_line, found_excerpt in found), found


def test_double_spaces_left_by_links_are_not_reported_as_missing_words(seeds_dir):
    # 001 has "bone cancer  experts", "testing  and", 002 separates paragraphs with them.
    for key in ("000", "001", "002", "003"):
        assert defects_of(seed_document(seeds_dir, key), Kind.MISSING_WORD) == [], key
    assert len(defects_of(seed_document(seeds_dir, "004"), Kind.MISSING_WORD)) == 1


@pytest.mark.parametrize(
    "key, removed",
    [
        ("000", ["Request an Appointment", "Call 212-639-6219", "Monday through Friday, to , (Eastern time)"]),
        ("001", ["Next topic: What are the facts about bone cancer?", "Expert cancer care", "is one call away.",
                 "appointments in as little as 24 hrs."]),
        ("003", ["+ -Text Size"]),
    ],
)
def test_page_furniture_is_removed_from_the_body_and_listed_in_the_report(seeds_dir, key, removed):
    document = seed_document(seeds_dir, key)

    assert [d.excerpt for d in defects_of(document, Kind.FURNITURE_REMOVED)] == removed
    for text in removed:
        assert text not in document.body


@pytest.mark.parametrize(
    "key, stated",
    [
        ("001", {"reviewed_by": "Maurie Markman, MD, President, Medicine & Science", "updated_on": "2022-06-08"}),
        ("003", {"last_medical_review": "2012-05-03", "last_revised": "2012-05-03"}),
        (
            "004",
            {"reviewed_by": "Maurie Markman, MD, President, Medicine & Science at CTCA", "updated_on": "2022-06-08"},
        ),
    ],
)
def test_review_metadata_is_captured_and_not_left_in_the_body(seeds_dir, key, stated):
    document = seed_document(seeds_dir, key)

    assert {name: str(value) for name, value in document.metadata.stated().items()} == stated
    for phrase in ("reviewed under our medical and editorial policy", "This page was updated", "Last Revised"):
        assert phrase not in document.body


def test_publishers_are_inferred_from_markers_and_left_blank_without_them(seeds_dir):
    publishers = {key: seed_document(seeds_dir, key).publisher for key in SEED_NAMES}

    assert publishers == {
        "000": "Memorial Sloan Kettering Cancer Center (MSK)",
        "001": "",
        "002": "",
        "003": "American Cancer Society (ACS)",
        "004": "Cancer Treatment Centers of America (CTCA)",
    }


def test_the_run_together_page_gets_paragraphs_headings_and_its_four_item_list(seeds_dir):
    blocks = parse_body(seed_document(seeds_dir, "002").body)

    headings = [block["text"] for block in blocks if block["type"] == "heading"]
    lists = [block["items"] for block in blocks if block["type"] == "list"]
    assert headings == [
        "Tumor resection and limb preservation surgery",
        "Reconstruction of bone defects",
        "What are the cases that can be done without amputation?",
    ]
    assert len(lists) == 1 and len(lists[0]) == 4
    assert lists[0][0].startswith("Tumors of the limbs") and lists[0][3].startswith("The overall condition")
    assert blocks[3]["text"].startswith("After patients are diagnosed with bone cancer")
    assert sum(block["type"] == "paragraph" for block in blocks) == 6


def test_the_body_markup_reads_back_as_the_same_blocks(seeds_dir):
    for key in SEED_NAMES:
        document = seed_document(seeds_dir, key)
        read_back = parse_body(document.body)
        assert [block["type"] for block in read_back] == [block.kind for block in document.blocks], key
        assert document.summary and len(document.summary) <= 300
        assert document.body.startswith(document.summary) or document.blocks[0].kind == "heading"


# --- Small documents, each with one known defect --------------------------------------------------


@pytest.mark.parametrize(
    "sample, kind, line, excerpt",
    [
        ("list_intro_without_list.txt", Kind.LIST_INTRO_WITHOUT_LIST, 3, "it is worth writing down:"),
        ("missing_word.txt", Kind.MISSING_WORD, 3, "about the [?] of each treatment"),
        ("empty_time_range.txt", Kind.EMPTY_TIME_RANGE, 5, "on weekdays between and (local time)"),
        ("section_without_heading.txt", Kind.SECTION_WITHOUT_HEADING, 8, "Some people feel sensations"),
        ("run_together_sections.txt", Kind.FURNITURE_REMOVED, 5, "Request an Appointment"),
    ],
)
def test_each_sample_reports_exactly_its_known_defect(sample, kind, line, excerpt):
    document = build_document((SAMPLES_DIR / sample).read_text(encoding="utf-8"), sample)

    assert [(d.kind, d.line) for d in document.defects] == [(kind, line)]
    assert excerpt in document.defects[0].excerpt
    assert document.defects[0].message


def test_run_together_sample_splits_numbered_sections_including_one_that_starts_with_a():
    document = build_document((SAMPLES_DIR / "run_together_sections.txt").read_text(encoding="utf-8"))

    blocks = parse_body(document.body)

    assert [b["text"] for b in blocks if b["type"] == "heading"] == [
        "Needle biopsy",
        "Open biopsy",
        "When should I call the team?",
    ]
    assert blocks[-1]["items"][:2] == ["Fever above 38 degrees", "Redness or swelling that spreads."]
    assert len(blocks[-1]["items"]) == 4


# --- Importing into the database ------------------------------------------------------------------


@pytest.fixture
def seed_copies(seeds_dir, tmp_path):
    """The seeds copied somewhere a test may change them."""
    folder = tmp_path / "seeds"
    folder.mkdir()
    for name in SEED_NAMES.values():
        shutil.copy(seeds_dir / name, folder / name)
    return folder


@pytest.mark.django_db
def test_all_five_sources_import_as_draft_articles_with_reports(seed_copies):
    out, _err = run_import(*sorted(seed_copies.iterdir()))

    assert "[2/5] 001_a9c68fe79ac5b46a.txt: imported — made the article 'bone-cancer-treatments' (23 blocks), 7 defects" in out
    assert out.strip().endswith("5 documents, 5 articles made, 0 updated, 0 left alone, 15 defects")
    assert Article.objects.count() == 5 and set(Article.objects.values_list("status", flat=True)) == {"draft"}
    article = Article.objects.get(slug="metastatic-bone-cancer")
    source = SourceDocument.objects.get(file_name=SEED_NAMES["004"])
    variant = standard_variant(article)
    assert article.imported_from == source and list(article.sources.all()) == [source]
    assert article.topic.slug == "bone-metastasis"
    assert variant.title_en == "Metastatic bone cancer"
    assert variant.summary_en.startswith("When cancer cells break away from the original tumor")
    assert "## Metastatic bone cancer symptoms\n\nSymptoms of metastatic" in variant.body_en
    assert variant.readability["en"]["formula"]  # measured for editors; nothing is rendered for patients until published
    assert not variant.renditions.exists()
    assert source.raw_text.startswith("Metastatic bone cancer") and source.imported_at is not None
    assert source.reviewed_by == "Maurie Markman, MD, President, Medicine & Science at CTCA"
    assert str(source.updated_on) == "2022-06-08"
    assert source.publisher == "Cancer Treatment Centers of America (CTCA)"
    assert list(source.defects.values_list("kind", "line")) == [(Kind.MISSING_WORD, 27)]
    topics = dict(Article.objects.values_list("slug", "topic__slug"))
    assert topics == {
        "surgery-for-bone-cancer": "surgery",
        "bone-cancer-treatments": "treatments",
        "can-i-save-my-leg-if-i-have-a-malignant-bone-tumor": "surgery",
        "bone-metastasis": "bone-metastasis",
        "metastatic-bone-cancer": "bone-metastasis",
    }


@pytest.mark.django_db
def test_importing_the_same_files_again_writes_nothing(seed_copies):
    paths = sorted(seed_copies.iterdir())
    run_import(*paths)
    articles = dict(Article.objects.values_list("slug", "updated_at"))
    variants = dict(ArticleVariant.objects.values_list("pk", "updated_at"))
    defects = list(ImportDefect.objects.values_list("pk", flat=True))

    with CaptureQueriesContext(connection) as queries:
        out, _err = run_import(*paths)

    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
    assert out.strip().endswith("5 documents, 0 articles made, 0 updated, 5 left alone, 15 defects")
    assert dict(Article.objects.values_list("slug", "updated_at")) == articles
    assert dict(ArticleVariant.objects.values_list("pk", "updated_at")) == variants
    assert list(ImportDefect.objects.values_list("pk", flat=True)) == defects


@pytest.mark.django_db
def test_a_changed_file_updates_an_article_nobody_edited(seed_copies):
    path = seed_copies / SEED_NAMES["003"]
    run_import(path)
    edit_file(path, "Local treatments", "Treatments for one area")

    out, _err = run_import(path)

    assert "updated — updated the article 'bone-metastasis' (15 blocks), 1 defect" in out
    variant = standard_variant(Article.objects.get(slug="bone-metastasis"))
    assert "## Treatments for one area" in variant.body_en
    assert Article.objects.count() == 1 and ImportDefect.objects.count() == 1


@pytest.mark.django_db
def test_an_editors_changes_are_kept_and_the_conflict_is_reported(seed_copies):
    path = seed_copies / SEED_NAMES["004"]
    run_import(path)
    article = Article.objects.get(slug="metastatic-bone-cancer")
    variant = standard_variant(article)
    set_texts(variant, "en", body="## What it is\n\nAn editor's rewrite.")
    services.save_variant(variant)
    edit_file(path, "quality of life.", "quality of life.\n\nA paragraph added at the source.")

    out, _err = run_import(path)

    assert "conflict — left the article 'metastatic-bone-cancer' alone, 2 defects" in out
    assert out.strip().endswith("1 document, 0 articles made, 0 updated, 1 left alone, 2 defects")
    assert standard_variant(article).body_en == "## What it is\n\nAn editor's rewrite."
    source = SourceDocument.objects.get(file_name=SEED_NAMES["004"])
    assert list(source.defects.filter(kind=Kind.EDITOR_CONFLICT).values_list("excerpt", flat=True)) == [
        "metastatic-bone-cancer"
    ]
    assert "A paragraph added at the source." in source.raw_text

    out, _err = run_import(path)

    assert "unchanged" in out
    assert source.defects.filter(kind=Kind.EDITOR_CONFLICT).count() == 1


@pytest.mark.django_db
def test_a_source_the_loader_cited_is_filled_in_and_its_article_left_alone(seeds_dir):
    path = seeds_dir / SEED_NAMES["001"]
    source = make_source(file_name=path.name, publisher=CTCA, title="Bone cancer treatments", updated_on="2022-06-08")
    article = make_article(slug="bone-cancer-treatment-options", sources=[source])
    body_before = standard_variant(article).body_en

    out, _err = run_import(path)

    assert "imported — left the article 'bone-cancer-treatment-options' alone, 7 defects" in out
    assert "already cites this source" in out
    source.refresh_from_db()
    assert source.publisher == CTCA  # not blanked by the import
    assert source.reviewed_by == "Maurie Markman, MD, President, Medicine & Science"  # a blank, filled
    assert source.raw_text and source.imported_at is not None
    assert source.defects.count() == 7
    assert Article.objects.count() == 1 and standard_variant(article).body_en == body_before
    assert Article.objects.get(pk=article.pk).imported_from is None


@pytest.mark.django_db
def test_a_changed_file_never_blanks_what_the_source_record_already_says(seed_copies):
    path = seed_copies / SEED_NAMES["001"]  # the page names no publisher
    make_source(file_name=path.name, publisher=CTCA, title="Bone cancer treatments")
    run_import(path)
    edit_file(path, "June 8, 2022", "July 1, 2023")

    run_import(path)

    source = SourceDocument.objects.get(file_name=path.name)
    assert source.publisher == CTCA
    assert str(source.updated_on) == "2023-07-01"


@pytest.mark.django_db
def test_an_imported_article_takes_a_free_slug_and_an_existing_topic(seeds_dir):
    make_topic(slug="surgery", name="Surgery (editors' name)")
    make_article(slug="surgery-for-bone-cancer")

    run_import(seeds_dir / SEED_NAMES["000"])

    imported = Article.objects.get(imported_from__file_name=SEED_NAMES["000"])
    assert imported.slug == "surgery-for-bone-cancer-2"
    assert imported.topic.name_en == "Surgery (editors' name)" and Topic.objects.count() == 1


BAD_FILES = {
    "empty": ("empty.txt", b"", "empty.txt: is empty"),
    "whitespace": ("blank.txt", b"  \n\t\n", "blank.txt: contains only whitespace"),
    "binary": (
        "scan.txt",
        b"Title\n\x00\x01\x02",
        "scan.txt: is a binary file, not a text document (NUL byte at byte offset 6)",
    ),
    "not-utf8": (
        "latin1.txt",
        "Title\n\ncaf\u00e9 au lait".encode("latin-1"),
        "latin1.txt: is not UTF-8 text (byte 0xE9 at byte offset 10, line 3)",
    ),
    "utf16": ("wide.txt", "Title\n\nBody.".encode("utf-16"), "wide.txt: is UTF-16 text; save it as UTF-8"),
    "title-only": ("title.txt", b"Just a title\n", 'title.txt: has a title ("Just a title") but no body text'),
    "only-furniture": ("furniture.txt", b"Request an Appointment\n\nCall 212-639-6219\n", "nothing is left once"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_file_fails_with_a_clear_message_and_leaves_the_database_alone(tmp_path, case):
    name, data, message = BAD_FILES[case]
    (tmp_path / name).write_bytes(data)
    make_source(file_name="other.txt")
    before = table_counts()

    with pytest.raises(CommandError) as raised:
        run_import(tmp_path / name)

    assert message in str(raised.value)
    assert table_counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, message",
    [("", "is a directory (name the files in it, or pass --recursive)"), ("missing.txt", "missing.txt: no such file")],
    ids=["directory", "missing"],
)
def test_a_path_that_is_not_a_file_fails_with_a_clear_message_and_leaves_the_database_alone(tmp_path, name, message):
    make_source(file_name="other.txt")
    before = table_counts()

    with pytest.raises(CommandError) as raised:
        run_import(tmp_path / name if name else tmp_path)

    assert message in str(raised.value)
    assert table_counts() == before


@pytest.mark.django_db
def test_one_bad_path_does_not_stop_the_others_and_the_summary_counts_both(tmp_path):
    good = SAMPLES_DIR / "missing_word.txt"

    with pytest.raises(CommandError, match="1 of 2 path"):
        run_import(tmp_path / "nowhere.txt", good)

    assert SourceDocument.objects.filter(file_name="missing_word.txt").exists()


@pytest.mark.django_db
def test_progress_and_summary_lines_name_each_file(tmp_path):
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError):
        paths = (str(tmp_path / "nowhere.txt"), str(SAMPLES_DIR / "missing_word.txt"))
        call_command("import_documents", *paths, stdout=out, stderr=err)

    assert "[1/2] nowhere.txt: failed — " in err.getvalue()
    assert "[2/2] missing_word.txt: imported — made the article 'questions-to-ask-your-care-team' (2 blocks), 1 defect" in out.getvalue()
    assert out.getvalue().strip().endswith("2 documents, 1 article made, 0 updated, 0 left alone, 1 defect, 1 failed")


@pytest.mark.django_db
def test_verbosity_zero_prints_nothing():
    out, err = run_import(SAMPLES_DIR / "missing_word.txt", verbosity=0)

    assert out == err == ""
    assert SourceDocument.objects.count() == 1


@pytest.mark.django_db
def test_recursive_imports_the_text_files_in_a_directory():
    out, _err = run_import(SAMPLES_DIR, recursive=True)

    count = len(list(SAMPLES_DIR.glob("*.txt")))
    assert out.strip().endswith(f"{count} documents, {count} articles made, 0 updated, 0 left alone, {count} defects")
    assert ImportDefect.objects.filter(kind=Kind.SECTION_WITHOUT_HEADING).count() == 1


@pytest.mark.django_db
def test_a_failure_while_writing_rolls_that_file_back(monkeypatch):
    def broken_report(source, defects):
        raise RuntimeError("disk full")

    monkeypatch.setattr("content.editorial.importer.service._replace_report", broken_report)

    with pytest.raises(RuntimeError):
        run_import(SAMPLES_DIR / "missing_word.txt")

    assert table_counts() == {"SourceDocument": 0, "Article": 0, "ArticleVariant": 0, "ImportDefect": 0, "Topic": 0}


def test_a_first_line_too_long_for_a_title_is_refused():
    with pytest.raises(ImportFailure, match="first line is 250 characters long"):
        build_document("x" * 250 + "\n\nBody.", "long.txt")


# --- What the command tells whoever runs it -------------------------------------------------------


def printed_defects(out, file_name):
    """The defect lines printed under one document's line, as (heading, excerpt) pairs."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if f"] {file_name}: " in line) + 1
    block = []
    for line in lines[start:]:
        if not line.startswith("    "):
            break
        block.append(line.strip())
    return block


@pytest.mark.django_db
def test_each_sample_names_its_article_and_prints_the_report_editors_see_in_the_admin(admin_client):
    out, _err = run_import(SAMPLES_DIR, recursive=True)

    for source in SourceDocument.objects.all():
        article = Article.objects.get(imported_from=source)
        assert f"] {source.file_name}: imported — made the article '{article.slug}'" in out
        printed = printed_defects(out, source.file_name)
        defects = list(source.defects.all())
        assert len(defects) == 1 and printed == [
            f"{defects[0].get_kind_display()} (line {defects[0].line}): {defects[0].message}",
            defects[0].excerpt,
        ]
        page = html.unescape(admin_client.get(f"/admin/content/article/{article.pk}/change/").content.decode())
        assert defects[0].message in page and defects[0].excerpt in page


@pytest.mark.django_db
def test_importing_the_seeds_again_says_each_article_was_left_alone_and_still_lists_its_defects(seed_copies):
    paths = sorted(seed_copies.iterdir())
    first, _err = run_import(*paths)

    again, _err = run_import(*paths)

    for name in SEED_NAMES.values():
        assert printed_defects(again, name) == printed_defects(first, name)
    assert len(printed_defects(again, SEED_NAMES["000"])) == 12  # 6 defects, each with its excerpt
    assert "000_b2160287eb841007.txt: unchanged — left the article 'surgery-for-bone-cancer' alone, 6 defects" in again
    assert again.splitlines()[-1] == "5 documents, 0 articles made, 0 updated, 5 left alone, 15 defects"


@pytest.mark.django_db
def test_quiet_prints_only_the_summary_line(tmp_path):
    out, err = run_import(SAMPLES_DIR, recursive=True, quiet=True)

    assert out.splitlines() == ["5 documents, 5 articles made, 0 updated, 0 left alone, 5 defects"]
    assert err == ""

    with pytest.raises(CommandError, match="nowhere.txt: no such file"):  # a failure is still an error
        run_import(tmp_path / "nowhere.txt", SAMPLES_DIR / "missing_word.txt", quiet=True)
