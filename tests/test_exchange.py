"""Translation exchange: export articles as XLIFF or PO, translate, import back."""

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from translate.storage import po, xliff, xliff2

from content.editorial.exchange.exporting import ExportRefused, export_articles
from content.editorial.exchange.importing import import_translations
from content.models import Article, ArticleVariant, LanguageAssignment, ReviewStatus, TranslationReview
from content.translation import raw_translation
from content.editorial import services
from tests.factories import DEFAULT_BODY, make_article, set_texts

pytestmark = pytest.mark.django_db

FRENCH_BODY = (
    "## Ce que c'est\n\nLe cancer des os commence dans un os. Une biopsie aide votre médecin à le trouver."
    "\n\n- Douleur\n- Gonflement"
)


# --- what a translator's tool does to the file, through translate-toolkit ----------------------------


def parse(data):
    return xliff.xlifffile.parsestring(data) if data.lstrip().startswith(b"<") else po.pofile.parsestring(data)


def unit_id_of(unit):
    if isinstance(unit, po.pounit):
        return unit.getcontext()
    return unit.getid().rpartition("\x04")[2]


def units_by_id(store):
    return {unit_id_of(unit): unit for unit in store.units if not unit.isheader()}


def translated(data, texts, edit=None):
    """The file with targets filled in by unit id; `edit(store)` may then change it further."""
    store = parse(data)
    units = units_by_id(store)
    for unit_id, value in texts.items():
        units[unit_id].target = value
    if edit:
        edit(store)
    return bytes(store)


def exported(*slugs, language="es", file_format="xliff"):
    return export_articles(Article.objects.filter(slug__in=slugs), language, file_format).content


def variant(slug, level="standard"):
    return ArticleVariant.objects.get(article__slug=slug, level=level)


def text(slug, field_name, language, level="standard"):
    return raw_translation(variant(slug, level), field_name, language)


def edit_in_admin(slug, language, level="standard", **texts):
    """An editor saving a variant, the way the admin saves it."""
    edited = variant(slug, level)
    set_texts(edited, language, **texts)
    edited.changed_by = "editor"
    services.save_variant(edited)


def french_texts(slug):
    return {
        f"{slug}/{level}/{name}": value
        for level in ("standard", "plain")
        for name, value in (
            ("title", f"{slug} {level} titre"),
            ("summary", f"{slug} {level} résumé"),
            ("body", FRENCH_BODY),
        )
    }


# --- export -------------------------------------------------------------------------------------------


class TestExport:
    def test_xliff_has_one_unit_per_level_and_field_with_english_source_and_current_target(self):
        make_article("osteo", languages=("en", "es"))

        store = xliff.xlifffile.parsestring(exported("osteo", language="es"))

        units = units_by_id(store)
        assert list(units) == [
            "osteo/standard/title", "osteo/standard/summary", "osteo/standard/body",
            "osteo/plain/title", "osteo/plain/summary", "osteo/plain/body",
        ]
        assert units["osteo/plain/title"].source == "osteo plain title [en]"
        assert units["osteo/plain/title"].target == "osteo plain title [es]"
        assert units["osteo/standard/body"].target == DEFAULT_BODY["es"]
        assert store.gettargetlanguage() == "es"
        assert store.getsourcelanguage() == "en"

    def test_xliff_is_version_1_2_without_placeholder_file_names(self):
        make_article("osteo", languages=("en",))

        data = exported("osteo", language="zh-hans").decode()

        assert 'version="1.2"' in data
        assert "urn:oasis:names:tc:xliff:document:1.2" in data
        assert "document:1.1" not in data
        assert "NoName" not in data
        assert 'target-language="zh-Hans"' in data
        assert 'id="osteo/standard/title"' in data

    def test_a_language_without_text_exports_empty_targets(self):
        make_article("osteo", languages=("en",))

        units = units_by_id(parse(exported("osteo", language="fr")))

        assert {unit.target or "" for unit in units.values()} == {""}

    def test_po_states_its_language_and_uses_unit_ids_as_context(self):
        make_article("osteo", languages=("en", "es"))

        store = po.pofile.parsestring(exported("osteo", language="zh-hans", file_format="po"))

        assert store.parseheader()["Language"] == "zh_Hans"
        units = units_by_id(store)
        assert units["osteo/standard/summary"].source == "osteo standard summary [en]"
        assert units["osteo/standard/summary"].target == ""

    def test_fields_without_english_are_left_out(self):
        make_article("osteo", languages=("en",))
        edit_in_admin("osteo", "en", summary="")

        units = units_by_id(parse(exported("osteo", language="fr")))

        assert "osteo/standard/summary" not in units
        assert "osteo/plain/summary" in units

    def test_english_is_refused_as_a_target(self):
        make_article("osteo")

        with pytest.raises(ExportRefused, match="English is the source language"):
            exported("osteo", language="en")
        with pytest.raises(CommandError, match="English is the source language"):
            call_command("export_translations", "--lang", "en")

    def test_command_writes_every_article_to_stdout_and_progress_to_stderr(self, capsys):
        make_article("one")
        make_article("two")

        call_command("export_translations", "--lang", "fr", "--format", "po")

        captured = capsys.readouterr()
        units = units_by_id(po.pofile.parsestring(captured.out.encode()))
        assert {"one/plain/body", "two/standard/title"} <= set(units)
        assert "Exported 12 units from 2 articles for fr" in captured.err

    def test_command_writes_named_articles_to_a_file(self, tmp_path, capsys):
        make_article("one")
        make_article("two")
        output = tmp_path / "out.xlf"

        call_command("export_translations", "two", "--lang", "ar", "--output", str(output))

        units = units_by_id(xliff.xlifffile.parsestring(output.read_bytes()))
        assert {unit_id.split("/")[0] for unit_id in units} == {"two"}
        assert f"to {output}" in capsys.readouterr().out

    def test_command_refuses_unknown_slugs(self):
        make_article("one")

        with pytest.raises(CommandError, match="no article with slug: nope"):
            call_command("export_translations", "one", "nope", "--lang", "fr")


