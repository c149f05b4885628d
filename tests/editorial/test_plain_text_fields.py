"""HTML is refused in every plain-text field, and figures take only https:// or relative addresses.

The rule is content/text/plain_text.py; these tests go through each way text
gets in: the admin's real forms (every language tab), the write path, the
XLIFF/PO import and the document importer.
"""

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from content.editorial import services
from content.editorial.exchange.exporting import export_articles
from content.editorial.exchange.importing import import_translations
from content.editorial.importer.errors import ImportFailure
from content.editorial.importer.service import import_document
from content.editorial.shipped import SHIPPED_DIR
from content.models import Article, ArticleVariant, GlossaryTerm, SourceDocument, Topic
from content.text.plain_text import figure_src_problem, html_tags, text_problems
from content.translation import raw_translation
from tests.admin_forms import post_change_form
from tests.factories import make_article, make_term
from tests.test_exchange import translated

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "es", "fr", "zh_hans", "ar")


# --- the rule -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "<script>alert(1)</script>", "Bone <b>cancer</b>", "<img src=x onerror=alert(1)>", "<svg/onload=alert(1)>",
    "a <!-- hidden --> b", "</p>", "<a href='javascript:alert(1)'>here</a>", "<?xml ?>", "<![CDATA[x]]>",
    "<SCRIPT>x</SCRIPT>", "骨<i>癌</i>", "سرطان <script>x</script>",
])
def test_tags_are_found(text):
    assert html_tags(text)
    assert "HTML is not allowed here" in text_problems(text)[0]


@pytest.mark.parametrize("text", [
    "PSA < 4 ng/mL", "x<3", "a<b", "if a < b and c > d", "<3 months", "1 < 2 > 0", "&lt;script&gt;", "AT&T",
    "an unfinished <script", "«guillemets» and “quotes”", "",
])
def test_a_less_than_sign_that_starts_no_tag_is_text(text):
    assert text_problems(text) == []


@pytest.mark.parametrize("src", ["https://example.org/x.png", "/media/figures/x.png", "figures/x-1_2.png",
                                 "HTTPS://example.org/x.png"])
def test_https_and_relative_figure_addresses_are_allowed(src):
    assert figure_src_problem(src) is None
    assert text_problems(f"![A bone]({src})", markup=True) == []


@pytest.mark.parametrize("src", [
    "javascript:alert`1`", "JavaScript:void0", "data:image/png;base64,iVBORw0KGgo=", "http://example.org/x.png",
    "//evil.example/x.png", "ftp://example.org/x.png", "file:///etc/passwd", "https:/x.png", "vbscript:x",
    "javascript&#58;alert`1`", "/\\evil.example/x.png",
])
def test_other_figure_addresses_are_refused(src):
    assert "is not allowed: use an https:// address or a path on this site" in figure_src_problem(src)
    assert len(text_problems(f"## Pictures\n\n![A bone]({src})", markup=True)) == 1


def test_shipped_content_passes():
    for path in sorted(SHIPPED_DIR.rglob("*")):
        if path.suffix in (".md", ".yaml"):
            text = path.read_text()
            assert text_problems(text, markup=path.suffix == ".md") == [], path


# --- the admin's real forms ---------------------------------------------------------------------------


def variant_url(variant):
    return f"/admin/content/articlevariant/{variant.pk}/change/"


