"""Adding a language the text functions cannot handle fails `manage.py check`, naming what is missing."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from content.text import reading_time
from content.text.checks import check_text_support_for_languages

WITH_GERMAN = [*settings.LANGUAGES, ("de", "German")]


def test_the_shipped_languages_are_all_supported():
    assert check_text_support_for_languages() == []


@override_settings(LANGUAGES=WITH_GERMAN)
def test_a_language_without_readability_or_reading_rate_is_an_error_naming_both():
    errors = {error.id: error for error in check_text_support_for_languages()}

    assert set(errors) == {"content.E001", "content.E002"}
    assert "'de'" in errors["content.E001"].msg
    assert "readability scorer" in errors["content.E001"].msg
    assert "content/text/readability.py" in errors["content.E001"].msg
    assert "'de'" in errors["content.E002"].msg
    assert "silent-reading rate" in errors["content.E002"].msg
    assert "SILENT_READING_RATES" in errors["content.E002"].hint


@override_settings(LANGUAGES=WITH_GERMAN)
def test_only_what_is_missing_is_reported(monkeypatch):
    monkeypatch.setitem(reading_time.SILENT_READING_RATES, "de", 200)

    errors = check_text_support_for_languages()

    assert [error.id for error in errors] == ["content.E001"]


@override_settings(LANGUAGES=WITH_GERMAN)
def test_manage_py_check_fails_on_the_unsupported_language():
    with pytest.raises(SystemCheckError) as caught:
        call_command("check")

    assert "content.E001" in str(caught.value)
    assert "'de'" in str(caught.value)


@override_settings(LANGUAGES=[*settings.LANGUAGES, ("pt-br", "Brazilian Portuguese")])
def test_a_regional_code_the_text_functions_cannot_name_is_an_error():
    errors = check_text_support_for_languages()

    assert [error.id for error in errors] == ["content.E003"]
    assert "'pt-br'" in errors[0].msg
