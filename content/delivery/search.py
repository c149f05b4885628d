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

Every word of the query must be found (stop words aside). A field served in
English because it is not translated is searched with the English analysis
of the query too.
"""

from dataclasses import dataclass

from django.db import connections

from content.delivery.serving import language_report
from content.languages import SOURCE_LANGUAGE
from content.models import SearchEntry
from content.text.glossary_matching import utf16_offset
from content.text.search_terms import (
    SNIPPET_LENGTH,
    excerpt,
    highlights,
    prepared_query,
    query_keys,
    text_search_config,
)

FTS_TABLE = SearchEntry.FTS_TABLE
MAX_QUERY_LENGTH = 200
BM25_WEIGHTS = "10.0, 4.0, 1.0"  # title, summary, body
# The result types readers name, and the entries they are.
KINDS = {"article": SearchEntry.Kind.ARTICLE, "glossary": SearchEntry.Kind.GLOSSARY_TERM}
TYPES = {kind: name for name, kind in KINDS.items()}
# The names a reader knows each column by, per kind.
FIELD_NAMES = {
    SearchEntry.Kind.ARTICLE: {"title": "title", "summary": "summary", "body": "body"},
    SearchEntry.Kind.GLOSSARY_TERM: {"title": "term", "summary": "definition"},
}


@dataclass(frozen=True)
class Hit:
    entry_id: int
    score: float


def _analyses(query, language):
    """[(analysis language, fallback rows only?)]: the served language, and English for untranslated fields."""
    analyses = [(language, False)]
    if language != SOURCE_LANGUAGE:
        analyses.append((SOURCE_LANGUAGE, True))
    return [(lang, fallback_only) for lang, fallback_only in analyses if query_keys(query, lang)]


def find(query, language, level, kinds=tuple(KINDS.values())):
    """[Hit] best first: every entry for readers of `language` and `level` that has all the query's words."""
    analyses = _analyses(query, language)
    if not analyses:
        return []
    connection = connections[SearchEntry.objects.db]
    if connection.vendor == "postgresql":
        sql, params = _postgresql_sql(query, language, level, kinds, analyses)
    else:
        sql, params = _sqlite_sql(query, language, level, kinds, analyses)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    best = {}
    for entry_id, kind, slug, score in rows:
        if entry_id not in best or score > best[entry_id][0]:
            best[entry_id] = (score, kind, slug)
    ordered = sorted(best.items(), key=lambda item: (-round(item[1][0], 9), item[1][1], item[1][2]))
    return [Hit(entry_id, score) for entry_id, (score, _kind, _slug) in ordered]


def _reader_filter(alias, language, level, kinds, fallback_only):
    placeholders = ", ".join(["%s"] * len(kinds))
    sql = f"{alias}.language = %s AND {alias}.level = %s AND {alias}.kind IN ({placeholders})"
    params = [language, level, *kinds]
    if fallback_only:
        sql += f" AND {alias}.has_fallback"
    return sql, params


def _postgresql_sql(query, language, level, kinds, analyses):
    parts, params = [], []
    for analysis, fallback_only in analyses:
        where, where_params = _reader_filter("e", language, level, kinds, fallback_only)
        parts.append(
            "SELECT e.id, e.kind, e.slug, ts_rank(e.vector, q) FROM content_searchentry e, "
            "plainto_tsquery(%s::regconfig, unaccent(%s)) q "
            f"WHERE e.vector @@ q AND {where}"
        )
        params += [text_search_config(analysis), prepared_query(query, analysis), *where_params]
    return " UNION ALL ".join(parts), params


def _sqlite_sql(query, language, level, kinds, analyses):
    parts, params = [], []
    for analysis, fallback_only in analyses:
        where, where_params = _reader_filter("e", language, level, kinds, fallback_only)
        # Terms are \w characters only; quoting each makes it a term, never FTS5 syntax (AND, NEAR, *).
        match = " ".join(f'"{key}"' for key in query_keys(query, analysis))
        parts.append(
            f"SELECT e.id, e.kind, e.slug, -bm25({FTS_TABLE}, {BM25_WEIGHTS}) FROM {FTS_TABLE} "
            f"JOIN content_searchentry e ON e.id = {FTS_TABLE}.rowid "
            f"WHERE {FTS_TABLE} MATCH %s AND {where}"
        )
        params += [match, *where_params]
    return " UNION ALL ".join(parts), params


def with_entries(hits):
    """[(entry, hit)] for `hits`, in their order, in one query."""
    by_id = SearchEntry.objects.defer("vector").in_bulk([hit.entry_id for hit in hits])
    return [(by_id[hit.entry_id], hit) for hit in hits if hit.entry_id in by_id]


def matches(entry, query):
    """Where the query matched the entry: [{field, text, highlights}], title first; body text is an excerpt."""
    found = []
    for column, field in FIELD_NAMES[entry.kind].items():
        text = getattr(entry, column)
        language = entry.field_languages.get(column, entry.language)
        keys = query_keys(query, language)
        if not text or not keys:
            continue
        window = SNIPPET_LENGTH if column == "body" else None
        spans = highlights(text, language, keys, window=window)
        if not spans:
            continue
        text, spans = excerpt(text.replace("\n", " "), spans) if column == "body" else (text, spans)
        found.append({"field": field, "text": text, "highlights": [_span(text, start, end) for start, end in spans]})
    return found


def _span(text, start, end):
    return {"start": start, "end": end, "start_utf16": utf16_offset(text, start), "end_utf16": utf16_offset(text, end)}


def matching_article_ids(query, language, level):
    """The articles whose text served at `level` in `language` has every word of the query, as a subquery."""
    hits = find(query, language, level, kinds=(SearchEntry.Kind.ARTICLE,))
    return SearchEntry.objects.filter(pk__in=[hit.entry_id for hit in hits]).values("article_id")


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
