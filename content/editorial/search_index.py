"""The search index: what a reader of each language and level can find, derived when content is published.

One `SearchEntry` per published article or glossary term × language × level,
holding the text that reader is served (English for a field not translated
yet), never a working copy. The write path calls `index_article` when an
article is published or withdrawn and `index_term` when a term is published;
`rebuild_search_index` (migration 0009, `manage.py rebuild_search_index`)
derives everything again and is safe to repeat.

Each database keeps its own index of the same normalised text
(content/text/search_terms.py): PostgreSQL a weighted tsvector built with the
language's text-search configuration over `unaccent`, SQLite an FTS5 table of
the Snowball stems. A glossary term's published aliases (chemo, quimio,
artificial limb…) are indexed with its name, at the title's weight.

Beside the index, the vocabulary (`SearchWord`): every word readers can find,
per analysis language, derived again whenever the index changes. Typo
corrections and completions of a query word are taken from it
(content/delivery/search_words.py), held in memory per published version
(content/delivery/search_memory.py, which indexing here tells to forget).
"""

from collections import Counter

from django.apps import apps as installed_apps
from django.db import connections

from content.delivery import search_memory
from content.delivery.serving import choose_variant, served_text
from content.term_text import published_text
from content.languages import language_codes
from content.models import ReadingLevel, SearchEntry as LiveSearchEntry
from content.text.blocks import block_texts
from content.text.search_terms import index_terms, prepared_text, text_search_config, vocabulary

FTS_TABLE = LiveSearchEntry.FTS_TABLE
# (column, PostgreSQL weight): a match in the title counts most, one in the body least.
WEIGHTS = (("title", "A"), ("summary", "B"), ("body", "C"))
INDEXED_FIELDS = ("title", "summary", "body", "aliases")
PUBLISHED = "published"


def _models(apps):
    apps = apps or installed_apps
    return apps.get_model("content", "Article"), apps.get_model("content", "GlossaryTerm"), apps.get_model("content", "SearchEntry")


def _vocabulary_model(apps):
    """The vocabulary's model, or None in a migration older than it (0019)."""
    try:
        return (apps or installed_apps).get_model("content", "SearchWord")
    except LookupError:
        return None


def body_text(blocks):
    """The body as it reads, one block or list item a line, for searching and excerpts."""
    return "\n".join(text for _index, _item, text in block_texts(blocks or []))


def article_entries(article):
    """Entry values for every language and level a reader can ask for; none unless the article is published.

    `article` comes with its variants and all their renditions prefetched.
    """
    if article.status != PUBLISHED:
        return []
    entries = []
    for language in language_codes():
        for level in ReadingLevel.values:
            variant, _fell_back = choose_variant(article, language, level)
            if variant is None:
                continue
            served = served_text(variant, language)
            rendition, body_language = served["body"]
            fields = {
                "title": served["title"],
                "summary": served["summary"],
                "body": (body_text(rendition.blocks) if rendition else "", body_language),
            }
            entries.append(_entry("article", article.slug, language, level, fields, article_id=article.pk))
    return entries


def term_entries(term):
    """Entry values for every language and level; a term's definition depends on the level."""
    if not term.live:
        return []
    entries = []
    for language in language_codes():
        for level in ReadingLevel.values:
            definition = "plain_definition" if level == ReadingLevel.PLAIN else "definition"
            name, name_language = published_text(term, "term", language)
            fields = {
                "title": (name, name_language),
                "summary": published_text(term, definition, language),
                "body": ("", language),
                # The other names of the name served: a term not translated yet is found by its English ones.
                "aliases": (term.live.get(name_language, {}).get("aliases", ""), name_language),
            }
            entries.append(_entry("glossary_term", term.slug, language, level, fields, glossary_term_id=term.pk))
    return entries


def _entry(kind, slug, language, level, fields, **target):
    field_languages = {name: field_language for name, (_text, field_language) in fields.items()}
    return {
        "kind": kind, "slug": slug, "language": language, "level": level,
        **{name: text for name, (text, _field_language) in fields.items()},
        "field_languages": field_languages,
        "has_fallback": any(text and lang != language for name, (text, lang) in fields.items()),
        **target,
    }


def index_article(article, apps=None):
    """Derive the article's entries again from what is published (none once it is withdrawn)."""
    Article, _GlossaryTerm, SearchEntry = _models(apps)
    article = Article.objects.prefetch_related("variants__renditions").get(pk=article.pk)
    entries = article_entries(article)
    _replace(SearchEntry, SearchEntry.objects.filter(kind="article", article_id=article.pk), entries)
    add_to_vocabulary(entries, apps)
    search_memory.forget()


def index_term(term, apps=None):
    _Article, GlossaryTerm, SearchEntry = _models(apps)
    term = GlossaryTerm.objects.get(pk=term.pk)
    entries = term_entries(term)
    _replace(SearchEntry, SearchEntry.objects.filter(kind="glossary_term", glossary_term_id=term.pk), entries)
    add_to_vocabulary(entries, apps)
    search_memory.forget()


