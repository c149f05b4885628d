"""Response bodies rendered once and stored with what they were rendered from, so a request only looks them up.

A stored body is kept with its *version*: the values of the validators it was
rendered from (an article's `updated_at`; for lists, how many articles match
and when the newest changed). A request fetches the row and the current
validators in one SQL statement and serves the row only while they agree, so
a withdrawn or republished article is never served from a stale row, whether
or not it has been rendered again yet. After each publication the rows it
affects are rendered again by a queued task (content/delivery/answers/refresh.py), so
the first request after a publication is a stored one too.

Only requests whose body is the same for everyone who sends them are stored:
no filter, no preview. A search or suggestion is the same for everyone who
types the same words, but what patients type is neither bounded nor theirs to
leave on disk: a view names those parameters `held_parameters`, and such an
answer is held in this process's memory (HeldAnswers), checked against its
validators in the same one query, and never written to the database. A language chosen by Accept-Language (what a
phone sends) is stored once per language it negotiates to, with ECHO_MARK where
the body repeats the header (`language.requested`); `answer_for` writes the
request's own header there, for the view and the front alike.
"""

import datetime
import hashlib
import json
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import NamedTuple
from urllib.parse import parse_qsl

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import urlencode

from content.delivery import change_listener
from content.delivery.compression import compressed_form
from content.delivery.content_negotiation import chosen_renderer
from content.delivery.driver_query import first_row as _fetch_one
from content.delivery.json_renderer import JSONRenderer
from content.delivery.negotiation import language_by_header
from content.languages import language_codes
from content.models import ReadingLevel
from content.models import StoredPayload

KEY_MAX_LENGTH = StoredPayload._meta.get_field("key").max_length
READING_LEVELS = frozenset(ReadingLevel.values)
CANONICAL_WHOLE_NUMBER = re.compile(r"[1-9][0-9]{0,17}")


class StorageKey(NamedTuple):
    key: str
    params: MappingProxyType
    echo: str | None  # the Accept-Language header the body repeats, when it chose the language; else None
    held: bool = False  # held in this process (HeldAnswers), never written to the database


def storage_key(request, view):
    """storage_key_of(request, view), worked out once per request and view: the front, the view and the held
    answer's lookup each ask."""
    view_class = view if isinstance(view, type) else type(view)
    try:
        known = request.bonecare_storage_keys
    except AttributeError:
        known = request.bonecare_storage_keys = {}
    if view_class not in known:
        known[view_class] = storage_key_of(request, view_class)
    return known[view_class]


def storage_key_of(request, view):
    """The request's StorageKey when its body is stored (the same for everyone who sends this key), else None.

    The key is the path and canonical query, and for a representation other than
    JSON (an HTML document) its media type as the fragment: `...?lang=ar#text/html`.
    A language chosen by Accept-Language (no `lang`) is named in the query as
    `accept-language=<code>`, or `accept-language=unmatched` when the header names none
    of ours (English, and the body says it fell back): no view stores that parameter, so
    such a key never names another request's answer.
    `view` (a class or an instance) gives the query parameters it stores and its renderers.

    That rules out a `lang`, `level`, `page` or `page_size` written
    other than exactly as the API writes it, any parameter the view does not store (filters,
    search, preview tokens), and an Accept for which the view would answer other than plain JSON or its
    stored document type.
    The Host and scheme are not part of it: links in a body name BONECARE_PUBLIC_URL, never the request's host.
    """
    media_type = stored_media_type(request.META.get("HTTP_ACCEPT"), tuple(view.renderer_classes))
    if media_type is None:
        return None
    header = request.META.get("HTTP_ACCEPT_LANGUAGE") or ""
    storable = storable_query(
        request.META.get("QUERY_STRING", ""), view.storable_parameters, header, view.held_parameters
    )
    if storable is None:
        return None
    pairs, query, by_header, held = storable
    params = MappingProxyType(dict(pairs))
    key = request.path + (f"?{query}" if query else "") + ("" if media_type == JSON else f"#{media_type}")
    # PostgreSQL refuses NUL in text; such a URL is not a stored answer's anyway.
    if len(key) > KEY_MAX_LENGTH or "\x00" in key:
        return None
    return StorageKey(key, params, header[:200] if by_header else None, held)


