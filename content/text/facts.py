"""The facts a sentence states that a translation must keep, per language: numbers, organisations, negation.

Pure functions, no database. Each extractor returns a set of comparable
values, the same whatever the language, so that "4", "four", "cuatro",
"quatre", "四个", "أربعة" and "٤" all give "4", and "CTCA", "美国癌症治疗中心"
and "مراكز علاج السرطان الأمريكية" all give "CTCA".

What is reliable, and so what is checked (content/editorial/fact_check.py
compares these sets between an English text and its translation):

- Digits in every language, including Arabic-Indic (٠–٩) and Persian (۰–۹)
  digits, the Arabic decimal separator ٫, decimal commas in es/fr ("2,5")
  and thousands separators; percentages ("%", "٪", "por ciento", "pour
  cent", "في المئة", "百分之N") keep their "%".
- Number words from 2 to 10 (and 12): one is left out in every language,
  because "un/una/une" and "一" are also articles and word parts. Chinese
  numerals count only before a measure word ("四个", "两种"), since 四 alone
  also starts 四肢 ("limbs"). Arabic counts 3 to 10 only: two is usually
  written as a dual ending ("نوعان", "two kinds"), which no word list finds,
  so English "two" is not checked against Arabic.
- Organisations: a fixed table of the ones our sources name, with each
  language's name and the abbreviation (which translations keep).
- Negation: en not/no/never/cannot/n't/none/nor/without; es no/nunca/jamás/
  ningún/ni/tampoco/sin; fr ne/n'/pas/jamais/aucun/rien/ni/sans; zh 不/没/
  无/未/非/勿 outside words where they do not negate (不同 "different",
  非常 "very", 无论 "whatever", 不少 "many"…); ar لا/لم/لن/ليس/غير/دون/بدون/عدم
  with the joined و/ف in front. Only whether a sentence is negated is
  compared, not how many negations it has: languages pile them up
  differently ("ne… pas", "no… ni").
"""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from content.languages import base_language

DIGIT_TRANSLATION = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬٪", "01234567890123456789.,%")

PERCENT_WORDS = r"(?:\s*(?:%|per\s?cent|por\s+ciento|pour\s*cent|في\s+المئة|في\s+المائة|بالمئة|بالمائة))"
NUMBER = re.compile(r"(?<![\w.,])(\d+(?:[.,\u00a0\u202f ]\d+)*)(" + PERCENT_WORDS + r")?", re.IGNORECASE)
CHINESE_PERCENT = re.compile(r"百分之([\d]+(?:\.\d+)?)")

