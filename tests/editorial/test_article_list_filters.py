"""The article list answers an editor's daily questions: its filters and its search, through the real changelist."""

import datetime
import re

import pytest
from django.utils import timezone

from content.editorial import services
from content.models import ArticleStatus, ArticleVariant
from content.source_age import years_before
from tests.factories import make_article, make_source, publish_edit, set_texts

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/content/article/"
ROW_SLUG = re.compile(r'<th class="field-slug"><a href="/admin/content/article/\d+/change/[^"]*">([^<]+)</a></th>')


def listed(client, **params):
    """The slugs of the rows the article list shows for these query parameters."""
    response = client.get(LIST_URL, params)
    assert response.status_code == 200
    return set(ROW_SLUG.findall(response.content.decode()))


def standard(article):
    return article.variants.get(level="standard")


def edit_english(article, body):
    variant = standard(article)
    set_texts(variant, "en", body=body)
    services.save_variant(variant)


def test_pending_changes_lists_published_articles_whose_working_copy_differs(admin_client):
    pending = make_article("pending")
    edit_english(pending, "## Changed\n\nA correction waiting for a Medical reviewer.")
    make_article("published-as-is")
    never_published = make_article("draft-edited", status=ArticleStatus.DRAFT)
    edit_english(never_published, "## Draft\n\nStill a draft.")
    republished = make_article("republished")
    variant = standard(republished)
    set_texts(variant, "en", body="## Again\n\nPublished at once.")
    publish_edit(variant)

    assert listed(admin_client, pending_changes="yes") == {"pending"}
    assert listed(admin_client, pending_changes="no") == {"published-as-is", "draft-edited", "republished"}
    page = admin_client.get(f"/admin/content/article/{pending.pk}/change/").content.decode()
    assert "pending" in page.lower()  # the article page says so too


def test_outdated_translations_lists_articles_whose_english_moved_on(admin_client):
    outdated = make_article("outdated", languages=("en", "es"))
    variant = standard(outdated)
    set_texts(variant, "en", body="## New English\n\nThe Spanish was written from older words.")
    publish_edit(variant)
    make_article("in-step", languages=("en", "es"))
    english_only = make_article("english-only")
    edit_english(english_only, "## New\n\nNo translation to fall behind.")

    assert listed(admin_client, outdated="yes") == {"outdated"}
    assert listed(admin_client, outdated="no") == {"in-step", "english-only"}
    row = admin_client.get(LIST_URL, {"outdated": "yes"}).content.decode()
    assert "1 outdated" in row  # the review column says the same


def test_missing_a_language_agrees_with_the_languages_column(admin_client):
    make_article("all-five", languages=("en", "es", "fr", "zh-hans", "ar"))
    make_article("english-only")
    partial = make_article("arabic-title-only")
    variant = standard(partial)
    set_texts(variant, "ar", title="العلاج الجراحي")
    services.save_variant(variant)

    assert listed(admin_client, missing_language="ar") == {"english-only"}
    assert listed(admin_client, missing_language="zh-hans") == {"english-only", "arabic-title-only"}
    assert listed(admin_client, missing_language="en") == set()
    html = admin_client.get(LIST_URL, {"missing_language": "ar"}).content.decode()
    assert 'title="missing">ar' in html and 'title="partial">ar' not in html


def test_source_older_than_its_limit_reads_the_sources_own_review_date(admin_client):
    today = timezone.localdate()
    just_too_old = years_before(today, 3) - datetime.timedelta(days=1)
    make_article("old-review", sources=[make_source(last_medical_review=just_too_old)])
    make_article("limit-day", sources=[make_source(last_medical_review=years_before(today, 3))])
    # The most specific date wins: a recent medical review outweighs an old revision date.
    make_article("recent-review", sources=[make_source(last_medical_review=today, last_revised=datetime.date(2012, 5, 3))])
    make_article("old-page", sources=[make_source(updated_on=datetime.date(2012, 5, 3))])
    make_article("undated", sources=[make_source()])
    make_article("no-sources")

    assert listed(admin_client, old_source="yes") == {"old-review", "old-page"}
    assert listed(admin_client, old_source="no") == {"limit-day", "recent-review", "undated", "no-sources"}