JSON = JSONRenderer.media_type


def stored_media_type(accept, renderer_classes):
    """The media type a view with these renderers answers this Accept header with, when that answer is stored.

    Asks DRF's own content negotiation, so a stored answer is served exactly
    when the view would have built the same: `application/json` exactly, or
    the exact media type of a renderer that says its documents are stored
    (`stores_documents`, the HTML document of content/delivery/html_document.py).
    `text/html` at a view without such a renderer is its 406, `application/json; indent=4`
    its indented body, and neither is ever stored. None when the answer is not stored.
    """
    chosen = chosen_renderer(accept, None, tuple(renderer_classes))
    if chosen is None:
        return None
    renderer_class, media_type = renderer_classes[chosen[0]], chosen[1]
    if renderer_class is JSONRenderer and media_type == JSON:
        return JSON
    if getattr(renderer_class, "stores_documents", False) and media_type == renderer_class.media_type:
        return media_type
    return None


def media_type_of(key):
    """The media type of the answer stored under `key` (see storage_key)."""
    return key.partition("#")[2] or JSON


@lru_cache(maxsize=4096)
def storable_query(query_string, storable_parameters, accept_language, held_parameters=()):
    """((parameter, value) pairs, canonical query string, language chosen by the header?, held?) of a query whose body can be
    stored, or held in the process when it names one of `held_parameters`.

    None when it cannot. Apps send the same few query strings and headers over and over, so each is parsed once
    per process.
    """
    # Parsed as Django's QueryDict parses it, without building one: every search for a new word misses this cache.
    try:
        pairs = parse_qsl(query_string, keep_blank_values=True, max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)
    except ValueError:
        return None  # more fields than Django reads: its 400
    params = dict(pairs)
    others = set(params).difference(storable_parameters)
    if others.difference(held_parameters) or len(params) < len(pairs):  # a parameter named twice
        return None
    if "lang" in params and params["lang"] not in language_codes():
        return None
    if "level" in params and params["level"] not in READING_LEVELS:
        return None
    # Page numbers as the API's own links write them; anything else (false, 01, ²) goes to the view, which
    # refuses what the schema refuses before it would ever answer 304. Only answers the view gave are stored.
    if any(name in params and not CANONICAL_WHOLE_NUMBER.fullmatch(params[name]) for name in ("page", "page_size")):
        return None
    named = dict(params)
    by_header = "lang" not in params and bool(accept_language)
    if by_header:
        # The same negotiation as the view's (content/delivery/negotiation.py).
        code, source = language_by_header(accept_language)
        named[BY_HEADER] = code if source == "header" else "unmatched"
    # Pairs, not a mapping: a tuple of strings is one the garbage collector stops tracking (see HeldAnswers).
    return tuple(params.items()), urlencode(sorted(named.items())), by_header, bool(others)


BY_HEADER = "accept-language"
# Where a body stored for a language chosen by Accept-Language repeats the header (`language.requested`). No text
# has this value: the API's JSON writes control characters escaped, and PostgreSQL keeps no NUL.
ECHO_MARK = "\x00accept-language\x00"
_ECHO_MARK_JSON = json.dumps(ECHO_MARK).encode()


def answer_for(body, echo):
    """The body a request gets from one stored (or just built) for its language: its own header where it is repeated.

    Encoded as DRF's JSONRenderer encodes a string (UNICODE_JSON, and U+2028/U+2029 escaped).
    """
    if echo is None or _ECHO_MARK_JSON not in body:
        return body
    written = json.dumps(echo, ensure_ascii=False).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return body.replace(_ECHO_MARK_JSON, written.encode())


