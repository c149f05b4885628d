"""How long a variant takes to read, from silent-reading rates per language.

textstat's `reading_time` charges 14.69 ms per character in every language,
which makes Chinese (dense characters) far too quick and Arabic far too
slow. Instead:

- English: 238 words/min, the average silent reading rate of adults for
  non-fiction (Brysbaert, "How many words do we read per minute? A review and
  meta-analysis of reading rate", J Mem Lang 2019;109:104047).
- Other languages: the International Reading Speed Texts (Trauzettel-Klosinski
  & Dietz, IOVS 2012;53(9):5452-61) timed native adults (18–35) on the same
  short texts translated into 17 languages, so their per-language rates
  capture how many words (or characters) each language needs for the same
  content. IReST timed reading aloud; Brysbaert's point is that rates in
  other languages follow from such word-count ratios, so each IReST rate is
  scaled by English's silent/IReST ratio (238 / 228).

Chinese is counted in characters, because words are not written apart; the
others in words.
"""

import math

from content.languages import base_language
from content.text.readability import chinese_units, words_of

BRYSBAERT_ENGLISH_SILENT_WORDS_PER_MINUTE = 238

# IReST's published mean rates per language (reading aloud, adults 18–35).
IREST_RATES = {
    "en": {"words_per_minute": 228},
    "es": {"words_per_minute": 218},
    "fr": {"words_per_minute": 195},
    "ar": {"words_per_minute": 138},
    "zh-hans": {"characters_per_minute": 255},  # 158 words/min; each character is one syllable
}

SILENT_READING_SCALE = BRYSBAERT_ENGLISH_SILENT_WORDS_PER_MINUTE / IREST_RATES["en"]["words_per_minute"]

# Units read per minute in silent reading: words, or characters for Chinese.
SILENT_READING_RATES = {
    "en": BRYSBAERT_ENGLISH_SILENT_WORDS_PER_MINUTE,
    "es": IREST_RATES["es"]["words_per_minute"] * SILENT_READING_SCALE,
    "fr": IREST_RATES["fr"]["words_per_minute"] * SILENT_READING_SCALE,
    "ar": IREST_RATES["ar"]["words_per_minute"] * SILENT_READING_SCALE,
    "zh-hans": IREST_RATES["zh-hans"]["characters_per_minute"] * SILENT_READING_SCALE,
}

SHORTEST_READING_TIME = 0.5


def reading_units(text, language):
    """Words, or for Chinese characters (a run of Latin letters or digits counting as one)."""
    return len(chinese_units(text)) if language == "zh-hans" else len(words_of(text))


def reading_time_minutes(text, language):
    """Minutes to read `text` silently, to one decimal; at least half a minute for any text."""
    language = base_language(language)
    units = reading_units(text, language)
    if not units:
        return 0.0
    minutes = units / SILENT_READING_RATES[language]
    # Round half up: Python's round() would send 0.25 to 0.2.
    return max(SHORTEST_READING_TIME, math.floor(minutes * 10 + 0.5) / 10)
