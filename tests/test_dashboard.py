"""The translation dashboard editors use to see what to translate, update, review or re-check next."""

import csv
import io
import re
from datetime import date

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from content.editorial.dashboard import matrix_csv, translation_matrix
from content.models import ArticleStatus, ArticleVariant, Rendition, TranslationReview
from content.editorial import services
from tests.factories import make_article, make_source, set_texts

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 1)


def row_for(rows, slug):
    return next(row for row in rows if row.slug == slug)


def cell_for(row, language, level="standard"):
    return next(cell for cell in row.cells if cell.language == language and cell.level == level)


def change_english(article, level="standard", **texts):
    variant = ArticleVariant.objects.get(article=article, level=level)
    set_texts(variant, "en", **texts)
    services.save_variant(variant)
    return variant


def make_fully_done_article(slug):
    """Every language written, reviewed and readable: nothing for an editor to do."""
    article = make_article(slug, languages=("en", "es", "fr", "zh-hans", "ar"), reviewed=("en", "es", "fr", "zh-hans", "ar"))
    article.next_review = date(2099, 1, 1)
    services.save_article_details(article)
    Rendition.objects.filter(variant__article=article).update(readability={"meets_target": True})
    return article


# --- the computation ---------------------------------------------------------


def test_every_article_gets_a_cell_per_language_and_level_whatever_its_status():
    make_article("draft-one", status=ArticleStatus.DRAFT)
    make_article("archived-one", status=ArticleStatus.ARCHIVED)

    rows = translation_matrix(today=TODAY)

    assert {row.slug for row in rows} == {"draft-one", "archived-one"}
    assert {(cell.language, cell.level) for cell in rows[0].cells} == {
        (language, level) for language in ("en", "es", "fr", "zh-hans", "ar") for level in ("standard", "plain")
    }


def test_a_language_without_text_is_missing_and_one_with_text_is_complete_but_unreviewed():
    make_article("a", languages=("en", "es"))

    row = row_for(translation_matrix(today=TODAY), "a")

    assert cell_for(row, "fr").state == "missing"
    spanish = cell_for(row, "es")
    assert spanish.complete and spanish.unreviewed and spanish.state == "unreviewed"


def test_a_missing_level_is_missing_in_every_language():
    make_article("standard-only", languages=("en", "es"), levels=("standard",))

    row = row_for(translation_matrix(today=TODAY), "standard-only")

    plain_english = cell_for(row, "en", "plain")
    assert plain_english.state == "missing" and plain_english.variant_id is None


def test_a_translation_lacking_a_field_the_english_has_is_incomplete():
    article = make_article("a", languages=("en",))
    variant = ArticleVariant.objects.get(article=article, level="standard")
    set_texts(variant, "es", title="Título", body="Cuerpo del texto.")
    services.save_variant(variant)

    spanish = cell_for(row_for(translation_matrix(today=TODAY), "a"), "es")

    assert spanish.state == "incomplete"
    assert spanish.missing_fields == ("summary",)


def test_a_reviewed_translation_whose_english_changed_is_outdated_and_still_marked_reviewed():
    article = make_article("a", languages=("en", "es"), reviewed=("es",))
    change_english(article, body="## What it is\n\nBone cancer can start in any bone.")

    spanish = cell_for(row_for(translation_matrix(today=TODAY), "a"), "es")

    assert spanish.outdated_fields == ("body",)
    assert spanish.reviewed and spanish.complete
    assert spanish.state == "outdated"
    assert cell_for(row_for(translation_matrix(today=TODAY), "a"), "es", "plain").state == "reviewed"


def test_readability_met_or_missed_comes_from_the_working_copys_stored_measurement():
    article = make_article("a", languages=("en", "es"))
    ArticleVariant.objects.filter(article=article).update(readability={"es": {"meets_target": False}, "en": {"meets_target": True}})

    row = row_for(translation_matrix(today=TODAY), "a")

    assert cell_for(row, "es").readability_met is False
    assert cell_for(row, "en").readability_met is True
    assert cell_for(row, "fr").readability_met is None


def test_article_citing_a_2012_source_without_a_next_review_date_is_overdue_because_of_the_source():
    old = make_source(last_medical_review=date(2012, 3, 1))
    recent = make_source(updated_on=date(2024, 9, 1))
    make_article("old-facts", sources=[recent, old])

    row = row_for(translation_matrix(today=TODAY), "old-facts")

    assert row.overdue
    assert row.overdue_reason == "oldest_source_older_than_3_years"
    assert row.oldest_source_review == date(2012, 3, 1)