# --- round trip ---------------------------------------------------------------------------------------


class TestRoundTrip:
    @pytest.mark.parametrize("file_format", ["xliff", "po"])
    def test_translated_file_is_imported_and_served_by_the_api(self, client, tmp_path, capsys, file_format):
        make_article("osteo", languages=("en",))
        exported_file = tmp_path / f"osteo.{file_format}"
        call_command(
            "export_translations", "osteo", "--lang", "fr", "--format", file_format, "--output", str(exported_file)
        )
        exported_file.write_bytes(translated(exported_file.read_bytes(), french_texts("osteo")))

        call_command("import_translations", str(exported_file), "--lang", "fr")

        assert "6 applied, 0 unchanged, 0 conflicts, 0 errors" in capsys.readouterr().out
        # Imported into a published article: a pending change until a Medical reviewer publishes it.
        assert client.get("/api/v1/articles/osteo/", {"lang": "fr"}).json()["language"]["served"] == "en"
        services.publish_article(Article.objects.get(slug="osteo"))
        body = client.get("/api/v1/articles/osteo/", {"lang": "fr"}).json()
        assert body["title"] == "osteo standard titre"
        assert body["summary"] == "osteo standard résumé"
        assert body["blocks"][0] == {"type": "heading", "level": 2, "text": "Ce que c'est"}
        assert body["blocks"][2]["items"] == ["Douleur", "Gonflement"]
        assert body["language"]["served"] == "fr"
        assert body["language"]["fallback_fields"] == []
        plain = client.get("/api/v1/articles/osteo/", {"lang": "fr", "level": "plain"}).json()
        assert plain["title"] == "osteo plain titre"

    def test_imported_text_is_unreviewed_and_credited_to_the_import(self, client):
        make_article("osteo", languages=("en", "es"), reviewed=("es",))
        data = translated(exported("osteo"), {"osteo/standard/title": "Osteosarcoma, explicado"})

        report = import_translations(data, "osteo-es.xlf")

        assert report.applied == ["osteo/standard/title"]
        review = TranslationReview.objects.get(variant=variant("osteo"), language="es")
        assert review.status == ReviewStatus.UNREVIEWED
        assert review.reviewed_by == ""
        assert review.translated_by == "translation import (osteo-es.xlf)"
        assert client.get("/api/v1/articles/osteo/", {"lang": "es"}).json()["review"]["status"] == "clinician_reviewed"
        services.publish_article(Article.objects.get(slug="osteo"))
        served = client.get("/api/v1/articles/osteo/", {"lang": "es"}).json()
        assert served["title"] == "Osteosarcoma, explicado"
        assert served["review"]["status"] == "unreviewed"
        # The plain level's Spanish was not in the changes: its clinician review stands.
        assert TranslationReview.objects.get(variant=variant("osteo", "plain"), language="es").status == (
            ReviewStatus.CLINICIAN_REVIEWED
        )

    def test_untouched_units_are_reported_unchanged_and_not_written(self):
        make_article("osteo", languages=("en", "es"), reviewed=("es",))

        report = import_translations(exported("osteo"), "osteo-es.xlf")

        assert report.ok and report.applied == []
        assert len(report.unchanged) == 6
        assert TranslationReview.objects.get(variant=variant("osteo"), language="es").status == (
            ReviewStatus.CLINICIAN_REVIEWED
        )

    def test_several_articles_in_one_file(self):
        make_article("one")
        make_article("two")
        data = translated(exported("one", "two", language="fr"), {**french_texts("one"), **french_texts("two")})

        report = import_translations(data, "all.xlf")

        assert len(report.applied) == 12
        assert text("two", "summary", "fr", level="plain") == "two plain résumé"


