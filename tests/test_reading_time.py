"""Reading time from silent-reading rates per language."""

import pytest

from content.text.reading_time import SILENT_READING_RATES, reading_time_minutes


def test_english_reads_at_238_words_a_minute():
    assert reading_time_minutes("word " * 238, "en") == 1.0
    assert reading_time_minutes("word " * 476, "en") == 2.0


@pytest.mark.parametrize(("language", "words"), [("es", 228), ("fr", 204), ("ar", 144)])
def test_other_languages_read_at_their_irest_rate_scaled_to_silent_reading(language, words):
    word = {"es": "hueso ", "fr": "os ", "ar": "عظم "}[language]

    assert reading_time_minutes(word * words, language) == 1.0


def test_arabic_takes_longer_than_english_for_the_same_number_of_words():
    assert reading_time_minutes("عظم " * 476, "ar") > reading_time_minutes("bone " * 476, "en")


def test_chinese_is_counted_in_characters_not_as_one_unspaced_word():
    text = "骨肉瘤是一种骨癌。" * 59  # 472 characters, no spaces

    assert reading_time_minutes(text, "zh-hans") == pytest.approx(472 / SILENT_READING_RATES["zh-hans"], abs=0.05)
    assert reading_time_minutes(text, "zh-hans") == 1.8


def test_any_text_takes_at_least_half_a_minute_and_no_text_none():
    assert reading_time_minutes("Rest.", "en") == 0.5
    assert reading_time_minutes("", "en") == 0.0
    assert reading_time_minutes("  \n ", "fr") == 0.0


def test_regional_tags_use_the_base_language_rate():
    text = "El hueso es duro. " * 100

    assert reading_time_minutes(text, "es-ES") == reading_time_minutes(text, "es")
    assert reading_time_minutes("骨癌。" * 200, "zh-Hans-CN") == reading_time_minutes("骨癌。" * 200, "zh-hans")
