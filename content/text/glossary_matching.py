"""Where glossary terms occur in an article's blocks, as standoff spans.

Apps underline a term and show its definition; they get spans, never
markup: {"block", "item", "start", "end", "start_utf16", "end_utf16", "term",
"text"}, where start and end are Python string indices (Unicode code points)
into the block's text (or the list item's), and start_utf16 and end_utf16
the same positions counted in UTF-16 code units, as Swift's NSString,
Kotlin/Java and JavaScript count them. They differ after any character
outside the Basic Multilingual Plane (an emoji, a rare CJK ideograph).

Matching is case-insensitive and accent-insensitive ("Metástasis" finds
"metastasis"), longest match first, never overlapping, and for languages
written with spaces only on whole words. All the forms of every term go into
one Aho–Corasick automaton (pyahocorasick), so a text is scanned once however
large the glossary.

Inflected forms come from the glossary itself and from simple rules:

- Editors list irregular and extra forms as aliases, one per line.
- Regular plurals are generated from each form: English pluralises the last
  word ("bone tumours"); Spanish and French pluralise every word before the
  first preposition or article ("tumores óseos", "sarcomes d'Ewing"), with
  the usual endings (-es, -z/-ces; -aux, -x).
- Arabic: a term matches with or without the article ال, and with the
  joined conjunctions و/ف and prepositions ب/ل/ك in front (والساركوما،
  بالعلاج، للعظام); the span covers the whole written word, prefixes
  included, because cutting a span inside a joined Arabic word breaks its
  letter shapes in some renderers. Vowel marks, tatweel and the spelling
  variants of alef, ya and ta marbuta are ignored.
- Chinese is matched as substrings, longest first, since words are not
  written apart.

Lemmatising the text instead (simplemma) was considered and left out: it
works word by word, so multi-word terms would need their own alignment, and
its Arabic and Chinese coverage does not help with clitics or segmentation;
generated forms keep the scan to one pass with exact offsets, and what the
rules miss an editor can add as an alias.
"""

import re
import unicodedata
from bisect import bisect_left
from functools import lru_cache

import ahocorasick

from content.text.blocks import block_texts
from content.languages import base_language

# Characters outside the Basic Multilingual Plane: two UTF-16 code units each.
ASTRAL_CHARACTER = re.compile("[\U00010000-\U0010ffff]")


def entry_forms(texts):
    """{language: [form, ...]} of one term, from {language: {"term": ..., "aliases": "one\nper line"}}.

    Only each language's own text counts: a term never matches in a language
    through the English fallback.
    """
    forms = {}
    for language, fields in texts.items():
        candidates = [fields.get("term") or "", *(fields.get("aliases") or "").splitlines()]
        language_forms = [form.strip() for form in candidates if form.strip()]
        if language_forms:
            forms[language] = language_forms
    return forms


def entry_senses(texts):
    """{language: [phrase, ...]}: phrases in which the term's words mean something else, never linked.

    "stage" is cancer staging, but not in "at every stage of their growth":
    an editor lists that phrase under the term's other senses.
    """
    senses = {}
    for language, fields in texts.items():
        phrases = [line.strip() for line in (fields.get("other_senses") or "").splitlines() if line.strip()]
        if phrases:
            senses[language] = phrases
    return senses


def find_glossary_spans(blocks, language, entries, automata=None):
    """Standoff spans of glossary terms in `blocks`, in reading order.

    A block that declares its own language (`{lang=xx}` in the body) is
    matched with that language's forms, and not at all when the glossary
    has none for it. `automata`: a dict kept by a caller that scans many
    texts with the same `entries` (the fact check), so each language's
    automaton is built once.
    """
    language = base_language(language)
    automata = {} if automata is None else automata
    spans = []
    for block_index, item_index, text in block_texts(blocks):
        text_language = _block_language(blocks[block_index], language)
        if text_language is None:
            continue
        if text_language not in automata:
            automata[text_language] = _build_automaton(entries, text_language)
        automaton = automata[text_language]
        if automaton is None:
            continue
        to_utf16 = utf16_offsets(text)
        for start, end, slug in _find_in_text(text, text_language, automaton):
            spans.append(
                {
                    "block": block_index,
                    "item": item_index,
                    "start": start,
                    "end": end,
                    "start_utf16": to_utf16(start),
                    "end_utf16": to_utf16(end),
                    "term": slug,
                    "text": text[start:end],
                }
            )
    return spans


