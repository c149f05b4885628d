"""The word timings come from eSpeak NG's own word events, cover every word, and each language is read by its voice."""

import re

import pytest

from content.audio import making, script, speech, timings
from content.audio.script import Part

pytestmark = pytest.mark.needs_speech

# One short text per language, with a number, a list item and (where the language has one) an abbreviation.
TEXTS = {
    "en": ("Bone cancer", "Dr. Lee treats 25 people with osteosarcoma each year.", "Pain at night"),
    "es": ("Cáncer de hueso", "La Dra. López trata a 25 personas con osteosarcoma cada año.", "Dolor de noche"),
    "fr": ("Cancer des os", "Le Dr Martin soigne 25 personnes atteintes d'ostéosarcome chaque année.", "Douleur la nuit"),
    "zh-hans": ("骨癌", "医生每年治疗25名骨肉瘤患者。", "夜间疼痛"),
    "ar": ("سرطان العظام", "يعالج الطبيب 25 مريضا بساركوما العظام كل عام.", "ألم في الليل"),
}
# How the voice says "25": the language's own number words, in IPA (eSpeak NG's TextToPhonemes).
TWENTY_FIVE = {"en": "twˈɛnti", "es": "θˈinko", "fr": "vɛ̃t", "zh-hans": "wˈu2", "ar": "xˈamsa"}
# The voice file eSpeak NG picks: its family and language.
VOICE_FILES = {"en": "gmw/en-US", "es": "roa/es", "fr": "roa/fr", "zh-hans": "sit/cmn", "ar": "sem/ar"}


def parts_for(language):
    title, paragraph, item = TEXTS[language]
    voice = script.voice_for(language)
    return [Part(None, None, title, voice, 700), Part(0, None, paragraph, voice, 450), Part(1, 0, item, voice, 300)]


@pytest.fixture(scope="module")
def readings():
    return {language: (parts_for(language), making.read_aloud(parts_for(language))) for language in TEXTS}


@pytest.mark.parametrize("language", list(TEXTS))
def test_the_word_the_timings_place_at_each_event_is_the_word_the_synthesiser_reported_there(readings, language):
    parts, reading = readings[language]
    assert len(reading.events) >= 6
    for part_index, position, moment in reading.events:
        part = parts[part_index]
        at_moment = [w for w in reading.words if w["start_ms"] <= moment < w["end_ms"]]
        assert len(at_moment) == 1, (language, part.text, position, moment)
        word = at_moment[0]
        assert (word["block"], word["item"]) == (part.block, part.item)
        # The event's character is inside that word, or (an event on a space or a sign) the word is the next one.
        inside = word["start"] <= position < word["end"]
        next_word = word["start"] > position and not re.match(r"\w", part.text[position])
        assert inside or next_word, (language, part.text, part.text[word["start"]:word["end"]], position)


@pytest.mark.parametrize("language", list(TEXTS))
def test_every_word_of_the_text_has_timings_in_order_and_inside_the_audio(readings, language):
    parts, reading = readings[language]
    for part in parts:
        spans = [(w["start"], w["end"]) for w in reading.words if (w["block"], w["item"]) == (part.block, part.item)]
        for start, end in timings.words_in(part.text):
            assert any(s <= start and end <= e for s, e in spans), (language, part.text[start:end])
    times = [(w["start_ms"], w["end_ms"]) for w in reading.words]
    assert all(start < end for start, end in times)
    assert all(a[1] <= b[0] for a, b in zip(times, times[1:]))
    assert times[-1][1] <= reading.duration_ms
    assert reading.duration_ms * reading.sample_rate // 1000 <= len(reading.pcm) // 2


@pytest.mark.parametrize("language", list(TEXTS))
def test_the_voice_speaks_the_texts_language_numbers_included(language):
    voice = script.voice_for(language)
    assert speech.voice_identifier(voice) == VOICE_FILES[language]
    assert TWENTY_FIVE[language] in speech.phonemes("25", voice)


def test_utf16_offsets_count_astral_characters_twice():
    part = Part(0, None, "𝑥 bone", "en-us", 0)
    [first, second] = timings.word_entries(part, [(0, 1, 0, 10), (2, 6, 10, 20)])
    assert (second["start"], second["start_utf16"], second["end_utf16"]) == (2, 3, 7)
    assert first["end_utf16"] == 2


def test_a_block_marked_in_another_language_is_read_by_that_languages_voice():
    class Rendition:
        language = "ar"
        title = "عنوان"
        blocks = [{"type": "paragraph", "text": "Methotrexate", "lang": "en"}, {"type": "paragraph", "text": "نص"}]

    voices = [part.voice for part in script.script(Rendition)]
    assert voices == ["ar", "en-us", "ar"]
