"""The editors' workspace, as an editor sees it."""

import re

import pytest

from content.models import ImportDefect
from tests.factories import make_article, make_source, make_term

pytestmark = pytest.mark.django_db


def test_article_list_shows_which_languages_are_complete(admin_client):
    make_article("complete-es", languages=("en", "es"))

    html = admin_client.get("/admin/content/article/").content.decode()

    assert "complete-es" in html
    assert 'title="complete">es' in html
    assert 'title="missing">fr' in html
    assert "<strong>0 of 4 texts reviewed</strong>" in html


def test_article_list_filters_by_status_and_topic_and_searches(admin_client):
    make_article("findable")
    make_article("other")

    html = admin_client.get("/admin/content/article/", {"q": "findable"}).content.decode()
    assert "findable" in html and ">other<" not in html
    filtered = admin_client.get("/admin/content/article/", {"status__exact": "draft"}).content.decode()
    assert "findable" not in filtered


def test_article_form_has_language_tabs_loaded_locally(admin_client):
    article = make_article("a", languages=("en", "es"))

    response = admin_client.get(f"/admin/content/article/{article.pk}/change/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "tabbed_translation_fields.js" in html
    assert "jquery_ui/jquery-ui.min.js" in html
    assert "googleapis" not in html
    assert 'name="variants-0-title_es"' in html
    jquery_ui = re.search(r'src="([^"]*jquery-ui\.min\.js)"', html).group(1)
    assert admin_client.get(jquery_ui).status_code == 200


def test_import_report_is_shown_on_the_article_and_its_source(admin_client):
    source = make_source(file_name="page.txt")
    ImportDefect.objects.create(
        source=source, kind=ImportDefect.Kind.MISSING_WORD, message="A word seems to be missing.", excerpt="surgery and  may", line=7
    )
    article = make_article("a", sources=[source])

    article_html = admin_client.get(f"/admin/content/article/{article.pk}/change/").content.decode()
    source_html = admin_client.get(f"/admin/content/sourcedocument/{source.pk}/change/").content.decode()

    assert "A word seems to be missing." in article_html
    assert "surgery and  may" in source_html


def test_variant_admin_shows_review_status_and_readability(admin_client):
    article = make_article("a", languages=("en", "es"), reviewed=("en",))
    variant = article.variants.get(level="plain")

    listing = admin_client.get("/admin/content/articlevariant/").content.decode()
    form = admin_client.get(f"/admin/content/articlevariant/{variant.pk}/change/").content.decode()

    assert "es&nbsp;UNREVIEWED" in listing
    assert "en&nbsp;reviewed" in listing
    assert "Flesch" in form or "flesch" in form


def test_glossary_admin_relinks_articles_when_a_term_is_added(admin_client):
    article = make_article("a")
    term = make_term("swelling", en=("swelling", "Enlargement of a body part.", "Getting bigger."))

    admin_client.post(
        f"/admin/content/glossaryterm/{term.pk}/change/",
        {"slug": "swelling", "term_en": "swelling", "definition_en": "Enlargement of a body part.",
         "plain_definition_en": "Getting bigger.", "aliases_en": ""},
    )

    rendition = article.variants.get(level="standard").renditions.get(language="en")
    assert any(span["term"] == "swelling" for span in rendition.glossary)


@pytest.mark.parametrize("path", ["/admin/content/sourcedocument/", "/admin/content/glossaryterm/", "/admin/content/topic/"])
def test_other_admin_lists_load(admin_client, path):
    make_article("a", sources=[make_source()])
    assert admin_client.get(path).status_code == 200


def test_editor_sees_readability_of_the_text_being_edited(admin_client):
    plain = "Bone cancer is rare. It can start in any bone. A doctor can test a small piece of it."
    dense = (
        "Multidisciplinary orthopaedic oncological management necessitates comprehensive preoperative chemotherapeutic "
        "cytoreduction and sophisticated reconstructive methodologies incorporating endoprosthetic arthroplasty."
    )
    url = "/admin/content/articlevariant/measure/"

    easy = admin_client.post(url, {"language": "en", "level": "plain", "body": plain}).json()
    hard = admin_client.post(url, {"language": "en", "level": "plain", "body": dense}).json()
    unknown = admin_client.post(url, {"language": "xx", "level": "plain", "body": plain})

    assert easy["meets_target"] is True
    assert hard["meets_target"] is False and hard["score"] > 6
    assert unknown.status_code == 400


def test_variant_form_loads_the_live_readability_script(admin_client):
    variant = make_article("a").variants.get(level="plain")
    html = admin_client.get(f"/admin/content/articlevariant/{variant.pk}/change/").content.decode()
    assert "live_readability.js" in html