# --- conflicts and English changes -------------------------------------------------------------------


class TestConflicts:
    @pytest.mark.parametrize("file_format", ["xliff", "po"])
    def test_translation_edited_after_export_is_kept_and_reported_while_others_apply(self, file_format):
        make_article("osteo", languages=("en", "es"))
        data = exported("osteo", file_format=file_format)
        edit_in_admin("osteo", "es", title="Título corregido por la editora")
        data = translated(
            data, {"osteo/standard/title": "Título del traductor", "osteo/standard/summary": "Resumen nuevo"}
        )

        report = import_translations(data, f"osteo.{file_format}")

        assert report.ok
        assert text("osteo", "title", "es") == "Título corregido por la editora"
        assert text("osteo", "summary", "es") == "Resumen nuevo"
        assert report.applied == ["osteo/standard/summary"]
        assert [conflict.unit_id for conflict in report.conflicts] == ["osteo/standard/title"]
        assert "changed in BoneCare after this file was exported" in str(report.conflicts[0])

    def test_command_prints_conflicts_in_its_summary(self, tmp_path, capsys):
        make_article("osteo", languages=("en", "es"))
        path = tmp_path / "osteo.po"
        path.write_bytes(translated(exported("osteo", file_format="po"), {"osteo/plain/title": "Nuevo"}))
        edit_in_admin("osteo", "es", level="plain", title="Editado")

        call_command("import_translations", str(path))

        out = capsys.readouterr().out
        assert "conflict: osteo/plain/title: the translation was changed in BoneCare" in out
        assert "0 applied, 5 unchanged, 1 conflict, 0 errors" in out

    def test_same_text_entered_in_admin_and_file_is_not_a_conflict(self):
        make_article("osteo", languages=("en", "es"))
        data = translated(exported("osteo"), {"osteo/standard/title": "Igual"})
        edit_in_admin("osteo", "es", title="Igual")

        report = import_translations(data, "osteo.xlf")

        assert report.conflicts == []
        assert "osteo/standard/title" in report.unchanged

    def test_english_changed_since_export_applies_but_is_reported_and_shown_outdated(self, client, tmp_path, capsys):
        make_article("osteo", languages=("en", "es"))
        path = tmp_path / "osteo.xlf"
        path.write_bytes(translated(exported("osteo"), {"osteo/standard/summary": "Resumen traducido"}))
        edit_in_admin("osteo", "en", summary="A rewritten English summary.")

        call_command("import_translations", str(path))

        out = capsys.readouterr().out
        assert "English changed since export: osteo/standard/summary" in out
        assert "1 applied (1 with English changed since export)" in out
        assert text("osteo", "summary", "es") == "Resumen traducido"
        review = TranslationReview.objects.get(variant=variant("osteo"), language="es")
        assert review.outdated_fields == ["summary"]
        assert review.english_basis["summary"] == "osteo standard summary [en]"
        services.publish_article(Article.objects.get(slug="osteo"))
        served = client.get("/api/v1/articles/osteo/", {"lang": "es"}).json()
        assert served["review"]["outdated_fields"] == ["summary"]


# --- dry run --------------------------------------------------------------------------------------------