def utf16_offset(text, index):
    """The UTF-16 code-unit offset of code-point offset `index` in `text`."""
    return utf16_offsets(text)(index)


def utf16_offsets(text):
    """A function from code-point offsets in `text` to UTF-16 offsets.

    The text is read once, whatever the number of spans: counting the astral
    characters before each span anew costs the text's length per span.
    """
    astral = [match.start() for match in ASTRAL_CHARACTER.finditer(text)]
    if not astral:
        return lambda index: index
    return lambda index: index + bisect_left(astral, index)


def _block_language(block, article_language):
    if not block.get("lang"):
        return article_language
    try:
        return base_language(block["lang"])
    except ValueError:
        return None


# --- Folding: what counts as the same letter ---------------------------------

ARABIC_LETTER_VARIANTS = {"\u0649": "\u064a", "\u0629": "\u0647"}  # alef maqsura -> ya, ta marbuta -> ha
TATWEEL = "\u0640"


@lru_cache(maxsize=4096)
def _fold_character(character):
    """The matching form of one character: lowercase, without accents or vowel marks.

    Removing the combining marks after decomposition also turns أ إ آ into ا.
    """
    if character == "’":
        return "'"
    if character == TATWEEL:
        return ""
    if character.isspace():
        return " "
    folded = "".join(
        c for c in unicodedata.normalize("NFD", character.casefold()) if unicodedata.category(c) != "Mn"
    )
    return "".join(ARABIC_LETTER_VARIANTS.get(c, c) for c in folded)


def fold(text):
    """The folded text and, for each of its characters, the index of the original character it came from."""
    folded, origins = [], []
    for index, character in enumerate(text):
        for folded_character in _fold_character(character):
            folded.append(folded_character)
            origins.append(index)
    return "".join(folded), origins


def _folded(form):
    return " ".join(fold(form)[0].split())


# --- Forms -------------------------------------------------------------------

# Words that end the part of a term that agrees in number: "sarcoma | de Ewing".
SPANISH_STOP_WORDS = {
    "de", "del", "el", "la", "los", "las", "y", "e", "o", "u", "en", "con", "por", "para", "a", "al", "sin",
}
FRENCH_STOP_WORDS = {
    "de", "du", "des", "la", "le", "les", "et", "ou", "en", "a", "au", "aux", "avec", "pour", "sans", "sur",
}
FRENCH_ELISIONS = ("d'", "l'")

ARABIC_ARTICLE = "ال"
ARABIC_CONJUNCTIONS = ("", "و", "ف")
ARABIC_PREPOSITIONS = ("", "ب", "ل", "ك")


def english_plurals(word):
    if word.endswith("sis"):
        return {word[:-2] + "es"}
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return {word + "es"}
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return {word[:-1] + "ies"}
    return {word + "s"}


def spanish_plurals(word):
    if word.endswith(("s", "x")):
        return {word, word + "es"}
    if word.endswith("z"):
        return {word[:-1] + "ces"}
    if word.endswith(("i", "u")):
        return {word + "s", word + "es"}
    if word[-1:] in "aeo":
        return {word + "s"}
    return {word + "es"}


def french_plurals(word):
    if word.endswith(("s", "x", "z")):
        return {word}
    if word.endswith("al"):
        return {word[:-2] + "aux", word + "s"}
    if word.endswith(("au", "eu")):
        return {word + "x", word + "s"}
    return {word + "s"}


def _pluralise_phrase_head(words, plurals, stop_words, elisions=()):
    """Every combination of the words before the first preposition or article, in the plural."""
    head_length = 0
    for word in words:
        if word in stop_words or word.startswith(elisions):
            break
        head_length += 1
    if head_length == 0:
        return set()
    phrases = {()}
    for word in words[:head_length]:
        phrases = {phrase + (plural,) for phrase in phrases for plural in plurals(word)}
    return {" ".join(phrase + tuple(words[head_length:])) for phrase in phrases}