NUMBER_WORDS = {
    "en": {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
           "twelve": 12},
    "es": {"dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10,
           "doce": 12},
    # "neuf" also means "new": left out.
    "fr": {"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "dix": 10, "douze": 12},
    "ar": {"ثلاث": 3, "ثلاثة": 3, "أربع": 4, "أربعة": 4, "خمس": 5, "خمسة": 5, "ست": 6, "ستة": 6, "سبع": 7,
           "سبعة": 7, "ثماني": 8, "ثمانية": 8, "تسع": 9, "تسعة": 9, "عشر": 10, "عشرة": 10},
}
CHINESE_NUMERALS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
CHINESE_MEASURE = re.compile("([两二三四五六七八九十])(?:个|种|类|项|条|年|次|周|天|步|名|位|处|块|点|组|期)")
ARABIC_PREFIX = "(?:[وفبل]?(?:ال)?)"

# Values each language's words give reliably: an English word counts against a translation only when
# the translation could say it in words we find (else only digits are compared).
WORD_VALUES = {
    "en": set(NUMBER_WORDS["en"].values()),
    "es": set(NUMBER_WORDS["es"].values()),
    "fr": set(NUMBER_WORDS["fr"].values()),
    "zh-hans": set(CHINESE_NUMERALS.values()),
    "ar": set(NUMBER_WORDS["ar"].values()),
}

# Organisations our sources name: key → names (any language) and abbreviations.
ORGANISATIONS = {
    "MSK": [
        r"\bMSK\b", r"Memorial Sloan[- ]Kettering", "纪念斯隆[-·]?凯特琳", "斯隆[-·]?凯特琳", "ميموريال سلون كيترينغ",
        "سلون كيترينج", "سلون كيترينغ",
    ],
    "CTCA": [
        r"\bCTCA\b", r"Cancer Treatment Centers of America", "美国癌症治疗中心", "مراكز علاج السرطان الأمريكية",
        r"Centros? de Tratamiento del Cáncer de (?:los )?Estados Unidos", r"Centres? de traitement du cancer d[’']Amérique",
    ],
    "ACS": [
        r"\bACS\b", r"American Cancer Society", r"Sociedad Americana (?:contra|del|Contra el) (?:el )?Cáncer",
        r"Société américaine (?:du|contre le) cancer", "美国癌症协会", "جمعية السرطان الأمريكية",
    ],
    "NCI": [
        r"\bNCI\b", r"National Cancer Institute", r"Instituto Nacional del Cáncer", r"Institut national du cancer",
        "美国国家癌症研究所", "国家癌症研究所", "المعهد الوطني للسرطان", "المعهد الوطني الأمريكي للسرطان",
    ],
}
_ORGANISATION_PATTERNS = {key: re.compile("|".join(names), re.IGNORECASE) for key, names in ORGANISATIONS.items()}

NEGATION = {
    "en": re.compile(r"\b(?:not|no|never|cannot|none|nor|neither|without)\b|n[’']t\b", re.IGNORECASE),
    "es": re.compile(r"\b(?:no|nunca|jamás|ningún|ninguna|ninguno|ni|tampoco|sin)\b", re.IGNORECASE),
    "fr": re.compile(r"\b(?:ne|pas|jamais|aucun|aucune|rien|ni|sans)\b|\bn[’']", re.IGNORECASE),
    "zh-hans": re.compile("[不没无未非勿]"),
    "ar": re.compile(r"(?:^|(?<=[\s«(]))[وف]?(?:لا|لم|لن|ليس|ليست|ليسوا|غير|دون|بدون|عدم|بعدم)(?=[\s،.؟:»)]|$)"),
}
# Words in which the character does not negate the sentence.
NOT_NEGATING = {
    "zh-hans": re.compile("不同|不断|非常|无论|不少|不过|不仅|不久|除非|无数|并非常|不一定要|不适"),
    "ar": re.compile(r"لا سيما|لا بد"),
}


def normalise(text):
    """NFC text with Arabic-Indic digits, ٫ ٬ ٪ and full-width digits made ASCII."""
    return unicodedata.normalize("NFKC", text or "").translate(DIGIT_TRANSLATION)


def numbers(text, language, *, only_words_for=None):
    """{"4", "2.5", "50%", ...}: the numbers `text` states, in digits or (reliable) words.

    `only_words_for`: count number words only with values that language's words
    can also express (see WORD_VALUES), so an English "two" is not expected in Arabic words.
    """
    language = base_language(language)
    text = normalise(text)
    found = set()
    for match in CHINESE_PERCENT.finditer(text):
        found.add(_canonical(match.group(1), "en") + "%")
    text = CHINESE_PERCENT.sub(" ", text)
    for match in NUMBER.finditer(text):
        value = _canonical(match.group(1), language)
        if value is not None:
            found.add(value + ("%" if match.group(2) else ""))
    allowed = WORD_VALUES[base_language(only_words_for or language)] & WORD_VALUES.get(language, set())
    for value in _word_numbers(text, language):
        if value in allowed:
            found.add(str(value))
    return found


# "Both" is no count: "or both" is "o las dos", "ou les deux", "或两种都".
BOTH = {
    "es": re.compile(r"\b(?:las|los|ambas|ambos) dos\b|\b(?:a )?(?:las|los) dos\b", re.IGNORECASE),
    "fr": re.compile(r"\b(?:tous|toutes)? ?les deux\b", re.IGNORECASE),
    "zh-hans": re.compile("两(?:种|个|者|样)?都|两者"),
}


def _word_numbers(text, language):
    if language in BOTH:
        text = BOTH[language].sub(" ", text)
    if language == "zh-hans":
        return [CHINESE_NUMERALS[match.group(1)] for match in CHINESE_MEASURE.finditer(text)]
    words = NUMBER_WORDS.get(language, {})
    if language == "ar":
        pattern = r"(?:^|(?<=\s))" + ARABIC_PREFIX + "(" + "|".join(sorted(words, key=len, reverse=True)) + r")(?=[\s،.؟:]|$)"
        return [words[match.group(1)] for match in re.finditer(pattern, text)]
    return [words[word.lower()] for word in re.findall(r"\b\w+\b", text) if word.lower() in words]


def _canonical(token, language):
    """A number token as a canonical decimal string, reading separators as the language writes them."""
    token = re.sub(r"[\u00a0\u202f ]", "", token)
    if language in ("es", "fr"):
        # 1.000 or 1 000 groups thousands; the comma is the decimal mark.
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", token):
            token = token.replace(".", "")
        token = token.replace(",", ".")
    else:
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", token):
            token = token.replace(",", "")
        elif "," in token:
            token = token.replace(",", ".")
    try:
        value = Decimal(token)
    except InvalidOperation:
        return None
    return format(value.normalize(), "f") if value == value.to_integral() else str(value.normalize())


def organisations(text):
    """{"CTCA", ...}: the organisations named in `text`, in any language or by abbreviation."""
    return {key for key, pattern in _ORGANISATION_PATTERNS.items() if pattern.search(text or "")}


def negated(text, language):
    """Whether `text` contains a negation, for the languages where the pattern is reliable."""
    language = base_language(language)
    text = normalise(text)
    if language in NOT_NEGATING:
        text = NOT_NEGATING[language].sub(" ", text)
    return bool(NEGATION[language].search(text))



def sentences(text):
    """`text` cut after . ! ? 。 ！ ？ ؟ — enough to point a reviewer at the sentence that differs."""
    parts = [part.strip() for part in re.split(r"(?<=[.!?。！？؟])\s+|(?<=[。！？])", text or "")]
    return [part for part in parts if part]