def version_of(values):
    """One string for the validators' values, in a fixed order, the same whichever way they were read.

    The database driver gives a date-time as a string (SQLite, raw SQL) or a
    datetime (the ORM, PostgreSQL): both become ISO 8601 in UTC.
    """
    return "|".join(f"{name}={_normal(values[name])}" for name in sorted(values))


def _normal(value):
    if isinstance(value, str):
        parsed = parse_datetime(value)
        value = parsed if parsed is not None else value
    if isinstance(value, datetime.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value, datetime.timezone.utc)
        return value.astimezone(datetime.timezone.utc).isoformat()
    return "" if value is None else str(value)


def etag_for(key, version, day, echo=None):
    """The one ETag of a stored (or storable) answer: its key, what it was built from, the day, and the header it
    repeats (a body for a language chosen by Accept-Language differs by that header)."""
    etag = _etag(f"{key}\x1f{version}\x1f{day.isoformat()}")
    return etag if echo is None else echoed_etag(etag, echo)


@lru_cache(maxsize=4096)
def echoed_etag(etag, echo):
    """The ETag of the answer with the header `echo` written into the stored row whose ETag is `etag`."""
    return _etag(f"{etag}\x1f{echo}")


def _etag(text):
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


@lru_cache(maxsize=4096)
def _answer_query(validators, compressed):
    """The SQL (and its parameters, less the key) that fetches a stored body and the validators' current values."""
    quote = connection.ops.quote_name
    fields = ["version", "generated_on", "etag", "last_modified", "content_language", "body_gzip" if compressed else "body"]
    columns = [quote(name) for name in fields] + [f"{sql} AS v_{n}" for n, (_name, sql, _params) in enumerate(validators)]
    sql = f"SELECT {', '.join(columns)} FROM {quote(StoredPayload._meta.db_table)} WHERE {quote('key')} = %s"
    # Plain values for the driver (a TextChoices member is a str subclass).
    params = tuple(str(param) if isinstance(param, str) else param for _name, _sql, part in validators for param in part)
    return sql, params


@lru_cache(maxsize=4096)
def _validators_query(validators):
    """The SQL (and its parameters) that reads the validators' current values alone, for a held answer."""
    columns = [f"{sql} AS v_{n}" for n, (_name, sql, _params) in enumerate(validators)]
    params = tuple(str(param) if isinstance(param, str) else param for _name, _sql, part in validators for param in part)
    return f"SELECT {', '.join(columns)}", params


@dataclass(frozen=True)
class StoredAnswer:
    etag: str
    last_modified: datetime.datetime | None
    content_language: str
    body: bytes
    media_type: str = JSON


def fresh_answer(key, validators, compressed, held=False, remembered=True):
    """The stored body for `key` (gzip or not) if it was rendered today from the validators' current values.

    `validators` is ((name, SQL, params), ...) of scalar subqueries; the row
    and their current values come back in one query. A held answer is read
    from this process's memory, and only the validators from the database.
    Where a server keeps checked answers (content/delivery/change_listener.py), an answer
    checked so is kept and served again with no query until the next change commits;
    `remembered=False` always asks the database (the refresh after a publication, which must see its commit).
    """
    if held and not _held.holds(key):
        return None  # a search typed for the first time: nothing to check, so no query (SQLite's data_version) either
    # Read before the query: a change committed while it runs leaves what it found under an older generation.
    generation = change_listener.generation() if remembered else None
    if generation is None:
        return _checked_answer(key, validators, compressed, held)
    scope, value = generation
    today = timezone.localdate()
    kept = _checked.get((key, compressed))
    if kept is not None and kept.day == today and kept.generations.get(scope) == value:
        return kept.answer
    answer = _checked_answer(key, validators, compressed, held)
    if answer is None:
        return None
    if kept is not None and kept.day == today and kept.answer == answer:
        with _checked.lock:  # another thread's connection checked the same answer (SQLite): both now know it
            if len(kept.generations) >= CHECKED_SCOPES:
                kept.generations.clear()  # connections closed since (CONN_MAX_AGE) never come back
            kept.generations[scope] = value
    else:
        _checked.put((key, compressed), CheckedAnswer(today, answer, validators, held, {scope: value}))
    return answer


