"""What each kind of stored answer depends on, declared once: its key, its validators, and the changes that touch it.

A view whose bodies are stored names its scope (`scope = scopes.ARTICLE`).
The scope gives:

- `key(kwargs, params)`: the string stored with each body (`article:<slug>`,
  `articles:plain`, ...), or None when the request is not one to store;
- `validators(argument)`: the querysets a body depends on, each a "count",
  "newest" or "newest_id" of one queryset. They are compiled once into scalar
  SQL subqueries (`validator_sql`), fetched beside a stored row to check it,
  and run alone (`current_version`) while a body is built: one definition,
  read one way, so the stored version and the checked one cannot disagree;
- `version_of(narrowed)`: for a kind whose bodies may be narrowed by a filter
  or a search (the article list), the same validators over the narrowed
  queryset, for a body built for that request alone;
- `touched_by(entry)`: the stored rows of this scope a change-log entry makes
  stale, which content/delivery/answers/refresh.py renders again;
- `touched_by_audio(made)`: the same for audio the worker made after a
  publication (an article's readings, a term's pronunciations).

Adding a dependency (a topic name shown on articles) means editing its scope here; on PostgreSQL a table
read for the first time also needs the change trigger (migration 0022_notify_changes): servers keep checked
answers only while every table `tables_read()` names has it (content/delivery/change_listener.py).
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Q, Value

from content.delivery import change_listener, selectors, stored
from content.models import AudioReading, ChangeLogEntry, TermPronunciation

# Anything else cannot be a slug: the views answer 404 before querying, which also keeps bytes PostgreSQL
# refuses (NUL) away from the database, and such a request is never stored.
PLAUSIBLE_SLUG = re.compile(r"^[-\w]{1,120}$")

# The date-time field a "newest" validator reads, per validator name.
NEWEST_FIELD = {
    "updated_at": "updated_at", "last_modified": "updated_at", "terms_published": "published_at", "audio": "made_at",
    "pronunciations": "made_at", "latest_at": "at",
}


@dataclass(frozen=True)
class AudioMade:
    """Audio made in the queue after a publication: an article's readings or a glossary term's pronunciations.

    Like a change-log entry it names a `kind` (ChangeLogEntry.Kind) and a `slug`, so `_on` declares what it touches.
    """

    kind: str
    slug: str


def _touches_nothing(change):
    return Q(pk__in=[])


@dataclass(frozen=True)
class Scope:
    kind: str
    # (URL kwargs, query parameters) -> the key's argument ("" for none), or None: not a request to store.
    argument: Callable
    # argument -> {validator name: (how it is read, queryset)}
    depends_on: Callable
    # change-log entry -> Q over StoredPayload.scope of this kind's rows it makes stale (Q(pk__in=[]) for none).
    touches: Callable
    # AudioMade -> the same, for the kinds whose bodies show audio (their validators read it).
    touches_on_audio: Callable = _touches_nothing
    # A queryset narrowed by a filter or a search -> its validators, as depends_on gives them (None: never narrowed).
    narrowed: Callable = None

    def key(self, kwargs, params):
        argument = self.argument(kwargs, params)
        if argument is None:
            return None
        return f"{self.kind}:{argument}" if argument else self.kind

    def touched_by(self, entry):
        return self.touches(entry)

    def touched_by_audio(self, made):
        return self.touches_on_audio(made)

    def version_of(self, narrowed):
        """{validator name: value} of a body built over `narrowed` alone: never stored, so compiled every time."""
        return _read(_compile(self.narrowed(narrowed)))


def _slug(kwargs, params):
    return kwargs["slug"] if PLAUSIBLE_SLUG.match(kwargs["slug"]) else None


def _none(kwargs, params):
    return ""


def _listed(articles):
    """What a list of these articles depends on: how many there are, and when the newest changed."""
    return {"count": ("count", articles), "last_modified": ("newest", articles)}


def _articles():
    return _listed(selectors.published_articles())


def _terms():
    live_terms = selectors.published_terms()
    # A term's pronunciation is made after publication, in the queue: a body showing it is stale once it is made.
    return {"terms": ("count", live_terms), "terms_published": ("newest", live_terms),
            "pronunciations": ("newest", TermPronunciation.objects.filter(term__in=live_terms))}


def _audio(slug=None):
    """Audio is made after publication, in the queue: a body describing it is stale once a reading is made."""
    readings = AudioReading.objects.filter(rendition__variant__article__in=selectors.published_articles())
    if slug is not None:
        readings = readings.filter(rendition__variant__article__slug=slug)
    return {"audio": ("newest", readings)}


def _article(slug):
    return {"updated_at": ("newest", selectors.published_articles().filter(slug=slug)), **_audio(slug)}


def _article_list(level):
    published = selectors.published_articles()
    return _listed(published if level == "all" else published.filter(variants__level=level))


def _on(kind, *, article=None, term=None):
    """A `touches` function: which of this kind's rows an article's or a term's entry (or AudioMade) makes stale.

    `article`/`term` is "all" (every row of the kind), "own" (the row named by the entry's slug) or None.
    """
    def touches(entry):
        which = article if entry.kind == ChangeLogEntry.Kind.ARTICLE else term
        if which == "all":
            return Q(scope=kind) | Q(scope__startswith=f"{kind}:")
        if which == "own":
            return Q(scope=f"{kind}:{entry.slug}")
        return Q(pk__in=[])
    return touches


ARTICLE = Scope(  # a term shows in articles
    "article", _slug, _article, _on("article", article="own", term="all"), _on("article", article="own")
)
ARTICLE_LIST = Scope(
    "articles", lambda kwargs, params: params.get("level") or "all", _article_list, _on("articles", article="all"),
    narrowed=_listed,
)
REFERENCE = Scope("reference", _none, lambda _: _articles(), _on("reference", article="all"))
GLOSSARY = Scope("glossary", _none, lambda _: _terms(), _on("glossary", term="all"), _on("glossary", term="all"))
GLOSSARY_TERM = Scope(
    "glossary-term", _slug, lambda _: {**_articles(), **_terms()}, _on("glossary-term", term="own"),
    _on("glossary-term", term="own"),
)
BUNDLE = Scope(
    "bundle", _none, lambda _: {**_articles(), **_terms(), **_audio()}, _on("bundle", article="all", term="all"),
    _on("bundle", article="all", term="all"),
)
# Sync answers are per cursor and all move on with the change log: refresh drops them rather than render them.
SYNC = Scope(
    "sync", _none, lambda _: {"latest": ("newest_id", ChangeLogEntry.objects.all())}, _on("sync")
)

# Search and suggestions read every published text: any change-log entry moves them on. Their answers are held in
# each process (stored.HeldAnswers), never stored, so no row is ever touched; a held one is checked as it is read.
# The entry's time as well as its id: on SQLite an id can come back after a rolled-back transaction.
PUBLISHED = Scope(
    "published",
    _none,
    lambda _: {"latest": ("newest_id", ChangeLogEntry.objects.all()), "latest_at": ("newest", ChangeLogEntry.objects.all())},
    _on("published"),
)

SCOPES = {
    scope.kind: scope
    for scope in (ARTICLE, ARTICLE_LIST, REFERENCE, GLOSSARY, GLOSSARY_TERM, BUNDLE, SYNC, PUBLISHED)
}


def affected(entry):
    """The stored rows a change-log entry makes stale, as a filter on StoredPayload."""
    touched = Q(pk__in=[])
    for scope in SCOPES.values():
        touched |= scope.touched_by(entry)
    return touched


def affected_by_audio(made):
    """The stored rows that show the audio an AudioMade names, as a filter on StoredPayload."""
    touched = Q(pk__in=[])
    for scope in SCOPES.values():
        touched |= scope.touched_by_audio(made)
    return touched


def _parse(key):
    kind, _, argument = key.partition(":")
    return SCOPES[kind], argument


def _scalar_sql(queryset):
    try:
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:  # a narrowing that can match nothing (`pk__in=[]`: a search that found nothing)
        return "(NULL)", ()
    return f"({sql})", tuple(params)


@lru_cache(maxsize=4096)
def validator_sql(key):
    """((name, SQL, params), ...): the validators of the scope `key` names, as scalar subqueries, compiled once.

    Building and compiling querysets on every request would cost more than the query itself.
    """
    scope, argument = _parse(key)
    return _compile(scope.depends_on(argument))


def _compile(depends_on):
    compiled = []
    for name, (kind, queryset) in sorted(depends_on.items()):
        if kind == "count":
            counted = queryset.order_by().annotate(group=Value(1)).values("group").annotate(n=Count("id")).values("n")
            sql, params = _scalar_sql(counted)
            sql = f"COALESCE({sql}, 0)"
        elif kind == "newest_id":
            sql, params = _scalar_sql(queryset.order_by("-id").values("id")[:1])
            sql = f"COALESCE({sql}, 0)"
        else:
            sql, params = _scalar_sql(queryset.order_by(f"-{NEWEST_FIELD[name]}").values(NEWEST_FIELD[name])[:1])
        compiled.append((name, sql, params, kind))
    return tuple((name, sql, params) for name, sql, params, _kind in compiled), frozenset(
        name for name, _sql, _params, kind in compiled if kind == "newest"
    )


def tables_read():
    """The database tables any scope's validators read (a change to any of them may make a stored answer stale)."""
    arguments = {"article": "a", "articles": "all", "glossary-term": "a"}  # any argument: the tables are the same
    tables = set()
    for kind in SCOPES:
        for _name, sql, _params in validators(f"{kind}:{arguments[kind]}" if kind in arguments else kind):
            tables |= set(re.findall(r'(?:FROM|JOIN) "(\w+)"', sql))
    return frozenset(tables)


change_listener.depends_on_tables(tables_read)


def validators(key):
    """The scope's validators as (name, SQL, params) triples, for stored.fresh_answer."""
    return validator_sql(key)[0]


def current_version(key):
    """{validator name: value} now, for a body being built: the same SQL a stored row is checked with.

    Dates come back as aware datetimes whichever database answered. Where a
    server keeps checked answers (content/delivery/change_listener.py), the
    values read under one generation are kept like a checked answer, until
    the next change commits: a search for a word nobody typed before then
    asks the database nothing for them.
    """
    generation = change_listener.generation()  # before the query: a change committed while it runs moves it on
    if generation is None:
        return _read(validator_sql(key))
    scope, value = generation
    kept = _known_versions.get((key, scope))
    if kept is not None and kept[0] == value:
        return dict(kept[1])
    version = _read(validator_sql(key))
    if len(_known_versions) >= KNOWN_VERSIONS:
        _known_versions.clear()  # scopes of connections closed since (SQLite) never come back
    _known_versions[key, scope] = (value, version)
    return dict(version)


KNOWN_VERSIONS = 4096  # (scope key, connection) pairs: every article's, a few times over
_known_versions = {}


def _read(validators):
    compiled, dates = validators
    sql = "SELECT " + ", ".join(f"{part} AS v_{n}" for n, (_name, part, _params) in enumerate(compiled))
    params = [str(p) if isinstance(p, str) else p for _name, _sql, part in compiled for p in part]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return {
        name: (stored._aware(value) if name in dates else value)  # stored's normalisation of a raw date
        for (name, _sql, _params), value in zip(compiled, row)
    }