def test_article_whose_next_review_date_passed_is_overdue_for_that_reason():
    article = make_article("late", sources=[make_source(last_medical_review=date(2024, 3, 1))])
    article.next_review = date(2025, 5, 31)
    services.save_article_details(article)

    row = row_for(translation_matrix(today=TODAY), "late")

    assert row.overdue_reason == "next_review_passed"


def test_an_old_source_is_overdue_whatever_the_next_review_date_says_and_recent_sources_are_not():
    scheduled = make_article("scheduled", sources=[make_source(last_medical_review=date(2012, 3, 1))])
    scheduled.next_review = date(2027, 5, 1)
    services.save_article_details(scheduled)
    make_article("fresh", sources=[make_source(last_revised=date(2023, 1, 1))])
    make_article("fresh-and-scheduled", sources=[make_source(last_revised=date(2023, 1, 1))])

    rows = translation_matrix(today=TODAY)

    assert row_for(rows, "scheduled").overdue_reason == "oldest_source_older_than_3_years"
    assert not row_for(rows, "fresh").overdue
    assert not row_for(rows, "fresh-and-scheduled").overdue


def test_matrix_can_be_limited_to_one_status():
    make_article("draft-one", status=ArticleStatus.DRAFT)
    make_article("published-one", status=ArticleStatus.PUBLISHED)

    assert [row.slug for row in translation_matrix(today=TODAY, status=ArticleStatus.DRAFT)] == ["draft-one"]


@pytest.mark.parametrize("article_count", [5, 30])
def test_matrix_takes_the_same_few_queries_however_many_articles(article_count, django_assert_max_num_queries):
    source = make_source(last_medical_review=date(2012, 3, 1))
    for _number in range(article_count):
        make_article(languages=("en", "es"), sources=[source])

    # articles, their sources, variants, renditions, reviews
    with django_assert_max_num_queries(5):
        rows = translation_matrix(today=TODAY)

    assert len(rows) == article_count


def test_csv_has_a_header_and_a_line_per_article_language_and_level():
    article = make_article("a", languages=("en", "es"), reviewed=("es",), sources=[make_source(last_medical_review=date(2012, 3, 1))])
    change_english(article, summary="A new summary")
    make_article("b")

    lines = list(csv.DictReader(io.StringIO(matrix_csv(translation_matrix(today=TODAY)))))

    assert len(lines) == 2 * 5 * 2
    spanish = next(line for line in lines if (line["article"], line["language"], line["level"]) == ("a", "es", "standard"))
    assert spanish["state"] == "outdated"
    assert spanish["outdated_fields"] == "summary"
    assert spanish["reviewed"] == "yes"
    assert spanish["overdue"] == "yes" and spanish["overdue_reason"] == "oldest_source_older_than_3_years"


def test_csv_keeps_a_title_from_running_as_a_spreadsheet_formula():
    article = make_article("a")
    change_english(article, title="=HYPERLINK(\"http://example.com\")")

    line = next(csv.DictReader(io.StringIO(matrix_csv(translation_matrix(today=TODAY)))))

    assert line["title_en"].startswith("'=")


# --- the pages ---------------------------------------------------------------


def test_dashboard_links_each_cell_to_where_it_is_edited(admin_client):
    article = make_article("a", languages=("en", "es"), levels=("standard",))
    variant = ArticleVariant.objects.get(article=article)

    html = admin_client.get(reverse("admin:content_dashboard")).content.decode()

    assert reverse("admin:content_articlevariant_change", args=[variant.pk]) in html
    # The plain level does not exist yet: its cells lead to the article, where it is added.
    assert reverse("admin:content_article_change", args=[article.pk]) in html


def test_dashboard_cells_say_their_state_in_words_and_the_table_has_scoped_headers(admin_client):
    article = make_article("a", languages=("en", "es"), reviewed=("en",))
    change_english(article, body="## What it is\n\nBone cancer can start in any bone.")

    html = admin_client.get(reverse("admin:content_dashboard")).content.decode()

    assert '<th scope="row">' in html
    assert 'scope="colgroup"' in html and 'scope="col"' in html
    assert "Spanish (es)" in html
    for label in ("Missing", "Outdated", "Reviewed"):
        assert f'</span> {label}<span class="visually-hidden">' in html
    assert "(a: Spanish, Standard)" in html


def test_dashboard_links_an_outdated_translation_to_what_changed(admin_client):
    article = make_article("a", languages=("en", "es"))
    variant = change_english(article, summary="A new summary")
    review = TranslationReview.objects.get(variant=variant, language="es")

    html = admin_client.get(reverse("admin:content_dashboard")).content.decode()

    assert reverse("admin:content_outdated_translation", args=[review.pk]) in html