CHECKED_AGAIN = 256  # the most recently asked stored answers checked again after a refresh
CHECKED_SCOPES = 32  # connections an answer is known fresh for: a worker's threads, a few times over


def check_again():
    """Check again the stored answers last asked for that a change made stale (after the refresh stored them anew).

    How many were checked. A held answer (a search) is built again by its next reader, never refreshed.
    """
    generation = change_listener.generation()
    if generation is None:
        return 0
    scope, value = generation
    with _checked.lock:
        stale = [
            (key, kept) for key, kept in reversed(_checked.kept.items())
            if kept.generations.get(scope) != value and not kept.held
        ][:CHECKED_AGAIN]
    for (key, compressed), kept in stale:
        fresh_answer(key, kept.validators, compressed)
    return len(stale)


def just_held(key, compressed):
    """The answer held for `key` as fresh_answer gives it, unchecked: for the request that has just built it."""
    kept = _held.get(key)
    if kept is None:
        return None
    return StoredAnswer(kept.etag, _aware(kept.last_modified), kept.content_language,
                        _held_body(key, kept, compressed), media_type_of(key))


def _checked_answer(key, validators, compressed, held):
    if held:
        kept = _held.get(key)
        if kept is None:
            return None  # nothing to check: no query at all
        sql, params = _validators_query(validators)
        row = (kept.version, kept.generated_on, kept.etag, kept.last_modified, kept.content_language,
               _held_body(key, kept, compressed), *_fetch_one(sql, list(params)))
    else:
        sql, params = _answer_query(validators, compressed)
        row = _fetch_one(sql, [*params, key])
    if row is None:
        return None
    version, generated_on, etag, last_modified, content_language, body_bytes, *current = row
    if version != _current_version(tuple(name for name, _sql, _params in validators), tuple(current)):
        return None
    if str(generated_on)[:10] != timezone.localdate().isoformat():
        return None
    return StoredAnswer(etag, _aware(last_modified), content_language, bytes(body_bytes), media_type_of(key))


# The same few validator values come back on every request until the next publication: normalise each once.
@lru_cache(maxsize=4096)
def _current_version(names, values):
    return version_of(dict(zip(names, values)))


@lru_cache(maxsize=4096)
def _aware(value):
    modified = parse_datetime(value) if isinstance(value, str) else value
    if modified is not None and timezone.is_naive(modified):
        modified = timezone.make_aware(modified, datetime.timezone.utc)
    return modified


class HeldAnswer(NamedTuple):
    """A held answer: what a StoredPayload row holds, in memory."""

    version: str
    generated_on: datetime.date
    etag: str
    last_modified: datetime.datetime | None
    content_language: str
    body: bytes
    body_gzip: bytes | None  # None until a client accepting gzip asks for it


def _held_body(key, kept, compressed):
    """The body of `kept` (held for `key`), or its gzip form, made on first use and held with it from then on."""
    if not compressed:
        return kept.body
    if kept.body_gzip is not None:
        return kept.body_gzip
    compressed = kept._replace(body_gzip=compressed_form(kept.body))
    _held.replace(key, kept, compressed)
    return compressed.body_gzip


