"""Search terms: the one normalisation that both databases search, and the snippets it highlights.

Pure functions, no database. The same steps run on the text when it is
published and on a reader's query, so "quimioterapias" and "quimioterapia",
"metastasis" and "metástasis", "والعلاج" and "العلاج" meet:

- words are folded as glossary matching folds them (lowercase, no accents or
  vowel marks, أ إ آ → ا), plus the ligatures PostgreSQL's `unaccent` also
  unties (œ → oe, æ → ae);
- an Arabic word that starts with the conjunction و or ف before the article
  ال loses the conjunction: neither Snowball's Arabic stemmer nor
  PostgreSQL's `arabic` configuration removes it (they do remove ال, بال,
  كال, لل);
- stop words are PostgreSQL's own lists (content/text/stopwords/, copied
  from PostgreSQL 15's tsearch_data: the Snowball project's lists, BSD
  licence), so both databases ignore the same words; Arabic and Chinese have
  none in PostgreSQL, so none here;
- each word is reduced to its Snowball stem (PyStemmer: the same algorithms
  as PostgreSQL's `english`, `spanish`, `french` and `arabic` configurations);
- Chinese has no spaces between words: a run of Han characters is indexed as
  its characters and every pair of neighbours (bigrams); a query of two or
  more characters looks for all its bigrams, a single character for itself.

PostgreSQL gets the folded words (`prepared_text`) and stems them with the
language's own configuration; SQLite's FTS5 gets the stems computed here
(`index_terms`).
"""

import re
from functools import cache, lru_cache
from typing import NamedTuple
from pathlib import Path

import Stemmer

from content.text.glossary_matching import fold

# PostgreSQL text-search configuration and Snowball algorithm per language (the names are the same).
STEMMED_LANGUAGES = {"en": "english", "es": "spanish", "fr": "french", "ar": "arabic"}
# Any other language (Chinese: Han characters are n-grams in every language) is not stemmed.
UNSTEMMED_CONFIG = "simple"

STOPWORDS_DIR = Path(__file__).parent / "stopwords"
LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})
ARABIC_CONJUNCTION_BEFORE_ARTICLE = re.compile(r"^[وف](?=ال..)")
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"
TOKEN = re.compile(rf"(?P<han>[{HAN}]+)|(?P<word>(?:(?![{HAN}])\w)+)")

SNIPPET_CONTEXT = 60  # characters of context before the first match in a body excerpt
SNIPPET_LENGTH = 180


class Term(NamedTuple):
    start: int  # code-point offsets in the original text
    end: int
    key: str  # what is indexed and compared: a stem, a Han character or a bigram


def text_search_config(language):
    """PostgreSQL's configuration for the language's prepared text."""
    return STEMMED_LANGUAGES.get(language, UNSTEMMED_CONFIG)


@cache
def _stemmer(language):
    algorithm = STEMMED_LANGUAGES.get(language)
    # PyStemmer's own cache (10,000 words) is off: _key caches every stem already, and PyStemmer's lists stayed
    # in every full pass of the garbage collector.
    return Stemmer.Stemmer(algorithm, 0) if algorithm else None


