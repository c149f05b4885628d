"""The admin and API speak every content language."""

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import to_locale
from translate.storage import factory

from content.languages import language_codes

TRANSLATED_LANGUAGES = [code for code in language_codes() if code != "en"]


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    catalog = Path(settings.BASE_DIR) / "locale" / to_locale(language) / "LC_MESSAGES" / "django.po"
    store = factory.getobject(str(catalog))
    units = [unit for unit in store.units if not unit.isheader()]
    assert len(units) > 100
    assert [unit.source for unit in units if not unit.istranslated() or unit.isfuzzy()] == []


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_api_errors_come_in_every_language(client, language):
    response = client.get("/api/v1/articles/", {"level": "expert"}, HTTP_ACCEPT_LANGUAGE=language)

    with translation.override("en"):
        english = client.get("/api/v1/articles/", {"level": "expert"}).json()["error"]["message"]
    assert response.json()["error"]["message"] != english
    assert "expert" in response.json()["error"]["message"]