def arabic_forms(form):
    """The form with and without ال, and with the joined prefixes و/ف then ب/ل/ك in front of its first word."""
    first, _, rest = form.partition(" ")
    bare = first[len(ARABIC_ARTICLE) :] if first.startswith(ARABIC_ARTICLE) and len(first) >= 4 else first
    words = set()
    for conjunction in ARABIC_CONJUNCTIONS:
        for preposition in ARABIC_PREPOSITIONS:
            words.add(conjunction + preposition + bare)
            # ل before the article drops the article's alef: ل + العظام -> للعظام.
            with_article = "ل" + bare if preposition == "ل" else ARABIC_ARTICLE + bare
            words.add(conjunction + preposition + with_article)
    words.add(first)
    return {word + (" " + rest if rest else "") for word in words}


def forms_to_find(form, language):
    """A glossary form, folded, with the inflected forms the rules give."""
    form = _folded(form)
    if not form:
        return set()
    words = form.split(" ")
    if language == "en":
        return {form} | {" ".join(words[:-1] + [plural]) for plural in english_plurals(words[-1])}
    if language == "es":
        return {form} | _pluralise_phrase_head(words, spanish_plurals, SPANISH_STOP_WORDS)
    if language == "fr":
        return {form} | _pluralise_phrase_head(words, french_plurals, FRENCH_STOP_WORDS, FRENCH_ELISIONS)
    if language == "ar":
        return arabic_forms(form)
    return {form}


def _build_automaton(entries, language):
    """Every form of every term; entries are (slug, forms) or (slug, forms, other senses)."""
    automaton = ahocorasick.Automaton()
    for slug, forms, *senses in entries:
        for form in forms.get(language, []):
            for variant in forms_to_find(form, language):
                # Two terms sharing a form: the first (entries come in slug order) keeps it.
                if variant not in automaton:
                    automaton.add_word(variant, (slug, len(variant)))
    for _slug, _forms, *senses in entries:
        for phrase in (senses[0] if senses else {}).get(language, []):
            for variant in forms_to_find(phrase, language):
                # A phrase in another sense takes its words, as a longer match would, and links nothing.
                if variant not in automaton:
                    automaton.add_word(variant, (None, len(variant)))
    if len(automaton) == 0:
        return None
    automaton.make_automaton()
    return automaton


# --- Matching -----------------------------------------------------------------


def _find_in_text(text, language, automaton):
    """(start, end, slug) of the longest non-overlapping matches, in original-text indices."""
    folded, origins = fold(text)
    candidates = []
    for last, (slug, length) in automaton.iter(folded):
        start, end = last - length + 1, last + 1
        if _stands_alone(folded, start, end, language):
            candidates.append((start, end, slug))
    candidates.sort(key=lambda candidate: (candidate[0] - candidate[1], candidate[0]))
    taken = bytearray(len(folded))
    chosen = []
    for start, end, slug in candidates:
        if any(taken[start:end]):
            continue
        taken[start:end] = b"\x01" * (end - start)
        if slug is not None:
            chosen.append((origins[start], _original_end(text, origins[end - 1] + 1), slug))
    return sorted(chosen)


def _stands_alone(folded, start, end, language):
    """Whether a match is a whole word; in Chinese, only Latin letters and digits need a boundary."""
    before = folded[start - 1] if start > 0 else ""
    after = folded[end] if end < len(folded) else ""
    if language == "zh-hans":
        return not (_is_latin_or_digit(before) and _is_latin_or_digit(folded[start])) and not (
            _is_latin_or_digit(after) and _is_latin_or_digit(folded[end - 1])
        )
    return not before.isalnum() and not after.isalnum()


def _is_latin_or_digit(character):
    return character.isascii() and character.isalnum()


def _original_end(text, end):
    """Extend an end index over vowel marks, tatweel and accents that follow in the original text."""
    while end < len(text) and not _fold_character(text[end]):
        end += 1
    return end
