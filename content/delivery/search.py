"""Search in the served language: ranked articles and glossary terms, and where each matched.

Reads only the search index (content/editorial/search_index.py), which holds
published text as each language and level is served. The query is
normalised like the text (content/text/search_terms.py); each database then
matches and ranks with its own index:

- PostgreSQL: `plainto_tsquery` with the language's configuration over
  `unaccent`, ranked by `ts_rank` (title weighs more than summary, summary more
  than body);
- SQLite: FTS5 `MATCH` of the stems, ranked by `bm25` with the same order of
  weights.

The query is cut into parts (content/text/query_words.py): words, quoted
phrases, glossary names and aliases, Chinese words. No part is required
except a quoted one; results are ranked by how many of the query's words
they have, then by the field and how exactly each part matched. Each part is
also looked for as the term it names ("chemo" → chemotherapy), and a word
not in the vocabulary as its corrections, the last word typed as its
completions (content/delivery/search_words.py). A field served in English
because it is not translated is searched with the English analysis of the
query too.
"""

from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from django.db import connections

from content.delivery import search_memory, search_words
from content.delivery.serving import language_report
from content.languages import SOURCE_LANGUAGE
from content.models import SearchEntry
from content.text.glossary_matching import utf16_offsets
from content.text.query_words import Part, parts
from content.text.search_terms import (
    SNIPPET_LENGTH,
    excerpt,
    highlights,
    prepared_query,
    query_keys,
    term_places,
    text_search_config,
)

FTS_TABLE = SearchEntry.FTS_TABLE
MAX_QUERY_LENGTH = 200
BM25_WEIGHTS = "10.0, 4.0, 1.0"  # title, summary, body
# How much a match counts, by how the query part was found: as typed, by a glossary name it is, completed, corrected.
TIERS = {"exact": 1.0, "name": 0.9, "completed": 0.6, "corrected": 0.5}
GROUPS_PER_ANALYSIS = 1000  # a row's group number says which analysis it belongs to
MIN_PREFIX = 2  # letters of an unfinished last word before it is completed
# A last word that is already a word this short ("os", "de") is taken as typed: its completions would outrank it.
MIN_KNOWN_PREFIX = 3
# The result types readers name, and the entries they are.
KINDS = {"article": SearchEntry.Kind.ARTICLE, "glossary": SearchEntry.Kind.GLOSSARY_TERM}
TYPES = {kind: name for name, kind in KINDS.items()}
# The names a reader knows each column by, per kind.
FIELD_NAMES = {
    SearchEntry.Kind.ARTICLE: {"title": "title", "summary": "summary", "body": "body"},
    SearchEntry.Kind.GLOSSARY_TERM: {"title": "term", "summary": "definition"},
}


class Hit(NamedTuple):
    entry_id: int
    score: float


class Hits(list):
    """[(entry id, score)] best first, and the `signature` they were ranked from.

    Plain tuples, shared with the ranking held per published version: only a page's hits become Hit tuples, when
    they are served (with_entries). Wrapping every hit of every search took 3 % of a new word's search (issue 19).

    The signature is each query part that found something, with what it was
    looked for as, and the shape of the whole query: queries with the same
    signature have the same hits, and the same highlights (a word found in no
    entry is in none of their fields), whatever else they typed.
    """

    signature = None


def _analyses(query, language, level):
    """[(analysis language, fallback rows only?)]: the served language, and English for untranslated fields.

    English only when some entry served to these readers has a field in English: otherwise it can find nothing.
    """
    analyses = [(language, False)]
    if language != SOURCE_LANGUAGE and search_memory.falls_back(language, level):
        analyses.append((SOURCE_LANGUAGE, True))
    return [(lang, fallback_only) for lang, fallback_only in analyses if query_keys(query, lang)]


@dataclass
class Group:
    """One part of the query and what it may be found as: {tier: [text, ...]}."""

    part: Part
    alternatives: dict = field(default_factory=dict)


