"""The admin and API speak every content language."""

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import to_locale
from translate.storage import factory

from content.interface_strings import marked_msgids
from content.languages import language_codes

TRANSLATED_LANGUAGES = [code for code in language_codes() if code != "en"]


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    catalog = Path(settings.BASE_DIR) / "locale" / to_locale(language) / "LC_MESSAGES" / "django.po"
    store = factory.getobject(str(catalog))
    units = [unit for unit in store.units if not unit.isheader()]
    assert len(units) > 100
    assert [unit.source for unit in units if not unit.istranslated() or unit.isfuzzy()] == []


def catalog_units(language):
    catalog = Path(settings.BASE_DIR) / "locale" / to_locale(language) / "LC_MESSAGES" / "django.po"
    return [unit for unit in factory.getobject(str(catalog)).units if not unit.isheader() and not unit.isobsolete()]


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_every_string_the_code_and_templates_mark_is_translated_in_every_catalog(language):
    translated = {
        str(unit.source.strings[0] if unit.hasplural() else unit.source)
        for unit in catalog_units(language)
        if unit.istranslated() and not unit.isfuzzy()
    }
    assert sorted(marked_msgids() - translated) == []


def test_the_marked_strings_are_read_from_python_and_every_kind_of_template_tag():
    marked = marked_msgids()
    assert "BoneCare editorial workspace" in marked  # gettext_lazy in Python
    assert "Translation dashboard" in marked  # {% translate %}
    assert "Status: <strong>%(status)s</strong>." in marked  # {% blocktranslate with %}
    assert "%(counter)s article shown." in marked  # {% blocktranslate count %}, its singular
    assert "You have unsaved changes on this page. Save them first, or continue and lose them?" in marked  # {{ _() }}
    assert "The request could not be understood." in marked  # Python, outside the admin


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_api_errors_come_in_every_language(client, language):
    response = client.get("/api/v1/articles/", {"level": "expert"}, HTTP_ACCEPT_LANGUAGE=language)

    with translation.override("en"):
        english = client.get("/api/v1/articles/", {"level": "expert"}).json()["error"]["message"]
    assert response.json()["error"]["message"] != english
    assert "expert" in response.json()["error"]["message"]
