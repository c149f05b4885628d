"""Nothing an editor does is lost, and nothing unreviewed reaches patients (draft over live, change log, restarts)."""

import ast
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from content.editorial import services
from content.editorial.roles import EDITOR, MEDICAL_REVIEWER, TRANSLATOR
from content.editorial.shipped import SHIPPED_DIR
from content.models import (
    Article,
    ArticleStatus,
    ArticleVariant,
    ChangeLogEntry,
    GlossaryTerm,
    LanguageAssignment,
    ReviewStatus,
    TranslationReview,
)
from tests.admin_forms import post_change_form
from tests.factories import make_article, make_term, set_texts

pytestmark = pytest.mark.django_db
ALL_LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


def person(username, role, languages=()):
    user = User.objects.create_user(username, password="pw-for-tests-only", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    for language in languages:
        LanguageAssignment.objects.create(user=user, language=language)
    return User.objects.get(pk=user.pk)


def served(client, slug, **params):
    return client.get(f"/api/v1/articles/{slug}/", params)


def variant_url(variant):
    return f"/admin/content/articlevariant/{variant.pk}/change/"


# --- draft over live ------------------------------------------------------------------------------------


def test_an_edit_to_a_published_article_waits_for_a_medical_reviewer(client):
    article = make_article("a", languages=("en", "es"))
    standard = article.variants.get(level="standard")
    editor, reviewer = person("eddie", EDITOR), person("rita", MEDICAL_REVIEWER)
    old_summary = served(client, "a").json()["summary"]
    entries_before = ChangeLogEntry.objects.count()

    client.force_login(editor)
    response = post_change_form(client, variant_url(standard), "articlevariant_form", summary_en="A new summary.")
    assert response.status_code == 302

    client.logout()
    assert served(client, "a").json()["summary"] == old_summary
    client.force_login(editor)
    assert "A new summary." in client.get(variant_url(standard)).content.decode()  # the editor sees the pending text
    assert "not published yet" in client.get(variant_url(standard)).content.decode()
    dashboard = client.get("/admin/content/article/dashboard/").content.decode()
    assert "pending" in dashboard.lower()
    assert ChangeLogEntry.objects.count() == entries_before

    client.force_login(reviewer)
    page = client.get(f"/admin/content/article/{article.pk}/change/").content.decode()
    assert "Publish the pending changes" in page
    client.post(f"/admin/content/article/{article.pk}/transition/", {"target": "published", "comment": "Checked"})
    client.logout()

    assert served(client, "a").json()["summary"] == "A new summary."
    entry = ChangeLogEntry.objects.order_by("-id").first()
    assert (entry.action, entry.kind, entry.slug, entry.by) == ("republished", "article", "a", reviewer)
    # Only the standard English summary changed: no plain reader sees anything new.
    assert entry.levels == ["standard"] and "en" in entry.languages
    assert all(level == "standard" for _language, level in entry.scope)
    assert entry.revisions["standard"] == ArticleVariant.history.filter(id=standard.pk).latest("history_id").history_id


def test_an_editor_cannot_publish_pending_changes():
    article = make_article("a")
    variant = article.variants.get(level="standard")
    set_texts(variant, "en", summary="Changed.")
    services.save_variant(variant)
    from content.editorial.workflow import TransitionRefused, change_status

    with pytest.raises(TransitionRefused):
        change_status(article, ArticleStatus.PUBLISHED, person("eddie", EDITOR))


def test_change_log_ids_only_grow_across_publish_withdraw_and_republish():
    article = make_article("a", status=ArticleStatus.DRAFT)
    reviewer = person("rita", MEDICAL_REVIEWER)
    services.move_article(article, ArticleStatus.IN_REVIEW)
    services.publish_article(article, user=reviewer)
    services.move_article(article, ArticleStatus.ARCHIVED, user=reviewer, comment="dosage advice found to be wrong")
    services.move_article(article, ArticleStatus.DRAFT)
    services.publish_article(article, user=reviewer)

    entries = list(ChangeLogEntry.objects.filter(slug="a").order_by("id"))
    assert [entry.action for entry in entries] == ["published", "withdrawn", "published"]
    assert [entry.id for entry in entries] == sorted(entry.id for entry in entries)
    assert entries[1].comment == "dosage advice found to be wrong"


# --- restarts and shipped updates -----------------------------------------------------------------------


def test_restart_keeps_editors_work_an_archive_and_a_clinicians_review(client):
    call_command("load_content", verbosity=0)
    editor, reviewer = person("eddie", EDITOR), person("rita", MEDICAL_REVIEWER)
    translator = person("tomas", TRANSLATOR, languages=("es",))
    treatment = Article.objects.get(slug="bone-cancer-treatment-options")
    standard = treatment.variants.get(level="standard")

    client.force_login(editor)
    assert post_change_form(client, variant_url(standard), "articlevariant_form",
                            summary_en="An editor's summary.").status_code == 302
    client.force_login(translator)
    assert post_change_form(client, variant_url(standard), "articlevariant_form",
                            title_es="Un título del traductor").status_code == 302
    client.force_login(reviewer)
    client.post(f"/admin/content/article/{treatment.pk}/transition/", {"target": "published"})
    review = TranslationReview.objects.get(variant__article__slug="metastatic-bone-cancer", variant__level="plain",
                                           language="fr")
    plain = review.variant
    reviews_prefix = "reviews"
    page_fields = {f"{reviews_prefix}-{index}-status": ReviewStatus.CLINICIAN_REVIEWED
                   for index, r in enumerate(plain.reviews.order_by("language")) if r.pk == review.pk}
    assert post_change_form(client, variant_url(plain), "articlevariant_form", **page_fields).status_code == 302
    archived = Article.objects.get(slug="treating-bone-metastases")
    client.post(f"/admin/content/article/{archived.pk}/transition/",
                {"target": "archived", "comment": "dosage advice found to be wrong"})
    client.logout()

    call_command("load_content", verbosity=0)  # what `make run` does on every start
    call_command("migrate", verbosity=0)

    standard.refresh_from_db()
    assert standard.summary_en == "An editor's summary."
    assert standard.title_es == "Un título del traductor"
    assert served(client, "bone-cancer-treatment-options").json()["summary"] == "An editor's summary."
    review.refresh_from_db()
    assert review.status == ReviewStatus.CLINICIAN_REVIEWED
    assert served(client, "metastatic-bone-cancer", lang="fr", level="plain").json()["review"]["status"] == (
        "clinician_reviewed")
    assert Article.objects.get(slug="treating-bone-metastases").status == ArticleStatus.ARCHIVED
    assert served(client, "treating-bone-metastases").status_code == 404
    assert archived.status_changes.first().to_status == ArticleStatus.ARCHIVED


def test_a_corrected_shipped_text_arrives_as_a_pending_change_and_never_over_an_edit(tmp_path, client):
    root = tmp_path / "shipped"
    shutil.copytree(SHIPPED_DIR, root)
    call_command("load_content", path=str(root), verbosity=0)
    edited = ArticleVariant.objects.get(article__slug="metastatic-bone-cancer", level="standard")
    set_texts(edited, "en", summary="An editor's own summary.")
    services.save_variant(edited, user=User.objects.create_superuser("ana"))

    for slug in ("surgery-and-limb-salvage", "metastatic-bone-cancer"):
        path = root / "articles" / slug / "standard.en.md"
        path.write_text(path.read_text(encoding="utf-8").replace("summary: ", "summary: Corrected. ", 1), encoding="utf-8")
    call_command("load_content", path=str(root), verbosity=0)

    corrected = ArticleVariant.objects.get(article__slug="surgery-and-limb-salvage", level="standard")
    assert corrected.summary_en.startswith("Corrected. ")
    assert corrected.has_pending_changes
    assert not served(client, "surgery-and-limb-salvage").json()["summary"].startswith("Corrected. ")
    edited.refresh_from_db()
    assert edited.summary_en == "An editor's own summary."
    assert Article.objects.get(slug="surgery-and-limb-salvage").status == ArticleStatus.PUBLISHED


def test_the_loader_reports_what_it_skipped_and_why(tmp_path, capsys):
    root = tmp_path / "shipped"
    shutil.copytree(SHIPPED_DIR, root)
    call_command("load_content", path=str(root), verbosity=0)
    term = GlossaryTerm.objects.get(slug="biopsy")
    term.definition_en = "An editor's definition."
    services.save_glossary_term(term, user=User.objects.create_superuser("ana"))
    path = root / "glossary" / "biopsy.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("definition: ", "definition: New. ", 1), encoding="utf-8")

    call_command("load_content", path=str(root))

    out = capsys.readouterr().out
    assert "skipped glossary biopsy [en]: changed in BoneCare since it was shipped" in out
    term.refresh_from_db()
    assert term.definition_en == "An editor's definition."


# --- history and revert ---------------------------------------------------------------------------------


def edit_every_language(variant, user, marker):
    for language in ALL_LANGUAGES:
        set_texts(variant, language, title=f"{marker} title {language}", summary=f"{marker} summary {language}")
    services.save_variant(variant, user=user)


def test_revert_restores_all_five_languages_as_a_pending_change(admin_client, client):
    article = make_article("a", languages=ALL_LANGUAGES)
    variant = article.variants.get(level="standard")
    admin = User.objects.get(username="admin")
    edit_every_language(variant, admin, "Good")
    services.publish_article(article)
    good = ArticleVariant.history.filter(id=variant.pk).latest("history_id")
    edit_every_language(variant, admin, "Bad")

    confirm = admin_client.get(f"/admin/content/articlevariant/{variant.pk}/revert/{good.history_id}/")
    assert confirm.status_code == 200 and "title [zh-hans]" in confirm.content.decode()
    assert admin_client.post(f"/admin/content/articlevariant/{variant.pk}/revert/{good.history_id}/").status_code == 302

    variant.refresh_from_db()
    for language in ALL_LANGUAGES:
        assert getattr(variant, f"title_{language.replace('-', '_')}") == f"Good title {language}"
        assert getattr(variant, f"body_{language.replace('-', '_')}")  # nothing emptied
    assert not variant.has_pending_changes  # back to exactly what is published
    edit_every_language(variant, admin, "Bad")
    services.revert_to(variant, ArticleVariant.history.filter(id=variant.pk).earliest("history_id"), user=admin)
    variant.refresh_from_db()
    assert variant.has_pending_changes
    assert served(client, "a", lang="ar").json()["title"] == "Good title ar"


def test_a_translators_revert_leaves_english_alone(client):
    article = make_article("a", languages=("en", "es"))
    variant = article.variants.get(level="standard")
    first = ArticleVariant.history.filter(id=variant.pk).earliest("history_id")
    set_texts(variant, "en", title="New English title")
    set_texts(variant, "es", title="Nuevo título")
    services.save_variant(variant)
    translator = person("tomas", TRANSLATOR, languages=("es",))
    client.force_login(translator)

    confirm = client.get(f"/admin/content/articlevariant/{variant.pk}/revert/{first.history_id}/").content.decode()
    assert "Languages you may not edit are left as they are" in confirm and "title [en]" not in confirm
    client.post(f"/admin/content/articlevariant/{variant.pk}/revert/{first.history_id}/")

    variant.refresh_from_db()
    assert variant.title_en == "New English title"
    assert variant.title_es == "a standard title [es]"


def test_a_one_field_edit_shows_as_one_field_in_one_language_and_levels_are_never_mixed(admin_client):
    article = make_article("a", languages=ALL_LANGUAGES)
    variant = article.variants.get(level="plain")
    set_texts(variant, "fr", summary="Un résumé plus clair.")
    services.save_variant(variant)

    html = admin_client.get(f"/admin/content/articlevariant/{variant.pk}/changes/").content.decode()
    assert html.count("<td>summary [fr]</td>") == 1
    assert "<td>body [" not in html and "<td>title [" not in html
    page = admin_client.get(f"/admin/content/article/{article.pk}/changes/").content.decode()
    assert page.count("<td>summary [fr]</td>") == 1 and "<td>body [" not in page


def test_history_pages_answer_after_every_kind_of_change(admin_client):
    article = make_article("a", status=ArticleStatus.DRAFT, languages=("en", "es"))
    reviewer = person("rita", MEDICAL_REVIEWER)
    services.move_article(article, ArticleStatus.IN_REVIEW)
    services.publish_article(article, user=reviewer)
    variant = article.variants.get(level="standard")
    review = variant.reviews.get(language="es")
    services.record_review(review, status=ReviewStatus.CLINICIAN_REVIEWED, user=reviewer)
    services.save_article_details(article, reason="dates")
    services.move_article(article, ArticleStatus.ARCHIVED, user=reviewer)

    assert admin_client.get(f"/admin/content/article/{article.pk}/changes/").status_code == 200
    for each in article.variants.all():
        assert admin_client.get(f"/admin/content/articlevariant/{each.pk}/changes/").status_code == 200


def test_a_stale_form_shows_the_conflict_not_a_500(client):
    article = make_article("a", languages=("en", "es"))
    variant = article.variants.get(level="standard")
    client.force_login(User.objects.create_superuser("ana"))
    page_data = client.get(variant_url(variant))
    set_texts(variant, "es", summary="Someone else's change.")
    services.save_variant(variant)
    from tests.admin_forms import form_fields

    data = form_fields(page_data.content.decode(), "articlevariant_form")
    data["summary_en"] = "Mine."
    response = client.post(variant_url(variant), data)
    assert response.status_code == 200
    assert "Someone else saved this after you opened it" in response.content.decode()


# --- glossary -------------------------------------------------------------------------------------------


def test_a_glossary_translator_is_locked_to_their_language_and_changes_wait_for_publication(client):
    make_term("tumor", en=("tumor", "A lump.", "A lump."), es=("tumor", "Un bulto.", "Un bulto."),
              fr=("tumeur", "Une masse.", "Une masse."))
    term = GlossaryTerm.objects.get(slug="tumor")
    translator = person("tomas", TRANSLATOR, languages=("es",))
    client.force_login(translator)
    url = f"/admin/content/glossaryterm/{term.pk}/change/"

    response = post_change_form(client, url, "glossaryterm_form", definition_es="Una masa de tejido.",
                                definition_en="Changed English", term_fr="tumeur changée")
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.definition_es == "Una masa de tejido."
    assert term.definition_en == "A lump." and term.term_fr == "tumeur"
    with pytest.raises(services.EditRefused):
        term.definition_en = "Sneaky"
        services.save_glossary_term(term, user=translator)

    client.logout()
    assert client.get("/api/v1/glossary/tumor/", {"lang": "es"}).json()["definition"] == "Un bulto."
    reviewer = person("rita", MEDICAL_REVIEWER)
    client.force_login(reviewer)
    client.post(f"/admin/content/glossaryterm/{term.pk}/publish/", {"comment": "ok"})
    client.logout()
    assert client.get("/api/v1/glossary/tumor/", {"lang": "es"}).json()["definition"] == "Una masa de tejido."
    assert ChangeLogEntry.objects.filter(kind="glossary_term", slug="tumor", action="republished").exists()


# --- structure ------------------------------------------------------------------------------------------


def test_models_are_the_ground_floor():
    tree = ast.parse((Path(settings.BASE_DIR) / "content" / "models.py").read_text())
    imported = [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    imported += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    assert not [name for name in imported if name and name.startswith("content")]


def test_the_change_log_is_readable_in_the_admin_and_cannot_be_edited(client):
    make_article("a")
    client.force_login(person("rita", MEDICAL_REVIEWER))
    page = client.get("/admin/content/changelogentry/")
    assert page.status_code == 200 and ">a<" in page.content.decode()
    entry = ChangeLogEntry.objects.get(slug="a")
    assert client.post(f"/admin/content/changelogentry/{entry.pk}/change/", {"slug": "b"}).status_code == 403


def test_a_glossary_term_reverts_from_its_changes_page_as_a_pending_change(admin_client, client):
    make_term("biopsy", en=("biopsy", "Removing tissue to examine it.", "Taking a small piece."))
    term = GlossaryTerm.objects.get(slug="biopsy")
    first = GlossaryTerm.history.filter(id=term.pk).earliest("history_id")
    term.definition_en = "A wrong definition."
    services.save_glossary_term(term, user=User.objects.get(username="admin"))

    page = admin_client.get(f"/admin/content/glossaryterm/{term.pk}/changes/").content.decode()
    assert "<td>definition [en]</td>" in page and f"/revert/{first.history_id}/" in page
    admin_client.post(f"/admin/content/glossaryterm/{term.pk}/revert/{first.history_id}/")

    term.refresh_from_db()
    assert term.definition_en == "Removing tissue to examine it."
    assert client.get("/api/v1/glossary/biopsy/").json()["definition"] == "Removing tissue to examine it."
