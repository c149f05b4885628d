"""What a query word may also mean: its typo corrections, its completions, the glossary names it is.

Read from the search index's vocabulary (`SearchWord`) and its glossary
entries, never from working copies. Corrections come from words within an
edit distance (swapping two neighbouring letters is one edit) that grows
with the word's length (none under 4 letters, one from 4, two from 8),
found by rapidfuzz among the vocabulary's words of a near length. The
vocabulary is held in memory per published version
(content/delivery/search_memory.py), so neither database is queried for it
and both correct a word the same way.
"""

from rapidfuzz import process
from rapidfuzz.distance import OSA

from content.delivery import search_memory

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


def corrections(wanted):
    """{(language, word): [vocabulary words at most `edits` away, nearest and commonest first]}.

    `wanted` is [(language, word, edits)].
    """
    found = {}
    for language, word, edits in wanted:
        if edits <= 0:
            continue
        held = search_memory.vocabulary(language)
        candidates = held.of_length(len(word) - edits, len(word) + edits)
        near = process.extract(word, candidates, scorer=OSA.distance, score_cutoff=edits, limit=None)
        scored = sorted((distance, -held.entries[candidate], candidate) for candidate, distance, _index in near if candidate != word)
        found[language, word] = [candidate for _distance, _entries, candidate in scored[:CORRECTIONS]]
    return found


def glossary_names(languages):
    """{language: {name key: {the term's name}}}: every published term's name and alias.

    A query part that is an alias is looked for by the term's name too, so
    "chemo" finds what says "chemotherapy".
    """
    return {language: search_memory.glossary_names(language) for language in languages}