def test_filters_combine_with_each_other_and_with_status(admin_client):
    both = make_article("pending-and-old", sources=[make_source(updated_on=datetime.date(2012, 1, 1))])
    edit_english(both, "## Changed\n\nWaiting.")
    make_article("old-only", sources=[make_source(updated_on=datetime.date(2012, 1, 1))])

    assert listed(admin_client, old_source="yes", pending_changes="yes") == {"pending-and-old"}
    assert listed(admin_client, old_source="yes", status__exact="draft") == set()


@pytest.mark.parametrize(
    "query, found",
    [
        ("cirugía", "spanish"),
        ("Chirurgie", "french"),
        ("骨癌手术", "chinese"),
        ("الجراحة", "arabic"),
        ("Limb salvage", "english"),
    ],
)
def test_search_finds_an_article_by_its_title_in_any_language_and_either_level(admin_client, query, found):
    titles = {
        "spanish": ("es", "standard", "Qué esperar de la cirugía"),
        "french": ("fr", "plain", "La chirurgie expliquée simplement"),
        "chinese": ("zh-hans", "standard", "骨癌手术之后"),
        "arabic": ("ar", "plain", "ما بعد الجراحة"),
        "english": ("en", "plain", "Limb salvage in plain words"),
    }
    for slug, (language, level, title) in titles.items():
        article = make_article(slug)
        variant = article.variants.get(level=level)
        set_texts(variant, language, title=title)
        services.save_variant(variant)

    assert listed(admin_client, q=query) == {found}


def test_the_list_with_every_filter_and_a_search_takes_the_same_queries_for_few_or_many_articles(
    admin_client, django_assert_max_num_queries
):
    params = {
        "pending_changes": "no", "outdated": "no", "missing_language": "fr", "old_source": "no", "q": "title",
    }
    for number in range(3):
        make_article(f"few-{number}", languages=("en", "es"), sources=[make_source()])
    admin_client.get(LIST_URL, params)  # sessions, content types and the like are loaded once

    with django_assert_max_num_queries(8):
        assert len(listed(admin_client, **params)) == 3
    for number in range(12):
        make_article(f"many-{number}", languages=("en", "es"), sources=[make_source()])
    with django_assert_max_num_queries(8):
        assert len(listed(admin_client, **params)) == 15


@pytest.mark.parametrize(
    "language, words",
    [
        ("es", ["cambios pendientes", "Con traducciones desactualizadas", "idioma que falta", "Alguna fuente de más de 3 años"]),
        ("fr", ["modifications en attente", "Avec des traductions périmées", "langue manquante", "Une source de plus de 3 ans"]),
        ("zh-hans", ["待发布的更改", "有过时的翻译", "缺少的语言", "有超过 3 年的来源"]),
        ("ar", ["تغييرات معلّقة", "فيه ترجمات قديمة", "لغة ناقصة", "مصدر أقدم من 3 سنوات"]),
    ],
)
def test_the_filters_speak_the_editors_language(admin_client, language, words):
    make_article("any")

    html = admin_client.get(LIST_URL, HTTP_ACCEPT_LANGUAGE=language).content.decode()

    for word in words:
        assert word in html
    for english in ("pending changes", "outdated translations", "missing language", "source age"):
        assert english not in html


def test_an_unknown_language_in_the_missing_filter_does_not_break_the_list(admin_client):
    make_article("any")

    assert listed(admin_client, missing_language="xx") == {"any"}


def test_a_variant_level_change_shows_in_the_filter_without_any_other_save(admin_client):
    article = make_article("plain-only-change")
    variant = ArticleVariant.objects.get(article=article, level="plain")
    set_texts(variant, "en", summary="A plainer summary, waiting for review.")
    services.save_variant(variant)

    assert listed(admin_client, pending_changes="yes") == {"plain-only-change"}
