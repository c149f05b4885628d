"""Revisions: nothing an editor saved is lost; diffs per field and language; revert."""

import pytest
from django.contrib.auth.models import User

from content.models import ArticleVariant, GlossaryTerm
from content.editorial import services
from content.editorial.revisions import word_diff
from tests.factories import make_article, make_term, set_texts

pytestmark = pytest.mark.django_db


def test_every_save_of_a_variant_and_a_term_keeps_a_revision_with_its_translations():
    article = make_article("a", languages=("en", "es"))
    variant = article.variants.get(level="standard")
    set_texts(variant, "es", summary="Otra versión.")
    services.save_variant(variant)
    term = make_term("biopsy", en=("biopsy", "d", "p"))
    term.definition_en = "Removing tissue to look at it."
    services.save_glossary_term(term)

    revisions = list(ArticleVariant.history.filter(id=variant.pk).order_by("history_date"))
    assert revisions[-1].summary_es == "Otra versión."
    assert revisions[0].summary_es != "Otra versión."
    assert GlossaryTerm.history.filter(id=term.pk).count() == 2


def test_word_diff_marks_insertions_and_deletions_and_escapes():
    html = word_diff("Surgery is <b>often</b> used", "Surgery is usually used")
    assert "<del>&lt;b&gt;often&lt;/b&gt;</del>" in html
    assert "<ins>usually</ins>" in html


def test_changes_page_shows_a_readable_diff_per_field_and_language(admin_client):
    article = make_article("a", languages=("en", "es"))
    variant = article.variants.get(level="plain")
    set_texts(variant, "es", summary="Un resumen más claro.")
    services.save_variant(variant)

    html = admin_client.get(f"/admin/content/article/{article.pk}/changes/").content.decode()

    assert "summary [es]" in html
    assert "<ins>" in html and "claro.</ins>" in html
    assert "Revert to this revision" in html


def test_concurrent_edit_gets_a_conflict_message_not_a_silent_overwrite(client):
    first_editor = User.objects.create_superuser("ana", password="pw-for-tests-only")
    article = make_article("a", languages=("en", "es"))
    variant = article.variants.get(level="standard")
    client.force_login(first_editor)
    page = client.get(f"/admin/content/articlevariant/{variant.pk}/change/").content.decode()
    loaded_version = page.split('name="loaded_version" value="')[1].split('"')[0]

    # Someone else saves first.
    set_texts(variant, "es", summary="Cambio de la otra persona.")
    services.save_variant(variant)

    data = {
        "article": article.pk, "level": "standard", "loaded_version": loaded_version,
        "title_en": variant.title_en, "summary_en": "My English summary.", "body_en": variant.body_en,
        "title_es": variant.title_es, "summary_es": "Mi versión.", "body_es": variant.body_es,
        "reviews-TOTAL_FORMS": "0", "reviews-INITIAL_FORMS": "0", "reviews-MIN_NUM_FORMS": "0", "reviews-MAX_NUM_FORMS": "0",
    }
    response = client.post(f"/admin/content/articlevariant/{variant.pk}/change/", data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this after you opened it" in html
    assert "summary [es]" in html
    assert "My English summary." in html  # the second editor's input is still in the form
    variant.refresh_from_db()
    assert variant.summary_es == "Cambio de la otra persona."

    data["overwrite_newer_changes"] = "on"
    assert client.post(f"/admin/content/articlevariant/{variant.pk}/change/", data).status_code == 302
    variant.refresh_from_db()
    assert variant.summary_es == "Mi versión."
