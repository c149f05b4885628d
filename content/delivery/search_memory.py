"""What search and suggestions compare a query with, held in each process's memory per published version.

The vocabulary (`SearchWord`), the glossary's names and aliases, and the
titles a prefix may start are read from the database once per language (and
level) and kept until something is published: every read asks
`sync.latest_change()` (one indexed query, which the view has already read
for its ETag and names with `as_of`) and
drops what it holds when that has moved. The write path also calls
`forget()` when it indexes, so this process never waits for a change-log
entry. Typo correction, completion and suggestions then run in Python on
these tables, with no query (issue 19: suggestions under 10 ms).
"""

import bisect
import threading
from functools import cached_property
from itertools import chain
from contextlib import contextmanager

from content.delivery import sync
from content.models import ReadingLevel, SearchEntry, SearchWord
from content.text.query_words import name_key
from content.text.search_terms import index_terms

_lock = threading.Lock()
_held = {"version": None, "tables": {}}


def forget():
    """Drop everything held: the index has just been written in this process."""
    with _lock:
        _held["version"], _held["tables"] = None, {}


_request = threading.local()


@contextmanager
def as_of(version):
    """Within: tables are those of `version` (a view has just read `sync.latest_change()` for its ETag)."""
    _request.version = version
    try:
        yield
    finally:
        del _request.version


def _table(name, build):
    """The table `name` for the current published version, built by `build()` when not held yet."""
    version = getattr(_request, "version", None) or sync.latest_change()
    with _lock:
        if _held["version"] != version:
            _held["version"], _held["tables"] = version, {}
        tables = _held["tables"]
        if name in tables:
            return tables[name]
    table = build()  # outside the lock: two threads may build the same table once; both are right
    with _lock:
        if _held["version"] == version:
            _held["tables"][name] = table
    return table


# What is worked out per query and held per published version, and how many of each: past that, a table starts again.
HELD = {
    "corrections": 10_000,  # {(language, word, edits): (corrections)}
    # {signature: ((entry id, score), ...)}: the ranking of each set of query parts that found something
    "ranked": 10_000,
    # {(signature, negotiation, page's hits): [result]}: few, as results are dicts the garbage collector walks
    "served pages": 128,
}


def held(name):
    """The table `name` of HELD for the current published version."""
    return _table(name, dict)


def hold(name, key, value):
    table = held(name)
    with _lock:
        if len(table) >= HELD[name]:
            table.clear()
        table[key] = value


HELD_PART_ROWS = 100_000  # index rows held per published version for the parts of queries; past that, start again


class PartRows(dict):
    """{query part: [(id, kind, slug, weighted score)]}, and how many rows that is."""

    size = 0


def part_rows():
    """The index rows each part of a query already looked for matched, for the current published version."""
    return _table("part rows", PartRows)


def hold_part_rows(read):
    held = part_rows()
    added = sum(len(rows) + 1 for rows in read.values())
    with _lock:
        if held.size + added > HELD_PART_ROWS:
            held.clear()
            held.size = 0
        held.update(read)
        held.size += added


class Vocabulary:
    """One analysis language's indexed words: {word: entries}, sorted for prefixes, bucketed by length for typos,
    and the stems they are indexed as.

    Its buckets are tuples of strings, which the garbage collector stops tracking: as lists, their tens of
    thousands were walked by every full pass of a worker, with all its threads stopped (issue 19, p99).
    """

    def __init__(self, rows):
        rows = list(rows)
        self.entries = {word: entries for word, _key, entries in rows}
        self.keys = frozenset(key for _word, key, _entries in rows)
        self.sorted = tuple(sorted(self.entries))
        by_length = {}
        for word in self.sorted:
            by_length.setdefault(len(word), []).append(word)
        self.by_length = {length: tuple(words) for length, words in by_length.items()}

    def starting_with(self, prefix):
        start = bisect.bisect_left(self.sorted, prefix)
        end = bisect.bisect_left(self.sorted, prefix + "\U0010ffff")
        return self.sorted[start:end]

    def of_length(self, low, high):
        return list(chain.from_iterable(self.by_length.get(length, ()) for length in range(max(low, 1), high + 1)))

    def near(self, word, edits):
        """The words that may be at most `edits` edits from `word`, to be measured: for one edit, only those that
        share `word` or a one-letter deletion of it (SymSpell's idea: a substitution, transposition, insertion or
        deletion always leaves one in common), a few lookups instead of every word of a near length."""
        if edits != 1:
            return self.of_length(len(word) - edits, len(word) + edits)
        by_deletion = self._by_deletion
        found = set(by_deletion.get(word, ()))
        for deleted in _deletions(word):
            found.update(by_deletion.get(deleted, ()))
            if deleted in self.entries:
                found.add(deleted)
        return list(found)

    @cached_property
    def _by_deletion(self):
        """{a word with one letter deleted: [the words it comes from]}, built when a word is first corrected."""
        index = {}
        for word in self.sorted:
            for deleted in _deletions(word):
                index.setdefault(deleted, []).append(word)
        return {deleted: tuple(words) for deleted, words in index.items()}