def test_dry_run_reports_what_would_change_and_writes_nothing(tmp_path, capsys):
    make_article("osteo", languages=("en", "es"), reviewed=("es",))
    path = tmp_path / "osteo.xlf"
    path.write_bytes(translated(exported("osteo"), {"osteo/standard/title": "Título nuevo"}))

    call_command("import_translations", str(path), "--dry-run", verbosity=2)

    out = capsys.readouterr().out
    assert "would apply: osteo/standard/title" in out
    assert "Dry run, nothing written" in out and "1 to apply" in out
    assert text("osteo", "title", "es") == "osteo standard title [es]"
    assert TranslationReview.objects.get(variant=variant("osteo"), language="es").status == (
        ReviewStatus.CLINICIAN_REVIEWED
    )


# --- validation: the whole file is refused, nothing written -------------------------------------------


def set_target_language(store, tag):
    if isinstance(store, po.pofile):
        store.updateheader(Language=tag)
    else:
        store.settargetlanguage(tag)


def rename_unit(old, new):
    def edit(store):
        unit = units_by_id(store)[old]
        if isinstance(unit, po.pounit):
            unit.setcontext(new)
        else:
            unit.setid(new)
    return edit


def duplicate_unit(unit_id):
    def edit(store):
        copy = units_by_id(store)[unit_id].copy()
        store.addunit(copy)
    return edit


def strip_notes(unit_id):
    def edit(store):
        unit = units_by_id(store)[unit_id]
        if isinstance(unit, po.pounit):
            unit.automaticcomments = []  # a tool that drops "#." comments; removenotes() keeps them
        else:
            unit.removenotes()
    return edit


def mark_unfinished(unit_id):
    def edit(store):
        unit = units_by_id(store)[unit_id]
        if isinstance(unit, po.pounit):
            unit.markfuzzy(True)
        else:
            unit.set_state_n(unit.S_NEEDS_TRANSLATION)
    return edit


VALID_CHANGE = {"osteo/plain/summary": "Un resumen que no debe llegar a escribirse"}

REFUSALS = {
    "unknown slug": ({}, rename_unit("osteo/standard/title", "no-such-article/standard/title"),
                     "no-such-article/standard/title: no article has the slug 'no-such-article'"),
    "unknown level": ({}, rename_unit("osteo/standard/title", "osteo/expert/title"),
                      "osteo/expert/title: unknown reading level 'expert'"),
    "unknown field": ({}, rename_unit("osteo/standard/title", "osteo/standard/subtitle"),
                      "osteo/standard/subtitle: unknown field 'subtitle'"),
    "malformed id": ({}, rename_unit("osteo/standard/title", "osteo-title"), "osteo-title: not a BoneCare unit id"),
    "empty target": ({"osteo/standard/title": ""}, None, "osteo/standard/title: the translation is empty"),
    "missing heading": ({"osteo/standard/body": "Sin título.\n\n- Dolor\n- Hinchazón"}, None,
                        "osteo/standard/body: the translation has 0 headings where the English has 1 heading"),
    "merged list items": ({"osteo/standard/body": "## Qué es\n\nTexto.\n\n- Dolor e hinchazón"}, None,
                          "osteo/standard/body: the translation has 1 list item where the English has 2 list items"),
    "extra figure": ({"osteo/standard/body": "## Qué es\n\n![Un hueso](/media/bone.png)\n\n- Dolor\n- Hinchazón"}, None,
                     "the translation has 1 figure where the English has 0 figures"),
    "title too long": ({"osteo/plain/title": "x" * 201}, None,
                       "osteo/plain/title: the translation: This text is 201 characters long; at most 200 characters "
                       "are allowed here."),
    "duplicate unit": ({}, duplicate_unit("osteo/standard/title"), "osteo/standard/title: appears 2 times in the file"),
    "checksums missing": ({}, strip_notes("osteo/standard/title"),
                          "osteo/standard/title: the export checksums are missing"),
    "unfinished": ({"osteo/standard/title": "Borrador"}, mark_unfinished("osteo/standard/title"),
                   "osteo/standard/title: is marked unfinished in the file"),
}


@pytest.mark.parametrize("file_format", ["xliff", "po"])
@pytest.mark.parametrize("case", list(REFUSALS))
def test_a_broken_unit_refuses_the_whole_file(case, file_format):
    make_article("osteo", languages=("en", "es"))
    texts, edit, expected = REFUSALS[case]
    data = translated(exported("osteo", file_format=file_format), {**VALID_CHANGE, **texts}, edit)

    report = import_translations(data, f"osteo.{file_format}")

    assert not report.ok
    assert any(expected in str(error) for error in report.errors), report.errors
    assert report.applied == []
    assert text("osteo", "summary", "es", level="plain") == "osteo plain summary [es]"