def plan(query, analyses, looser=False):
    """[(analysis, fallback only?, [Group])]: the query's parts in each analysis, with their alternatives.

    No query once the process holds the published version's glossary names and
    vocabulary (content/delivery/search_memory.py); only words not in the
    vocabulary are corrected, only the last one completed.
    """
    languages = [analysis for analysis, _fallback_only in analyses]
    names = search_words.glossary_names(languages)
    planned = []
    for analysis, fallback_only in analyses:
        found = [Group(part, {"exact": [part.text]}) for part in parts(query, analysis, search_memory.glossary_name_keys(analysis))]
        planned.append((analysis, fallback_only, found))
    single = [(analysis, group) for analysis, _f, found in planned for group in found if _may_be_forgiven(group)]
    last = next((group.part.folded for _analysis, group in single if group.part.last), "")
    known, completions = search_words.lookup(languages, {group.part.folded for _a, group in single}, last if len(last) >= MIN_PREFIX else "")
    if len(last) < MIN_KNOWN_PREFIX and any(word == last for _analysis, word in known):
        completions = {analysis: [] for analysis in completions}
    unknown = [(analysis, group.part.folded) for analysis, group in single if (analysis, group.part.folded) not in known]
    corrected = search_words.corrections(
        [(analysis, word, search_words.allowed_edits(word, looser)) for analysis, word in unknown]
    )
    for analysis, group in single:
        word = group.part.folded
        group.alternatives["corrected"] = list(corrected.get((analysis, word), ()))
        if group.part.last and len(word) >= MIN_PREFIX:
            group.alternatives["completed"] = completions[analysis]
    for analysis, _fallback_only, found in planned:
        for group in found:
            if group.part.name:
                group.alternatives["name"] = sorted(name for name in names[analysis][group.part.name] if name != group.part.text)
            for tier in ("corrected", "completed"):
                for other in list(group.alternatives.get(tier, [])):
                    group.alternatives[tier] += sorted(name for name in names[analysis].get((other,), ()) if name != other)
    return planned


def _may_be_forgiven(group):
    return bool(group.part.folded) and not group.part.required and not group.part.name


def find(query, language, level, kinds=tuple(KINDS.values())):
    """[Hit] best first: entries for readers of `language` and `level` with any part of the query.

    Ranked by how many of the query's words an entry has, then by where
    (title, summary, body) and how exactly (as typed, by a glossary name,
    completed, corrected). A quoted part is required.
    """
    analyses = _analyses(query, language, level)
    if not analyses:
        return Hits()
    return _search(plan(query, analyses), language, level, kinds)


def _search(planned, language, level, kinds):
    """Hits best first from the rows that match each group's alternatives.

    Each alternative's rows are held per published version (search_memory),
    so a query runs SQL only for the words this process has not looked for
    yet: a new word beside common ones reads the index for that word alone.
    """
    wanted = []  # (group number, the part it is looked for as)
    # Held parts are plain strings and tuples, which the garbage collector stops tracking: every new word adds one,
    # and tracked ones made each full collection walk them all (50-120 ms with every thread stopped; issue 19, p99).
    language, level, kinds = str(language), str(level), tuple(str(kind) for kind in kinds)
    for number, (analysis, fallback_only, found) in enumerate(planned):
        for position, group in enumerate(found):
            index = number * GROUPS_PER_ANALYSIS + position
            for tier, texts in group.alternatives.items():
                texts = tuple(text for text in dict.fromkeys(texts) if query_keys(text, analysis))
                if texts:
                    wanted.append((index, (analysis, texts, language, level, kinds, fallback_only, TIERS[tier])))
    if not wanted:
        return Hits()
    held = search_memory.part_rows()
    known = {part: held[part] for _index, part in wanted if part in held}
    missing = list(dict.fromkeys(part for _index, part in wanted if part not in known))
    if missing:
        # A part none of whose texts the index can have finds nothing: no query (a made-up word, mostly).
        read = {part: () for part in missing if all(search_words.unindexed(text, part[0]) for text in part[1])}
        if len(read) < len(missing):
            read.update(_read_parts([part for part in missing if part not in read]))
        search_memory.hold_part_rows(read)
        known.update(read)
    found_something = {index for index, part in wanted if known[part]}
    signature = (
        language, level, kinds, _shape(planned), tuple((index, part) for index, part in wanted if index in found_something)
    )
    # A new word beside known ones mostly finds nothing: the query is then ranked as one already asked.
    ranked = search_memory.held("ranked").get(signature)
    if ranked is None:
        rows = [(entry_id, kind, slug, index, score) for index, part in wanted for entry_id, kind, slug, score in known[part]]
        ranked = tuple(_ranked(rows, planned, language, level))  # tuples of numbers: untracked by the collector
        search_memory.hold("ranked", signature, ranked)
    hits = Hits(ranked)
    hits.signature = signature
    return hits


def _shape(planned):
    """What ranking reads of the query besides the rows its parts found: each group's words, name and quotes."""
    return tuple(
        (analysis, fallback_only, tuple((group.part.words, group.part.within, group.part.required) for group in found))
        for analysis, fallback_only, found in planned
    )


