"""Stale translations: which translations the English has outrun, field by field."""

import pytest
from django.utils import translation

from content.models import ReviewStatus, TranslationReview
from content.editorial import services
from tests.factories import publish_edit
from tests.factories import make_article, set_texts

pytestmark = pytest.mark.django_db


def review(article, language, level="standard"):
    return TranslationReview.objects.get(variant__article=article, variant__level=level, language=language)


def test_changing_the_english_marks_only_that_field_outdated_in_each_translation():
    article = make_article("a", languages=("en", "es", "fr"))
    variant = article.variants.get(level="standard")
    old_summary = variant.summary_en

    set_texts(variant, "en", summary="A new English summary.")
    publish_edit(variant)

    spanish = review(article, "es")
    assert spanish.outdated_fields == ["summary"]
    assert spanish.english_basis["summary"] == old_summary
    assert review(article, "fr").outdated_fields == ["summary"]
    assert review(article, "en").outdated_fields == []


def test_updating_the_translation_clears_outdated_and_records_who_and_resets_review():
    article = make_article("a", languages=("en", "es"), reviewed=("es",))
    variant = article.variants.get(level="standard")
    set_texts(variant, "en", summary="A new English summary.")
    publish_edit(variant)

    set_texts(variant, "es", summary="Un resumen nuevo.")
    services.save_variant(variant, changed_by="tomas")

    spanish = review(article, "es")
    assert spanish.outdated_fields == []
    assert spanish.english_basis["summary"] == "A new English summary."
    assert spanish.translated_by == "tomas"
    assert spanish.status == ReviewStatus.UNREVIEWED
    assert spanish.reviewed_by == ""


def test_api_says_a_translation_may_be_out_of_date(client):
    article = make_article("a", languages=("en", "es"))
    variant = article.variants.get(level="standard")
    set_texts(variant, "en", body="## New\n\nThe English body changed. It says more now.")
    publish_edit(variant)

    body = client.get("/api/v1/articles/a/", {"lang": "es"}).json()["review"]

    assert body["outdated"] is True
    assert body["outdated_fields"] == ["body"]
    with translation.override("es"):
        expected = translation.gettext(
            "This translation may be out of date: the English text changed after it was translated."
        )
    assert body["notice"] == expected
    english = client.get("/api/v1/articles/a/").json()["review"]
    assert english["outdated"] is False


def test_saving_without_text_changes_records_nothing_new():
    article = make_article("a", languages=("en", "es"))
    variant = article.variants.get(level="standard")
    before = review(article, "es").translated_at

    assert services.save_variant(variant) is False

    assert review(article, "es").translated_at == before