def test_figure_without_alt_text_is_refused(tmp_path):
    make_article("osteo", languages=("en",))
    edit_in_admin("osteo", "en", body="## What it is\n\n![A femur with a tumour](/media/femur.png)\n\nText.")
    path = tmp_path / "osteo.xlf"
    path.write_bytes(translated(exported("osteo", language="fr"), {
        "osteo/standard/body": "## Ce que c'est\n\n![](/media/femur.png)\n\nTexte.",
        "osteo/standard/title": "Titre",
    }))

    with pytest.raises(CommandError) as refusal:
        call_command("import_translations", str(path))

    assert "osteo/standard/body: figure 1 (/media/femur.png) has no alt text" in str(refusal.value)
    assert "nothing imported" in str(refusal.value)
    assert text("osteo", "title", "fr") == ""


def test_every_error_in_the_file_is_reported_at_once():
    make_article("osteo", languages=("en", "es"))
    data = translated(exported("osteo"), {"osteo/standard/title": "", "osteo/plain/body": "Nada"})

    report = import_translations(data, "osteo.xlf")

    assert [error.unit_id for error in report.errors] == [
        "osteo/standard/title", "osteo/plain/body", "osteo/plain/body"
    ]


def test_empty_target_is_fine_when_the_english_is_empty_too():
    make_article("osteo", languages=("en",))
    edit_in_admin("osteo", "en", summary="")
    texts = french_texts("osteo")
    del texts["osteo/standard/summary"]
    store = po.pofile.parsestring(translated(exported("osteo", language="fr", file_format="po"), texts))
    # A unit for the English-less summary, as another tool might keep it: empty source, empty target.
    empty = units_by_id(store)["osteo/plain/summary"].copy()
    empty.setcontext("osteo/standard/summary")
    empty.source = ""
    empty.target = ""
    store.addunit(empty)

    report = import_translations(bytes(store), "osteo.po")

    assert report.ok, report.errors
    assert len(report.applied) == 5
    assert text("osteo", "summary", "fr") == ""