def _read_parts(parts):
    """{part: [(id, kind, slug, weighted score)]} for each (analysis, texts, language, level, kinds, fallback only,
    factor), in one query."""
    connection = connections[SearchEntry.objects.db]
    build = _postgresql_part if connection.vendor == "postgresql" else _sqlite_part
    sql_parts, params = [], []
    for number, (analysis, texts, language, level, kinds, fallback_only, factor) in enumerate(parts):
        where, where_params = _reader_filter("e", language, level, kinds, fallback_only)
        sql, part_params = build(analysis, texts, where, number, factor)
        sql_parts.append(sql)
        params += part_params + where_params
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(sql_parts), params)
        rows = cursor.fetchall()
    read = {part: [] for part in parts}
    for entry_id, kind, slug, number, score in rows:
        read[parts[number]].append((entry_id, kind, slug, score))
    return {part: tuple(found) for part, found in read.items()}


def _ranked(rows, planned, language, level):
    """Hits best first from rows (id, kind, slug, group, weighted score): most words matched, then most of them
    in the title, then score.

    An entry is measured in the analysis (served language or English) where it matched best.
    """
    analysed = [found for _analysis, _fallback_only, found in planned]
    best = {}  # (entry id, analysis) -> {group: best score}
    about = {}
    for entry_id, kind, slug, index, score in rows:
        number, position = divmod(index, GROUPS_PER_ANALYSIS)
        scores = best.get((entry_id, number))
        if scores is None:
            best[entry_id, number] = {position: max(score, 0.0)}
        elif score > scores.get(position, 0.0):
            scores[position] = score
        about[entry_id] = (kind, slug)
    measured = {}
    wanted_keys = [_alternative_keys(found, analysis) for analysis, _fallback_only, found in planned]
    titles = [search_memory.title_terms(language, level, analysis) for analysis, _fallback_only, _found in planned]
    # Sets of a query's parts as bits (part n is 1 << n): most entries share a few, so each is counted once.
    required = [sum(1 << position for position, group in enumerate(found) if group.part.required) for found in analysed]
    counted = {}  # (analysis number, parts) -> words matched

    def words_matched(number, parts):
        if (number, parts) not in counted:
            counted[number, parts] = _words_matched(analysed[number], parts)
        return counted[number, parts]

    no_terms = frozenset()
    for (entry_id, number), scores in best.items():
        parts = 0
        for position in scores:
            parts |= 1 << position
        if required[number] & parts != required[number]:
            continue
        title = titles[number].get(about[entry_id], no_terms)
        in_title = 0
        for position in scores:
            if any(title.issuperset(keys) for keys in wanted_keys[number][position]):
                in_title |= 1 << position
        found = (words_matched(number, parts), words_matched(number, in_title), sum(scores.values()))
        if entry_id not in measured or found > measured[entry_id]:
            measured[entry_id] = found
    ranked = sorted(
        (-matched, -in_title, -round(total, 9), *about[entry_id], entry_id, total)
        for entry_id, (matched, in_title, total) in measured.items()
    )
    return [(entry_id, total) for *_order, entry_id, total in ranked]


def _alternative_keys(found, analysis):
    """[[(keys)]]: per part of the query, the terms of each text it may be found as, to see which are in a title.

    Titles are held per published version (search_memory), so ranking by field costs no query.
    """
    return [
        [keys for texts in group.alternatives.values() for text in texts if (keys := query_keys(text, analysis))]
        for group in found
    ]


def _words_matched(found, parts):
    """How many of the query's words an entry has (`parts`: the bits of the parts it has): a several-word name
    counts once, as a whole or by its words."""
    total = 0
    for position, group in enumerate(found):
        if group.part.within >= 0:
            continue
        own = group.part.words if parts >> position & 1 else 0
        members = sum(1 for index, member in enumerate(found) if member.part.within == position and parts >> index & 1)
        total += max(own, members)
    return total


def _reader_filter(alias, language, level, kinds, fallback_only):
    placeholders = ", ".join(["%s"] * len(kinds))
    sql = f"{alias}.language = %s AND {alias}.level = %s AND {alias}.kind IN ({placeholders})"
    params = [language, level, *kinds]
    if fallback_only:
        sql += f" AND {alias}.has_fallback"
    return sql, params


def _postgresql_part(analysis, texts, where, number, factor):
    """One group's alternatives as a tsquery: each alternative's words all, any alternative."""
    query = " || ".join(["plainto_tsquery(%s::regconfig, unaccent(%s))"] * len(texts))
    config = text_search_config(analysis)
    params = [value for text in texts for value in (config, prepared_query(text, analysis))]
    sql = (
        f"SELECT e.id, e.kind, e.slug, {number}, ts_rank(e.vector, t.q) * {factor} FROM content_searchentry e, "
        f"(SELECT {query} AS q) t WHERE e.vector @@ t.q AND {where}"
    )
    return sql, params