def rebuild_search_index(apps=None):
    """Derive every entry again; returns how many there are."""
    Article, GlossaryTerm, SearchEntry = _models(apps)
    entries = []
    for article in Article.objects.filter(status=PUBLISHED).prefetch_related("variants__renditions").order_by("pk"):
        entries.extend(article_entries(article))
    for term in GlossaryTerm.objects.exclude(live={}).order_by("pk"):
        entries.extend(term_entries(term))
    connection = connections[SearchEntry.objects.db]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")  # also rows left by entries deleted with their article
    _replace(SearchEntry, SearchEntry.objects.all(), entries)
    rebuild_vocabulary(apps)
    search_memory.forget()
    return len(entries)


def _words(rows):
    """({(analysis language, word): entries using it}, {(analysis language, word): key}) of entry rows."""
    counts, keys = Counter(), {}
    for *texts, field_languages, language in rows:
        seen = set()
        for name, text in zip(INDEXED_FIELDS, texts):
            analysis = field_languages.get(name, language)
            for word, key in vocabulary(text, analysis):
                seen.add((analysis, word))
                keys[analysis, word] = key
        counts.update(seen)
    return counts, keys


def add_to_vocabulary(entries, apps=None):
    """Add the words of newly indexed entries that the vocabulary lacks.

    A publication only adds: reading every entry again took seconds with 50
    articles. A word no longer in any entry stays until the next
    `rebuild_search_index` (it can only be offered as a correction that
    then finds nothing), and counts are those of the last rebuild or first use.
    """
    SearchWord = _vocabulary_model(apps)
    if SearchWord is None:
        return
    rows = [(*(values.get(name, "") for name in INDEXED_FIELDS), values["field_languages"], values["language"]) for values in entries]
    counts, keys = _words(rows)
    SearchWord.objects.bulk_create(
        [SearchWord(language=language, word=word, key=keys[language, word], entries=n) for (language, word), n in counts.items()],
        batch_size=2000,
        ignore_conflicts=True,
    )


def rebuild_vocabulary(apps=None):
    """Derive the vocabulary again from every entry: each word once per analysis language, with its entry count."""
    _Article, _GlossaryTerm, SearchEntry = _models(apps)
    SearchWord = _vocabulary_model(apps)
    if SearchWord is None:
        return
    rows = SearchEntry.objects.values_list("title", "summary", "body", "aliases", "field_languages", "language")
    counts, keys = _words(rows.iterator())
    SearchWord.objects.all().delete()
    SearchWord.objects.bulk_create(
        [SearchWord(language=language, word=word, key=keys[language, word], entries=n) for (language, word), n in counts.items()],
        batch_size=2000,
    )


def _replace(SearchEntry, old, entries):
    """Delete `old` entries and store `entries`, in both the table and the database's own index."""
    connection = connections[SearchEntry.objects.db]
    old_ids = list(old.values_list("id", flat=True))
    if connection.vendor == "sqlite" and old_ids:
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(pk,) for pk in old_ids])
    old.delete()
    # A migration's SearchEntry may predate some columns (aliases: 0019); it stores what it has.
    columns = {field.name for field in SearchEntry._meta.get_fields()} | {"article_id", "glossary_term_id"}
    entries = [{name: value for name, value in values.items() if name in columns} for values in entries]
    created = SearchEntry.objects.bulk_create([SearchEntry(**values) for values in entries])
    if not all(entry.pk for entry in created):
        # bulk_create sets primary keys where the database can return them (PostgreSQL, SQLite 3.35+).
        keys = {(e.kind, e.slug, e.language, e.level) for e in created}
        created = [e for e in SearchEntry.objects.filter(slug__in={k[1] for k in keys}) if (e.kind, e.slug, e.language, e.level) in keys]
    if connection.vendor == "postgresql":
        _store_vectors(connection, created)
    elif connection.vendor == "sqlite":
        _store_fts_rows(connection, created)


def _field_text(entry, name):
    """(text, language) indexed in the column `name`; a term's aliases count as its name."""
    text, language = getattr(entry, name), entry.field_languages.get(name, entry.language)
    if name == "title" and getattr(entry, "aliases", ""):
        text = f"{text}\n{entry.aliases}"
    return text, language


def _store_vectors(connection, entries):
    parts = " || ".join(
        f"setweight(to_tsvector(%s::regconfig, unaccent(%s)), '{weight}')" for _name, weight in WEIGHTS
    )
    rows = []
    for entry in entries:
        params = []
        for name, _weight in WEIGHTS:
            text, language = _field_text(entry, name)
            params += [text_search_config(language), prepared_text(text, language)]
        rows.append((*params, entry.pk))
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE content_searchentry SET vector = {parts} WHERE id = %s", rows)


def _store_fts_rows(connection, entries):
    rows = [
        (entry.pk, *(index_terms(*_field_text(entry, name)) for name, _weight in WEIGHTS)) for entry in entries
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {FTS_TABLE} (rowid, title, summary, body) VALUES (%s, %s, %s, %s)", rows)