@cache
def stop_words(language):
    path = STOPWORDS_DIR / f"{language}.txt"
    if not path.exists():
        return frozenset()
    return frozenset(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


# The vocabulary's words and some: each word a reader makes up adds one, and a larger cache only lengthened each of
# the garbage collector's full passes (issue 19, p99).
WORDS_KEPT = 8192


@lru_cache(maxsize=WORDS_KEPT)
def folded_word(word):
    """A word as both databases see it: folded, without a conjunction glued to an Arabic article."""
    folded = fold(word)[0].translate(LIGATURES).replace(" ", "")
    return ARABIC_CONJUNCTION_BEFORE_ARTICLE.sub("", folded)


@lru_cache(maxsize=WORDS_KEPT)
def _key(word, language):
    """The stem of a folded word, or None for a stop word."""
    if word in stop_words(language):
        return None
    stemmer = _stemmer(language)
    return stemmer.stemWord(word) if stemmer else word


def _han_terms(run, offset, query):
    """Han characters and bigrams in order of their start (a query: bigrams, or the lone character)."""
    sizes = (2,) if query and len(run) > 1 else (1,) if query else (1, 2)
    return [
        Term(offset + index, offset + index + size, run[index : index + size])
        for index in range(len(run))
        for size in sizes
        if index + size <= len(run)
    ]


def iter_terms(text, language, query=False):
    """Every term of `text` with its place in it, in order (stop words left out).

    Indexed text gives Han characters and bigrams; a query gives bigrams (or
    the character itself when it is alone).
    """
    for match in TOKEN.finditer(text or ""):
        if match["han"]:
            yield from _han_terms(match["han"], match.start(), query)
            continue
        word = folded_word(match["word"])
        key = _key(word, language) if word else None
        if key:
            yield Term(match.start(), match.end(), key)


def terms(text, language, query=False):
    return list(iter_terms(text, language, query))


def prepared_text(text, language, query=False):
    """The text handed to PostgreSQL's configuration for the language: folded words and Han n-grams.

    Stemming and stop words are left to PostgreSQL; everything else is done
    here, as for SQLite.
    """
    parts = []
    for match in TOKEN.finditer(text or ""):
        if match["han"]:
            parts.extend(term.key for term in _han_terms(match["han"], match.start(), query))
        elif word := folded_word(match["word"]):
            parts.append(word)
    return " ".join(parts)


def prepared_query(query, language):
    return prepared_text(query, language, query=True)


def index_terms(text, language):
    """The text as SQLite's FTS5 indexes it: the terms, space-separated."""
    return " ".join(term.key for term in terms(text, language))


@lru_cache(maxsize=8192)
def query_keys(query, language):
    """The distinct terms a query looks for, in order (a tuple); empty when it has none (only stop words, say).

    A search asks for a query's terms once per result field and per text a word may be found as, and readers
    repeat queries and their words. A tuple of strings is one the garbage collector stops tracking: each new word
    adds one, and a tracked one would lengthen every full pass (issue 19, p99).
    """
    return tuple(dict.fromkeys(term.key for term in terms(query, language, query=True)))


# --- Where it matched ---------------------------------------------------------


def highlights(text, language, keys, window=None):
    """[(start, end)] of the places in `text` whose terms are among `keys`, overlapping ones merged.

    With `window`, only those within that many characters of the first: what
    an excerpt can show.
    """
    places = term_places(text, language)
    found = [place for key in set(keys) for place in places.get(key, ())]
    if not found:
        return []
    if window is not None:
        first = min(start for start, _end in found)
        found = [place for place in found if place[0] < first + window]
    merged = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


@lru_cache(maxsize=4096)
def term_places(text, language):
    """{key: ((start, end), ...)}: where each term of `text` is, in order.

    Published titles, summaries and bodies are searched again and again, by
    new words too: each is read once per process, and a search only looks its words up.
    """
    places = {}
    for term in iter_terms(text, language):
        places.setdefault(term.key, []).append((term.start, term.end))
    return {key: tuple(spans) for key, spans in places.items()}


def excerpt(text, spans, length=SNIPPET_LENGTH, context=SNIPPET_CONTEXT):
    """(excerpt, spans within it): the passage around the first match, whole words, with … where cut."""
    if len(text) <= length:
        return text, spans
    begin = max(0, spans[0][0] - context) if spans else 0
    if begin > 0:
        space = text.find(" ", begin, spans[0][0]) if spans else text.find(" ", begin)
        begin = space + 1 if space != -1 else begin
    end = min(len(text), begin + length)
    if end < len(text):
        space = text.rfind(" ", begin + length // 2, end)
        end = space if space != -1 else end
    prefix = "…" if begin > 0 else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - begin
    inside = [(start + shift, stop + shift) for start, stop in spans if start >= begin and stop <= end]
    return prefix + text[begin:end] + suffix, inside


# --- The vocabulary: what a query word can be corrected or completed to -------


def vocabulary(text, language):
    """{(folded word, key)} of the words of `text` a query can be corrected or completed to.

    Words written in letters only, of two or more: Han text is found by its
    characters and bigrams already, and a number has no spelling to forgive.
    """
    found = set()
    for match in TOKEN.finditer(text or ""):
        if match["han"]:
            continue
        word = folded_word(match["word"])
        if len(word) < 2 or not word.isalpha():
            continue
        key = _key(word, language)
        if key:
            found.add((word, key))
    return found
