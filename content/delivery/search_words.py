"""What a query word may also mean: its typo corrections, its completions, the glossary names it is.

Read from the search index's vocabulary (`SearchWord`) and its glossary
entries, never from working copies. Corrections come from words within an
edit distance (swapping two neighbouring letters is one edit) that grows
with the word's length (none under 4 letters, one from 4, two from 8). PostgreSQL narrows the vocabulary with pg_trgm's
trigram similarity (short words, whose trigrams one typo mostly breaks, by
length instead); SQLite by length. Both then keep the candidates rapidfuzz
finds within the distance, so both databases correct a word the same way.
"""

from django.db import connections
from django.db.models import Q
from django.db.models.functions import Length
from rapidfuzz.distance import OSA

from content.models import ReadingLevel, SearchEntry, SearchWord
from content.text.query_words import name_key

COMPLETIONS = 12  # the commonest words a half-typed word may become
CORRECTIONS = 4
TRIGRAM_SIMILARITY = 0.2  # candidates on PostgreSQL: loose, rapidfuzz decides
SHORT_WORD = 6  # up to this length, PostgreSQL takes candidates by length: one typo leaves few trigrams


def allowed_edits(word, looser=False):
    """Typos forgiven in a word of this length: 0 under 4 letters, 1 from 4, 2 from 8 (one more for did_you_mean)."""
    edits = 0 if len(word) < 4 else 1 if len(word) < 8 else 2
    return edits + 1 if looser and len(word) >= 5 else edits


def lookup(languages, words, prefix):
    """(known, completions) in one query: {(language, word)} of `words` in the vocabulary, and
    {language: [the commonest words starting with `prefix`, itself excluded]}."""
    wanted = Q(word__in=list(words))
    if prefix:
        wanted |= Q(word__startswith=prefix)
    rows = SearchWord.objects.filter(wanted, language__in=list(languages)).order_by("-entries", "word")
    known, completions = set(), {language: [] for language in languages}
    for language, word in rows.values_list("language", "word"):
        if word in words:
            known.add((language, word))
        if prefix and word.startswith(prefix) and word != prefix and len(completions[language]) < COMPLETIONS:
            completions[language].append(word)
    return known, completions


def corrections(wanted):
    """{(language, word): [vocabulary words at most `edits` away, nearest and commonest first]}, in one query.

    `wanted` is [(language, word, edits)].
    """
    wanted = [(language, word, edits) for language, word, edits in wanted if edits > 0]
    if not wanted:
        return {}
    candidates = {}
    for language, candidate, entries in _candidates(wanted):
        candidates.setdefault(language, {})[candidate] = entries
    found = {}
    for language, word, edits in wanted:
        scored = []
        for candidate, entries in candidates.get(language, {}).items():
            distance = OSA.distance(word, candidate, score_cutoff=edits)
            if distance <= edits and candidate != word:
                scored.append((distance, -entries, candidate))
        found[language, word] = [candidate for _distance, _entries, candidate in sorted(scored)[:CORRECTIONS]]
    return found


def _candidates(wanted):
    """[(language, word, entries)] that may be within the edits of each wanted word: every one that is, and others."""
    connection = connections[SearchWord.objects.db]
    if connection.vendor == "postgresql":
        selects, params = [], []
        for language, word, edits in wanted:
            sql = "SELECT language, word, entries FROM content_searchword WHERE language = %s AND length(word) BETWEEN %s AND %s"
            params += [language, len(word) - edits, len(word) + edits]
            if len(word) > SHORT_WORD:
                sql += " AND similarity(word, %s) >= %s"
                params += [word, TRIGRAM_SIMILARITY]
            selects.append(sql)
        with connection.cursor() as cursor:
            cursor.execute(" UNION ".join(selects), params)
            return cursor.fetchall()
    within = Q()
    for language, word, edits in wanted:
        within |= Q(language=language, length__range=(len(word) - edits, len(word) + edits))
    rows = SearchWord.objects.annotate(length=Length("word")).filter(within)
    return list(rows.values_list("language", "word", "entries"))


def glossary_names(languages):
    """{language: {name key: {the term's name}}}: every published term's name and alias, in one query.

    A query part that is an alias is looked for by the term's name too, so
    "chemo" finds what says "chemotherapy".
    """
    names = {language: {} for language in languages}
    rows = SearchEntry.objects.filter(
        kind=SearchEntry.Kind.GLOSSARY_TERM, language__in=list(languages), level=ReadingLevel.STANDARD
    ).values_list("language", "title", "aliases", "field_languages")
    for language, title, aliases, field_languages in rows:
        if field_languages.get("title", language) != language:
            continue  # not translated: its English names belong to the English analysis
        for form in [title, *aliases.splitlines()]:
            if key := name_key(form):
                names[language].setdefault(key, set()).add(title)
    return names