class HeldAnswers:
    """Answers held in this process, the least recently asked dropped first once they take more than `max_bytes`.

    Never shared between processes, never written anywhere: each worker
    builds a search once per published version, then only checks it.
    """

    def __init__(self, max_bytes, size=None, shape=None):
        self.max_bytes, self.size, self.kept, self.lock = max_bytes, 0, OrderedDict(), threading.Lock()
        self.size_of = size or _held_size
        # A `shape` (a NamedTuple of strings, bytes and dates) is kept as a plain tuple, which the garbage collector
        # stops tracking: thousands of held answers made each full collection of a worker walk them all (40 ms with
        # every thread stopped, measured after 20,000 new suggestions; issue 19, p99).
        self.shape = shape

    def get(self, key):
        with self.lock:  # gthread workers answer in threads
            kept = self.kept.get(key)
            if kept is not None:
                self.kept.move_to_end(key)
            return self._shown(kept)

    def holds(self, key):
        return key in self.kept  # one dict lookup, atomic under the GIL; get() also marks the key as recently asked

    def put(self, key, answer):
        with self.lock:
            replaced = self.kept.pop(key, None)
            if replaced is not None:
                self.size -= self.size_of(self._shown(replaced))
            self.kept[key] = self._kept(answer)
            self.size += self.size_of(answer)
            while self.size > self.max_bytes and self.kept:
                self.size -= self.size_of(self._shown(self.kept.popitem(last=False)[1]))

    def replace(self, key, old, new):
        """Hold `new` for `key` in place of `old`, unless something else has replaced `old` since."""
        with self.lock:
            if self._shown(self.kept.get(key)) == old:
                self.kept[key] = self._kept(new)
                self.size += self.size_of(new) - self.size_of(old)

    def _kept(self, answer):
        return tuple(answer) if self.shape is not None else answer

    def _shown(self, kept):
        return self.shape._make(kept) if self.shape is not None and kept is not None else kept

    def clear(self):
        with self.lock:
            self.kept.clear()
            self.size = 0


def _held_size(answer):
    return len(answer.body) + len(answer.body_gzip or b"")


HELD_BYTES = 16 * 1024 * 1024  # per worker: some thousands of searches
_held = HeldAnswers(HELD_BYTES, shape=HeldAnswer)


class CheckedAnswer(NamedTuple):
    """A stored answer, the day it was found fresh, how to check it again, and {scope: generation} it was found
    fresh under (change_listener)."""

    day: datetime.date
    answer: StoredAnswer
    validators: tuple
    held: bool
    generations: dict


CHECKED_BYTES = 32 * 1024 * 1024  # per worker: every stored body a partner syncs, a few times over
_checked = HeldAnswers(CHECKED_BYTES, size=lambda checked: len(checked.answer.body))


change_listener.when_refreshed(check_again)


def forget_held():
    """Drop the answers held in this process (tests, whose change-log ids start again), and those checked."""
    _held.clear()
    _checked.clear()


def held_keys():
    """The keys of the answers held in this process, least recently asked first."""
    with _held.lock:
        return list(_held.kept)


def store(key, scope, version, body, *, last_modified, content_language, held=False, compress=True, today=None):
    """Keep `body` (JSON or document bytes) and its gzip form as the answer to `key`, replacing an older one.

    A held answer (StorageKey.held) is kept in this process's memory instead of the database, and compressed
    only when `compress` (the request that built it accepts gzip) or when a client first asks for that form
    (_held_body): most searches are asked once. Returns the gzip form, or None when not made yet, so the
    request that built the body sends it without compressing it again.
    """
    today = today or timezone.localdate()  # the day the view's ETag names, when it says
    body_gzip = compressed_form(body) if compress or not held else None
    if held:
        etag = etag_for(key, version, today)
        _held.put(key, HeldAnswer(version, today, etag, last_modified, content_language, body, body_gzip))
        return body_gzip
    row = StoredPayload(
        key=key,
        scope=scope,
        version=version,
        generated_on=today,
        etag=etag_for(key, version, today),
        last_modified=last_modified,
        content_language=content_language,
        body=body,
        body_gzip=body_gzip,
    )
    # One upsert statement: two workers storing the same key at once both succeed.
    StoredPayload.objects.bulk_create(
        [row],
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["scope", "version", "generated_on", "etag", "last_modified", "content_language", "body",
                       "body_gzip"],
    )
    return body_gzip