class TestFileLevelRefusals:
    def test_language_other_than_the_one_asked_for(self, tmp_path):
        make_article("osteo", languages=("en", "es"))
        path = tmp_path / "osteo.xlf"
        path.write_bytes(translated(exported("osteo"), VALID_CHANGE))

        with pytest.raises(CommandError, match="the file's target language is es, not fr"):
            call_command("import_translations", str(path), "--lang", "fr")

        assert text("osteo", "summary", "es", level="plain") == "osteo plain summary [es]"

    @pytest.mark.parametrize(
        "tag, expected",
        [
            ("de", "the file's target language 'de' is not one BoneCare translates into"),
            ("en", "the file's target language is English, the source language"),
        ],
    )
    @pytest.mark.parametrize("file_format", ["xliff", "po"])
    def test_unsupported_or_source_language(self, tag, expected, file_format):
        make_article("osteo", languages=("en", "es"))
        data = translated(
            exported("osteo", file_format=file_format), VALID_CHANGE, lambda store: set_target_language(store, tag)
        )

        report = import_translations(data, "osteo")

        assert expected in str(report.errors[0])
        assert text("osteo", "summary", "es", level="plain") == "osteo plain summary [es]"

    @pytest.mark.parametrize("language, tag", [("zh-hans", "zh-Hans"), ("zh-hans", "zh_CN"), ("es", "es_ES")])
    def test_tools_spellings_of_a_supported_language_are_accepted(self, language, tag):
        make_article("osteo", languages=("en",))
        data = translated(
            exported("osteo", language=language, file_format="po"),
            {**french_texts("osteo"), "osteo/standard/title": "骨肉瘤"},
            lambda store: set_target_language(store, tag),
        )

        report = import_translations(data, "osteo.po", language=language)

        assert report.ok and text("osteo", "title", language) == "骨肉瘤"

    def test_a_different_script_is_not_taken_for_simplified_chinese(self):
        make_article("osteo", languages=("en",))
        data = translated(
            exported("osteo", language="zh-hans", file_format="po"),
            french_texts("osteo"),
            lambda store: set_target_language(store, "zh_TW"),
        )

        report = import_translations(data, "osteo.po")

        assert "the file's target language 'zh_TW' is not one BoneCare translates into" in str(report.errors[0])

    def test_lang_option_must_be_a_target_language(self, tmp_path):
        make_article("osteo", languages=("en", "es"))
        path = tmp_path / "osteo.xlf"
        path.write_bytes(exported("osteo"))

        with pytest.raises(CommandError, match="'en' is not a language BoneCare translates into"):
            call_command("import_translations", str(path), "--lang", "en")

    def test_malformed_xliff_is_reported_with_its_line(self):
        make_article("osteo", languages=("en", "es"))
        data = translated(exported("osteo"), VALID_CHANGE).replace(b"</source>", b"</sourc>", 1)

        report = import_translations(data, "osteo.xlf")

        assert "XLIFF is not well-formed XML" in str(report.errors[0])
        assert "line 6" in str(report.errors[0])
        assert text("osteo", "summary", "es", level="plain") == "osteo plain summary [es]"

    def test_malformed_po_is_reported_with_its_line(self):
        make_article("osteo", languages=("en", "es"))
        data = translated(exported("osteo", file_format="po"), VALID_CHANGE) + b'msgctxt "x"\nmsgid "unterminated\n'

        report = import_translations(data, "osteo.po")

        message = str(report.errors[0])
        assert message.startswith("PO file cannot be read")
        assert "on line" in message

    def test_xliff_2_is_refused_with_a_clear_reason(self):
        store = xliff2.Xliff2File(sourcelanguage="en", targetlanguage="es")
        unit = store.UnitClass("Title")
        store.addunit(unit)
        unit.setid("osteo.standard.title")

        report = import_translations(bytes(store), "tool-output.xlf")

        assert "BoneCare exchanges XLIFF 1.2" in str(report.errors[0])

    def test_xml_that_is_not_xliff_is_refused(self):
        report = import_translations(b"<?xml version='1.0'?><html><body/></html>", "page.xml")

        assert "not XLIFF" in str(report.errors[0])

    def test_file_without_units_is_refused(self):
        store = po.pofile()
        store.updateheader(add=True, Language="es")

        report = import_translations(bytes(store), "empty.po")

        assert str(report.errors[0]) == "the file has no translation units"


# --- admin ------------------------------------------------------------------------------------------------


class TestAdminExportAction:
    def test_action_asks_for_language_and_format_then_downloads_the_file(self, admin_client):
        one = make_article("one", languages=("en", "es"))
        make_article("two")
        changelist = reverse("admin:content_article_changelist")

        page = admin_client.post(changelist, {"action": "export_for_translation", "_selected_action": [one.pk]})

        html = page.content.decode()
        assert page.status_code == 200, "ArticleAdmin.actions should list admin_views.export_for_translation"
        assert 'name="language"' in html and 'value="es"' in html and 'value="en"' not in html
        assert 'name="file_format"' in html

        download = admin_client.post(
            changelist,
            {
                "action": "export_for_translation",
                "_selected_action": [one.pk],
                "select_across": "0",
                "exchange_export": "1",
                "language": "es",
                "file_format": "po",
            },
        )

        assert download.status_code == 200
        assert download["Content-Disposition"].startswith('attachment; filename="one.es.')
        assert download["Content-Type"].startswith("text/x-gettext-translation")
        units = units_by_id(po.pofile.parsestring(download.content))
        assert units["one/standard/title"].target == "one standard title [es]"
        assert not any(unit_id.startswith("two/") for unit_id in units)