def _deletions(word):
    return {word[:place] + word[place + 1 :] for place in range(len(word))}


def vocabulary(language):
    return _table("vocabulary", _vocabularies).get(language) or Vocabulary(())


def _vocabularies():
    """{language: Vocabulary}, every language in one query."""
    rows = {}
    for language, word, key, entries in SearchWord.objects.values_list("language", "word", "key", "entries"):
        rows.setdefault(language, []).append((word, key, entries))
    return {language: Vocabulary(words) for language, words in rows.items()}


def glossary_names(language):
    """{name key: (the term's names)}: every published term's name and alias in `language`."""
    return _table("names", _glossary_names).get(language, {})


def glossary_name_keys(language):
    """The keys of glossary_names(language) as one set, held: what each query is cut by."""
    return _table(("name keys", language), lambda: frozenset(glossary_names(language)))


def _glossary_names():
    """{language: {name key: (the term's names)}}, every language in one query."""
    names = {}
    rows = SearchEntry.objects.filter(kind=SearchEntry.Kind.GLOSSARY_TERM, level=ReadingLevel.STANDARD).values_list(
        "language", "title", "aliases", "field_languages"
    )
    for language, title, aliases, field_languages in rows:
        if field_languages.get("title", language) != language:
            continue  # not translated: its English names belong to the English analysis
        for form in [title, *aliases.splitlines()]:
            if key := name_key(form):
                names.setdefault(language, {}).setdefault(key, {})[title] = None
    # Tuples of strings, which the garbage collector stops tracking (see Vocabulary).
    return {language: {key: tuple(titles) for key, titles in by_key.items()} for language, by_key in names.items()}


def folded(text):
    """Text as suggestions compare it: words folded as search folds them, one space apart."""
    return " ".join(name_key(text))


def titles(language, level):
    """[(kind, slug, title, folded title, [folded aliases])]: what a reader of `language` and `level` may be suggested."""

    def build():
        rows = SearchEntry.objects.filter(language=language, level=level).values_list("kind", "slug", "title", "aliases")
        return [
            (kind, slug, title, folded(title), tuple(folded(alias) for alias in aliases.splitlines()))
            for kind, slug, title, aliases in rows
        ]

    return _table(("titles", language, level), build)


def suggestible_text(language, level):
    """Every folded title and alias of titles(language, level) in one text, a line each: a prefix found nowhere in
    it starts none of them (a typo, a made-up word), which one substring search tells."""
    return _table(
        ("suggestible text", language, level),
        lambda: "\n".join(
            chain.from_iterable([folded_title, *folded_aliases] for *_shown, folded_title, folded_aliases in titles(language, level))
        ),
    )


def entries(language, level):
    """{id: SearchEntry} of what readers of `language` and `level` may find: the search results' text and links."""
    return _table(
        ("entries", language, level),
        lambda: SearchEntry.objects.filter(language=language, level=level).defer("vector").in_bulk(),
    )


def falls_back(language, level):
    """Whether any entry readers of `language` and `level` may find has a field served in English."""
    return _table(("falls back", language, level), lambda: any(entry.has_fallback for entry in entries(language, level).values()))


def title_terms(language, level, analysis):
    """{(kind, slug): {terms of its title}} as `analysis` indexes them: which query words an entry has in its title."""

    def build():
        return {(kind, slug): frozenset(index_terms(title, analysis).split()) for kind, slug, title, _f, _a in titles(language, level)}

    return _table(("title terms", language, level, analysis), build)