def _sqlite_part(analysis, texts, where, number, factor):
    # Terms are \w characters only; quoting each makes it a term, never FTS5 syntax (AND, NEAR, *).
    match = " OR ".join(
        "(" + " AND ".join(f'"{key}"' for key in query_keys(text, analysis)) + ")" for text in texts
    )
    sql = (
        f"SELECT e.id, e.kind, e.slug, {number}, -bm25({FTS_TABLE}, {BM25_WEIGHTS}) * {factor} FROM {FTS_TABLE} "
        # CROSS JOIN keeps the index as the outer loop: SQLite's planner otherwise starts from the reader's ~100
        # entries and runs the MATCH once for each, 1.4 ms for a word found nowhere against 0.03 ms.
        f"CROSS JOIN content_searchentry e ON e.id = {FTS_TABLE}.rowid "
        f"WHERE {FTS_TABLE} MATCH %s AND {where}"
    )
    return sql, [match]


def did_you_mean(query, language, level, kinds=tuple(KINDS.values())):
    """For a query that found nothing: its unknown words corrected a little more loosely, if that finds something."""
    analyses = [(language, False)] if query_keys(query, language) else []
    planned = plan(query, analyses, looser=True) if analyses else []
    corrected = query
    for _analysis, _fallback_only, found in planned:
        for group in found:
            better = group.alternatives.get("corrected")
            if better:
                corrected = corrected.replace(group.part.text, better[0], 1)
    if corrected != query and find(corrected, language, level, kinds):
        return corrected
    return None


def served_page(hits, page, query, negotiated, represent, links):
    """represent([result]) for `page` (some of `hits`, as find gives them), each result shaped by serve_result.

    `represent` adds what depends on the request (each result's link), and
    `links` names all that depends on besides the negotiation (links.reversing).
    Held per published version under the hits' signature: a query that
    differs from one already served only by words found nowhere is shaped and
    represented once. The results are shared: never changed, only read.
    """
    key = (hits.signature, negotiated, tuple(page), links) if hits.signature is not None else None
    served = search_memory.held("served pages").get(key) if key is not None else None
    if served is None:
        served = represent([serve_result(entry, hit, query, negotiated) for entry, hit in with_entries(page, negotiated.language, negotiated.level)])
        if key is not None:
            search_memory.hold("served pages", key, served)
    return served


def with_entries(hits, language, level):
    """[(entry, hit)] for `hits` (found for readers of `language` and `level`), in their order.

    The entries are held per published version (search_memory): no query.
    """
    by_id = search_memory.entries(language, level)
    return [(by_id[entry_id], Hit(entry_id, score)) for entry_id, score in hits if entry_id in by_id]


def matches(entry, query):
    """Where the query matched the entry: [{field, text, highlights}], title first; body text is an excerpt."""
    found = []
    for column, field in FIELD_NAMES[entry.kind].items():
        text = getattr(entry, column)
        language = entry.field_languages.get(column, entry.language)
        keys = query_keys(query, language)
        if not text or not keys:
            continue
        places = term_places(text, language)
        present = frozenset(key for key in keys if key in places)
        if not present:
            continue
        shown, spans = _field_match(text, language, present, column == "body")
        if spans:
            found.append({"field": field, "text": shown, "highlights": [dict(span) for span in spans]})
    return found


@lru_cache(maxsize=8192)
def _field_match(text, language, keys, is_body):
    """(text shown, highlights) of one field for the query terms it has: queries that differ only by words a field
    lacks (a new word beside common ones) show it alike, so each is cut and measured once."""
    spans = highlights(text, language, keys, window=SNIPPET_LENGTH if is_body else None)
    if not spans:
        return text, ()
    text, spans = excerpt(text.replace("\n", " "), spans) if is_body else (text, spans)
    utf16 = utf16_offsets(text)
    return text, tuple(
        (("start", start), ("end", end), ("start_utf16", utf16(start)), ("end_utf16", utf16(end))) for start, end in spans
    )


def matching_article_ids(query, language, level):
    """The articles whose text served at `level` in `language` has every word of the query, as a subquery."""
    hits = find(query, language, level, kinds=(SearchEntry.Kind.ARTICLE,))
    return SearchEntry.objects.filter(pk__in=[entry_id for entry_id, _score in hits]).values("article_id")


def serve_result(entry, hit, query, negotiated):
    """One result as the API shows it (without its link, which depends on the request)."""
    names = FIELD_NAMES[entry.kind]
    served = {
        names[column]: (getattr(entry, column), entry.field_languages.get(column, entry.language)) for column in names
    }
    return {
        "type": TYPES[entry.kind],
        "slug": entry.slug,
        "title": entry.title,
        "summary": entry.summary,
        "score": round(hit.score, 6),
        "language": language_report(negotiated, served),
        "matches": matches(entry, query),
    }