@pytest.mark.parametrize("language", LANGUAGES)
def test_script_in_a_title_is_a_form_error_in_every_language_tab(admin_client, language):
    variant = make_article("a", languages=("en", "es", "fr", "zh-hans", "ar")).variants.get(level="standard")
    before = raw_translation(variant, "title", language.replace("_", "-"))

    response = post_change_form(
        admin_client, variant_url(variant), "articlevariant_form", **{f"title_{language}": "Bone <script>x</script>"}
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors[f"title_{language}"]
    assert errors == [
        f"title [{language.replace('_', '-')}]: HTML is not allowed here (found <script>, </script>): this is "
        "plain text that apps show as it is. Remove the tags; a “<” that starts no tag, as in “PSA < 4”, is fine."
    ]
    variant.refresh_from_db()
    assert raw_translation(variant, "title", language.replace("_", "-")) == before


def test_the_error_is_in_the_editors_language(admin_client):
    variant = make_article("a").variants.get(level="standard")
    admin_client.cookies["django_language"] = "es"

    response = post_change_form(admin_client, variant_url(variant), "articlevariant_form", summary_en="<b>x</b>")

    error = response.context["adminform"].form.errors["summary_en"][0]
    assert "<b>" in error and "HTML is not allowed" not in error


def test_a_body_with_an_unsafe_figure_or_tags_in_alt_text_is_refused(admin_client):
    variant = make_article("a").variants.get(level="standard")

    response = post_change_form(
        admin_client, variant_url(variant), "articlevariant_form",
        body_en="## Pictures\n\n![A bone](javascript:alert`1`)\n\n![<img src=x onerror=alert(1)>](/media/x.png)",
    )

    errors = response.context["adminform"].form.errors["body_en"]
    assert any("javascript:alert`1` is not allowed" in error for error in errors)
    assert any("found <img>" in error for error in errors)


def test_plain_less_than_is_saved(admin_client):
    variant = make_article("a").variants.get(level="standard")

    response = post_change_form(admin_client, variant_url(variant), "articlevariant_form",
                                summary_en="Surveillance when PSA < 4 ng/mL.")

    assert response.status_code == 302
    variant.refresh_from_db()
    assert variant.summary_en == "Surveillance when PSA < 4 ng/mL."


@pytest.mark.parametrize("field", ["term_fr", "definition_es", "plain_definition_ar", "aliases_en"])
def test_glossary_fields_refuse_html(admin_client, field):
    term = make_term("biopsy", en=("biopsy", "Taking a sample.", "Taking a bit of tissue."))

    response = post_change_form(admin_client, f"/admin/content/glossaryterm/{term.pk}/change/", "glossaryterm_form",
                                **{field: "<i>x</i>"})

    assert response.status_code == 200
    assert "HTML is not allowed here" in response.context["adminform"].form.errors[field][0]


def test_topic_and_source_fields_refuse_html(admin_client):
    topic = Topic.objects.create(slug="t", name_en="Topic")
    response = post_change_form(admin_client, f"/admin/content/topic/{topic.pk}/change/", "topic_form",
                                name_es="<b>Tema</b>")
    assert "HTML is not allowed here" in response.context["adminform"].form.errors["name_es"][0]

    source = SourceDocument.objects.create(file_name="s.txt", title="A source")
    response = post_change_form(admin_client, f"/admin/content/sourcedocument/{source.pk}/change/",
                                "sourcedocument_form", title="<script>x</script>")
    assert "HTML is not allowed here" in response.context["adminform"].form.errors["title"][0]


# --- the write path, so every other way in is covered -------------------------------------------------


def test_the_write_path_refuses_html_whoever_calls_it():
    variant = make_article("a").variants.get(level="plain")
    variant.title_fr = "<script>x</script>"

    with pytest.raises(services.EditRefused, match=r"title \[fr\]: HTML is not allowed here"):
        services.save_variant(variant)

    term = GlossaryTerm(slug="t", term_en="t", definition_en="<b>d</b>", plain_definition_en="d")
    with pytest.raises(services.EditRefused, match=r"definition \[en\]"):
        services.save_glossary_term(term)
    assert not GlossaryTerm.objects.filter(slug="t").exists()


# --- imports ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["xliff", "po"])
def test_a_translation_unit_with_html_rejects_the_file_and_writes_nothing(file_format):
    make_article("osteo", languages=("en", "es"))
    data = export_articles(Article.objects.filter(slug="osteo"), "es", file_format).content
    data = translated(data, {
        "osteo/standard/title": "Un título <script>alert(1)</script>",
        "osteo/plain/summary": "Un resumen correcto, PSA < 4.",
    })
    before = list(ArticleVariant.objects.values_list("title_es", "summary_es"))

    report = import_translations(data, f"osteo.{file_format}")

    assert [str(error) for error in report.errors] == [
        "osteo/standard/title: the translation: HTML is not allowed here (found <script>, </script>): this is "
        "plain text that apps show as it is. Remove the tags; a “<” that starts no tag, as in “PSA < 4”, is fine."
    ]
    assert list(ArticleVariant.objects.values_list("title_es", "summary_es")) == before


def test_a_translated_figure_with_a_javascript_address_is_refused_by_the_command(tmp_path):
    article = make_article("osteo", languages=("en",))
    variant = article.variants.get(level="standard")
    variant.body_en += "\n\n![A bone](/media/bone.png)"
    services.save_variant(variant)
    data = export_articles(Article.objects.filter(slug="osteo"), "fr", "po").content
    body_fr = variant.body_en.replace("/media/bone.png", "javascript:alert`1`")
    path = tmp_path / "osteo.po"
    path.write_bytes(translated(data, {"osteo/standard/body": body_fr}))

    with pytest.raises(CommandError, match=r"javascript:alert`1` is not allowed"):
        call_command("import_translations", str(path))
    variant.refresh_from_db()
    assert variant.body_fr in ("", None)


def test_a_source_document_with_html_is_refused_before_anything_is_written(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text("Bone cancer\n\nBone cancer starts in a bone. <script>alert(1)</script>\n")

    with pytest.raises(ImportFailure, match=r"page\.txt: the summary cannot be imported\. HTML is not allowed here"):
        import_document(path)
    assert not SourceDocument.objects.exists()
    assert not Article.objects.exists()


# --- invisible characters -----------------------------------------------------------------------------


@pytest.mark.parametrize("text, code", [
    ("Bone\x85cancer", "U+0085"),  # C1 NEL
    ("Bone \x9b31m cancer", "U+009B"),  # C1 CSI
    ("Bone\x7fcancer", "U+007F"),
    ("Take \u202e2 tablets\u202c a day", "U+202E"),  # right-to-left override (Trojan Source)
    ("Take \u202a2\u202c tablets", "U+202A"),
    ("Take \u2067two\u2069 tablets", "U+2067"),  # right-to-left isolate
    ("Take \u2066two\u2069 tablets", "U+2066"),
    ("bio\u200bpsy", "U+200B"),
    ("bio\u2060psy", "U+2060"),
    ("\ufeffBone cancer", "U+FEFF"),
    ("editor\u200d", "U+200D"),  # a joiner that joins nothing
    ("\u200cbiopsy", "U+200C"),
])
def test_controls_bidi_overrides_and_zero_width_characters_are_refused(text, code):
    problems = text_problems(text)

    assert problems and code in problems[0]


@pytest.mark.parametrize("text", [
    "می\u200cخواهم",  # Persian: ZWNJ between two letters keeps them unjoined, as spelling requires
    "क्\u200dष",  # Devanagari: ZWJ asks for the half form
    "Family: \U0001f468\u200d\U0001f469\u200d\U0001f467",  # an emoji sequence joined by ZWJ
    "العلاج \u200fالكيميائي\u200e (MRI)",  # right-to-left and left-to-right marks place punctuation
    "骨肉瘤是一种常见的骨癌。", "Tab\there\nand a new line",
])
def test_joiners_inside_words_and_direction_marks_are_text(text):
    assert text_problems(text) == []


def test_a_glossary_definition_with_a_right_to_left_override_is_refused_in_the_admin(admin_client):
    term = make_term("biopsy", en=("biopsy", "Taking a sample.", "Taking a bit of tissue."))

    response = post_change_form(admin_client, f"/admin/content/glossaryterm/{term.pk}/change/", "glossaryterm_form",
                                definition_en="Take \u202e2 tablets\u202c a day.")

    assert response.status_code == 200
    assert "U+202E" in response.context["adminform"].form.errors["definition_en"][0]


# --- size: bounded before any work starts -------------------------------------------------------------


def test_an_oversized_body_is_a_form_error_not_minutes_of_measuring(admin_client):
    variant = make_article("a").variants.get(level="plain")
    body = "Le traitement du cancer des os est long. " * 25_000  # ~1 MB, under the request limit

    response = post_change_form(admin_client, f"/admin/content/articlevariant/{variant.pk}/change/",
                                "articlevariant_form", body_fr=body)

    assert response.status_code == 200
    assert "at most 100000 characters" in response.context["adminform"].form.errors["body_fr"][0]


def test_the_write_path_refuses_an_oversized_summary_and_title_whoever_calls_it():
    variant = make_article("a").variants.get(level="plain")
    variant.summary_fr = "Résumé. " * 1000
    variant.title_es = "T" * 201

    with pytest.raises(services.EditRefused) as refused:
        services.save_variant(variant)

    assert "summary [fr]" in str(refused.value) and "at most 2000 characters" in str(refused.value)
    assert "title [es]" in str(refused.value) and "at most 200 characters" in str(refused.value)


def test_the_live_measurement_refuses_an_oversized_body_at_once(admin_client):
    body = "Le traitement du cancer des os est long. " * 25_000

    response = admin_client.post("/admin/content/articlevariant/measure/",
                                 {"language": "fr", "level": "plain", "body": body})

    assert response.status_code == 400
    assert "at most 100000 characters" in response.json()["error"]