class TestAdminImportView:
    def url(self):
        return reverse("admin:content_article_import_translations")

    def upload(self, client, data, name="osteo.xlf", **fields):
        return client.post(self.url(), {"file": SimpleUploadedFile(name, data), **fields})

    def test_page_offers_an_upload_form(self, admin_client):
        response = admin_client.get(self.url())

        assert response.status_code == 200
        assert 'type="file"' in response.content.decode()

    def test_upload_applies_and_shows_the_report(self, admin_client):
        make_article("osteo", languages=("en", "es"))
        data = exported("osteo")
        edit_in_admin("osteo", "es", title="Editado después")
        data = translated(data, {"osteo/standard/title": "Del traductor", "osteo/plain/title": "Título llano"})

        response = self.upload(admin_client, data)

        html = response.content.decode()
        assert "1 applied, 4 unchanged, 1 conflict, 0 errors" in html
        assert "osteo/plain/title" in html
        assert "osteo/standard/title: the translation was changed in BoneCare" in html
        assert text("osteo", "title", "es", level="plain") == "Título llano"
        assert text("osteo", "title", "es") == "Editado después"

    def test_check_only_writes_nothing(self, admin_client):
        make_article("osteo", languages=("en", "es"))

        response = self.upload(admin_client, translated(exported("osteo"), VALID_CHANGE), dry_run="on")

        assert "Check only: nothing was written" in response.content.decode()
        assert text("osteo", "summary", "es", level="plain") == "osteo plain summary [es]"

    def test_errors_are_listed_and_nothing_is_written(self, admin_client):
        make_article("osteo", languages=("en", "es"))
        data = translated(exported("osteo"), {**VALID_CHANGE, "osteo/standard/title": ""})

        response = self.upload(admin_client, data)

        html = response.content.decode()
        assert "Nothing was imported" in html
        assert "osteo/standard/title: the translation is empty" in html
        assert text("osteo", "summary", "es", level="plain") == "osteo plain summary [es]"

    def test_translator_cannot_import_a_language_not_assigned_to_them(self, client):
        make_article("osteo", languages=("en", "es"))
        translator = User.objects.create_user("tina", is_staff=True)
        translator.user_permissions.add(Permission.objects.get(codename="change_articlevariant"))
        LanguageAssignment.objects.create(user=translator, language="fr")
        client.force_login(translator)

        response = self.upload(client, translated(exported("osteo"), VALID_CHANGE))

        assert "you may not edit the es translations" in response.content.decode()
        assert text("osteo", "summary", "es", level="plain") == "osteo plain summary [es]"

    def test_staff_without_permission_to_edit_variants_is_refused(self, client):
        client.force_login(User.objects.create_user("viewer", is_staff=True))

        assert client.get(self.url()).status_code == 403


class TestImportAttributionAndEntities:
    """Who imported is recorded; an XML entity is resolved (the five XML ones) or refused, never dropped."""

    def url(self):
        return reverse("admin:content_article_import_translations")

    def test_the_history_names_the_person_who_imported_the_file(self, admin_client, admin_user):
        make_article("osteo", languages=("en", "es"))
        data = translated(exported("osteo"), {"osteo/plain/title": "Título llano"})

        admin_client.post(self.url(), {"file": SimpleUploadedFile("osteo.xlf", data)})

        record = variant("osteo", "plain").history.first()
        assert record.history_user == admin_user
        assert "osteo.xlf" in record.history_change_reason

    def with_target(self, data, unit_id, raw_target, doctype=b""):
        """The XLIFF with `raw_target` (XML, written as is) as the target of `unit_id`."""
        marker = "@@TARGET@@"
        data = translated(data, {unit_id: marker})
        data = data.replace(marker.encode(), raw_target)
        return data.replace(b"?>\n", b"?>\n" + doctype, 1) if doctype else data

    def test_the_five_xml_entities_and_character_references_are_resolved(self):
        make_article("osteo", languages=("en", "es"))
        data = self.with_target(exported("osteo"), "osteo/plain/title", b"R&amp;D &lt;4 &quot;ok&quot; &#233;t&#xE9;")

        report = import_translations(data, "osteo.xlf")

        assert report.ok, report.errors
        assert text("osteo", "title", "es", level="plain") == 'R&D <4 "ok" été'

    @pytest.mark.parametrize("doctype", [
        b'<!DOCTYPE xliff [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n',
        b'<!DOCTYPE xliff [<!ENTITY xxe "La chirurgie">]>\n',
    ])
    def test_any_other_entity_is_refused_naming_the_unit(self, doctype):
        make_article("osteo", languages=("en", "es"))
        data = self.with_target(exported("osteo"), "osteo/plain/title", b"&xxe; de conservation", doctype)

        report = import_translations(data, "osteo.xlf")

        assert not report.ok
        assert any(problem.unit_id == "osteo/plain/title" and "xxe" in problem.message for problem in report.errors)
        assert text("osteo", "title", "es", level="plain") == "osteo plain title [es]"
        assert "passwd" not in str(report.errors) and "root:" not in str(report.errors)
