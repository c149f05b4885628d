"""What a query word may also mean: its typo corrections, its completions, the glossary names it is.

Read from the search index's vocabulary (`SearchWord`) and its glossary
entries, never from working copies. Corrections are the words within an
edit distance (swapping two neighbouring letters is one edit) that grows
with the word's length (none under 4 letters, one from 4, two from 8).
The candidates come from the vocabulary each process holds per published
version (content/delivery/search_memory.py), on both databases, so both
find the same corrections by construction: for one edit, the words that
share a one-letter deletion with the typed one; for more, every word of a
near length.
rapidfuzz's OSA distance keeps those within the allowed edits, nearest and
commonest first. (PostgreSQL's pg_trgm gave the same candidates through an
index, but its query cost each new word about 0.45 ms, most of a search's
time: issue 19's benchmark; migration 0024 drops that index.)
Completions and known words are looked up in the held vocabulary, no query,
and a word's corrections are held too, per published version, so a
misspelling readers repeat is corrected once.
A word whose stem no indexed word has (`unindexed`) is not looked for in the
index at all.
"""

from rapidfuzz import process
from rapidfuzz.distance import OSA

from content.delivery import search_memory
from content.text.search_terms import vocabulary

COMPLETIONS = 12  # the commonest words a half-typed word may become
CORRECTIONS = 4


def allowed_edits(word, looser=False):
    """Typos forgiven in a word of this length: 0 under 4 letters, 1 from 4, 2 from 8 (one more for did_you_mean)."""
    edits = 0 if len(word) < 4 else 1 if len(word) < 8 else 2
    return edits + 1 if looser and len(word) >= 5 else edits


def lookup(languages, words, prefix):
    """(known, completions): {(language, word)} of `words` in the vocabulary, and
    {language: [the commonest words starting with `prefix`, itself excluded]}."""
    known, completions = set(), {}
    for language in languages:
        held = search_memory.vocabulary(language)
        known |= {(language, word) for word in words if word in held.entries}
        started = [word for word in held.starting_with(prefix) if word != prefix] if prefix else []
        started.sort(key=lambda word: (-held.entries[word], word))
        completions[language] = started[:COMPLETIONS]
    return known, completions


def unindexed(text, language):
    """Whether no entry can have all of `text`'s words: one of them is a stem no indexed word has.

    The vocabulary holds the stem of every indexed word of letters, so only
    such words of the query are judged (a number or a Han character is
    looked for in the index). A word a reader makes up is mostly one of them:
    its search then reads nothing.
    """
    keys = search_memory.vocabulary(language).keys
    return any(key not in keys for _word, key in vocabulary(text, language) if len(key) > 1)


def corrections(wanted):
    """{(language, word): (vocabulary words at most `edits` away, nearest and commonest first)}.

    `wanted` is [(language, word, edits)].
    """
    held = search_memory.held("corrections")
    found = {(language, word): held[language, word, edits] for language, word, edits in wanted if (language, word, edits) in held}
    wanted = [(language, word, edits) for language, word, edits in wanted if edits > 0 and (language, word, edits) not in held]
    for language, word, edits in wanted:
        vocabulary_of_language = search_memory.vocabulary(language)
        entries = vocabulary_of_language.entries
        near = process.extract(word, vocabulary_of_language.near(word, edits), scorer=OSA.distance, score_cutoff=edits, limit=None)
        scored = sorted((distance, -entries[candidate], candidate) for candidate, distance, _index in near if candidate != word)
        found[language, word] = tuple(candidate for _distance, _entries, candidate in scored[:CORRECTIONS])
        search_memory.hold("corrections", (language, word, edits), found[language, word])
    return found


def glossary_names(languages):
    """{language: {name key: (the term's names)}}: every published term's name and alias.

    A query part that is an alias is looked for by the term's name too, so
    "chemo" finds what says "chemotherapy".
    """
    return {language: search_memory.glossary_names(language) for language in languages}