def test_dashboard_filters_by_status(admin_client):
    make_article("draft-one", status=ArticleStatus.DRAFT)
    make_article("published-one", status=ArticleStatus.PUBLISHED)

    html = admin_client.get(reverse("admin:content_dashboard"), {"status": "draft"}).content.decode()

    assert "draft-one" in html and "published-one" not in html


def test_dashboard_can_show_only_articles_with_problems(admin_client):
    make_fully_done_article("all-done")
    make_article("needs-work", languages=("en",))

    everything = admin_client.get(reverse("admin:content_dashboard")).content.decode()
    problems = admin_client.get(reverse("admin:content_dashboard"), {"problems": "1"}).content.decode()

    assert "all-done" in everything
    assert "all-done" not in problems and "needs-work" in problems


def test_dashboard_shows_why_an_article_is_overdue(admin_client):
    make_article("old-facts", sources=[make_source(last_medical_review=date(2012, 3, 1))])

    html = admin_client.get(reverse("admin:content_dashboard")).content.decode()

    assert "Overdue" in html and "oldest source reviewed 2012-03-01" in html


def test_dashboard_downloads_as_csv_with_the_filters_applied(admin_client):
    make_article("draft-one", status=ArticleStatus.DRAFT)
    make_article("published-one", status=ArticleStatus.PUBLISHED)
    page = admin_client.get(reverse("admin:content_dashboard"), {"status": "draft"}).content.decode()
    assert 'href="?status=draft&amp;format=csv"' in page

    response = admin_client.get(reverse("admin:content_dashboard"), {"status": "draft", "format": "csv"})

    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    lines = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {line["article"] for line in lines} == {"draft-one"}
    assert len(lines) == 5 * 2


def test_outdated_view_shows_old_and_new_english_with_the_change_marked_and_the_translation(admin_client):
    article = make_article("a", languages=("en", "es"))
    variant = ArticleVariant.objects.get(article=article, level="standard")
    set_texts(variant, "en", summary="Surgery removes the tumour.")
    set_texts(variant, "es", summary="La cirugía extirpa el tumor.")
    services.save_variant(variant)
    # Tags are refused at save now (plain_text.py); a "<" and "&" that start none must still be escaped here.
    set_texts(variant, "en", summary="Surgery removes the tumour <whole & PSA < 4.")
    services.save_variant(variant)
    review = TranslationReview.objects.get(variant=variant, language="es")
    assert review.outdated_fields == ["summary"]

    html = admin_client.get(reverse("admin:content_outdated_translation", args=[review.pk])).content.decode()

    assert "Surgery removes the tumour." in html
    assert "&lt;whole &amp; PSA &lt; 4.</ins>" in html
    assert "<whole" not in html
    assert "La cirugía extirpa el tumor." in html
    assert reverse("admin:content_articlevariant_change", args=[variant.pk]) in html


def test_outdated_view_marks_the_translation_with_its_language_and_direction(admin_client):
    article = make_article("a", languages=("en", "ar"))
    variant = change_english(article, summary="A new summary")
    review = TranslationReview.objects.get(variant=variant, language="ar")

    html = admin_client.get(reverse("admin:content_outdated_translation", args=[review.pk])).content.decode()

    assert 'lang="ar" dir="rtl"' in html


def test_outdated_view_of_an_unknown_review_is_not_found(admin_client):
    assert admin_client.get(reverse("admin:content_outdated_translation", args=[999999])).status_code == 404


@pytest.fixture
def staff_client(client):
    """A staff member who may log in to the admin, but not view articles until given the permission."""
    user = User.objects.create_user("staff", password="x", is_staff=True)
    client.force_login(user)
    client.user = user
    return client


def test_pages_refuse_staff_without_permission_to_view_articles(staff_client):
    article = make_article("a", languages=("en", "es"))
    review = TranslationReview.objects.filter(variant__article=article, language="es").first()

    assert staff_client.get(reverse("admin:content_dashboard")).status_code == 403
    assert staff_client.get(reverse("admin:content_outdated_translation", args=[review.pk])).status_code == 403

    staff_client.user.user_permissions.add(Permission.objects.get(codename="view_article"))
    assert staff_client.get(reverse("admin:content_dashboard")).status_code == 200


def test_pages_load_nothing_from_the_internet(admin_client):
    article = make_article("a", languages=("en", "es"))
    variant = change_english(article, summary="A new summary")
    review = TranslationReview.objects.get(variant=variant, language="es")

    for url in (reverse("admin:content_dashboard"), reverse("admin:content_outdated_translation", args=[review.pk])):
        html = admin_client.get(url).content.decode()
        assert not re.search(r'(src|href)="(https?:)?//', html), url
