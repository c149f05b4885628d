"""Answer a request from a stored body before the rest of the stack runs: one query, no rendering.

A v1 view that can store its bodies names its `scope` (content/delivery/answers/scopes.py:
what the body depends on) and its `storable_parameters`. `find_stored_answer`
resolves the URL, and when the request is one whose body is the same for
everyone who sends it (content/delivery/stored.py) and a fresh body is stored,
returns it; `stored_response` answers it (or 304) with the same headers the
view would send. Otherwise the view runs, builds the body and stores it.

Two callers: the stored-answer front (bonecare/front.py), before Django builds
its request, and StoredAnswerMiddleware inside Django for the requests the front
hands on (a browser's Origin, a refused key); what the front looked up, it does
not look up again.
"""

import gzip
import threading
from dataclasses import dataclass
from functools import lru_cache

from django.db import DatabaseError
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response
from django.utils import translation
from django.utils.http import http_date

from content.delivery import cache_policy, html_document, stored
from content.delivery.answers import scopes
from content.delivery.compression import GZIP_MAGIC, SHORTEST_COMPRESSED, accepts_gzip
from content.languages import bcp47_tag

# What every stored answer varies by, as the view's answer says (NegotiatedView and GZipMiddleware); a body too
# short to compress varies by neither encoding, as GZipMiddleware leaves it.
VARY = "Accept, Accept-Language, Accept-Encoding"
VARY_SHORT = "Accept, Accept-Language"


# Set in the environ by the front when it looked the request up: what it found (None: nothing stored and fresh).
LOOKED_UP = "bonecare.front.looked_up"


@dataclass(frozen=True)
class FoundAnswer:
    view_class: type
    row: stored.StoredAnswer
    compressed: bool
    echo: str | None = None  # the Accept-Language header this answer repeats (stored.answer_for)

    @property
    def cache_control(self):
        return self.view_class.cache_control

    @property
    def etag(self):
        return self.row.etag if self.echo is None else stored.echoed_etag(self.row.etag, self.echo)

    @property
    def body(self):
        return echoed_body(self.row, self.echo, self.compressed)

    @property
    def vary(self):
        return VARY if self.compressed or len(self.body) >= SHORTEST_COMPRESSED else VARY_SHORT


class StoredAnswerMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # What the front found is not looked up again: one lookup per request, whoever answers it.
        found = request.META[LOOKED_UP] if LOOKED_UP in request.META else find_stored_answer(request)
        if found is None:
            return self.get_response(request)
        return stored_response(request, found)


def find_stored_answer(request):
    """The fresh stored answer to this request, or None when the view must answer it."""
    if request.method not in ("GET", "HEAD") or not request.path_info.startswith("/api/"):
        return None
    view_class, kwargs = storing_view(request.path_info)
    if view_class is None:
        return None
    storable = stored.storage_key(request, view_class)
    if storable is None:
        return None
    scope = view_class.scope.key(kwargs, storable.params)
    if scope is None:
        return None
    compressed = accepts_gzip(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    try:
        # A body that repeats the request's header is fetched plain: the header is written in, then compressed.
        row = stored.fresh_answer(
            storable.key, scopes.validators(scope), compressed and storable.echo is None, storable.held
        )
    # Any database error (down, a prepared statement a pooler dropped, a plan a migration changed): the view answers.
    except DatabaseError:
        return None  # the view answers it: the API's 503, or its 400/404
    if row is None:
        return None
    return _found(view_class, row, compressed, storable)


def build_held_answer(request):
    """For a request whose answer is held (a search typed for the first time): its view builds and holds it, called
    directly as the refresh calls views, and the held answer is returned to be sent like any other.

    None when Django must answer: anything but a 200 (a 400, a 304), or a request whose answer is not held.
    Django's middleware does not run, so nothing it adds can differ from a held answer's (stored_headers and
    the front's policy_headers); the caller has been counted already.
    """
    view_class, kwargs = storing_view(request.path_info)
    storable = stored.storage_key(request, view_class) if view_class is not None else None
    if storable is None or not storable.held:
        return None
    # The view activates the negotiated language; the thread's own is left as it was.
    with translation.override(translation.get_language()):
        response = view_function(request.path_info)(request, **kwargs)
    # Rendered and held: the data it was built from is freed now, not by the collector's next pass (DRF's view and
    # response refer to each other, and would keep every result's dicts alive until then; issue 19, p99).
    response.data = None
    if response.status_code != 200:
        return None
    compressed = accepts_gzip(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    row = stored.just_held(storable.key, compressed and storable.echo is None)
    return _found(view_class, row, compressed, storable) if row is not None else None


def _found(view_class, row, compressed, storable):
    if compressed:
        # Sent compressed only when Django would compress it: a short body is stored as it is.
        plain = row.body if storable.echo is None else None
        compressed = plain[:2] == GZIP_MAGIC if plain is not None else (
            len(echoed_body(row, storable.echo, False)) >= SHORTEST_COMPRESSED
        )
    return FoundAnswer(view_class, row, compressed, storable.echo)


ECHOED_KEPT = 64  # bodies, each up to a list of 50: a few MB at most


def echoed_body(row, echo, compressed):
    """The bytes to send for a stored row: as stored, or with the request's header written in (and gzipped).

    The same few phones' headers ask for the same few rows until the next publication: each
    (row, header, encoding) is written and compressed once, and kept while it is asked for.
    """
    if echo is None:
        return row.body
    key = (row.etag, echo, compressed)
    body = _echoed.get(key)
    if body is None:
        body = stored.answer_for(row.body, echo)
        if compressed:
            body = gzip.compress(body, compresslevel=6, mtime=0)
        with _echoed_lock:  # gthread workers answer in threads
            if len(_echoed) >= ECHOED_KEPT:
                _echoed.pop(next(iter(_echoed)))
            _echoed[key] = body
    return body


_echoed = {}
_echoed_lock = threading.Lock()


@lru_cache(maxsize=4096)
def storing_view(path):
    """(view class, URL kwargs) when the path is answered by a view that stores its bodies, else (None, None)."""
    try:
        match = resolve(path)
    except Resolver404:
        return None, None
    view_class = getattr(match.func, "view_class", None)
    if getattr(view_class, "scope", None) is None:
        return None, None
    return view_class, match.kwargs


@lru_cache(maxsize=64)
def view_function(path):
    """The view that answers `path`, as the URLconf routes it (a path storing_view has taken)."""
    return resolve(path).func


def stored_response(request, found):
    """The stored answer as Django's response: 304 (or 412) when the client's conditions say so, else the body."""
    return conditional_response(request, found) or HttpResponse(found.body, headers=stored_headers(found))


def conditional_response(request, found):
    """The 304 or 412 that the request's If-* headers call for, with the stored answer's headers; else None."""
    if not CONDITIONAL_HEADERS.intersection(request.META):
        return None  # the usual case, and the front's hot path
    headers = stored_headers(found)
    etag = dict(headers)["ETag"]
    response = get_conditional_response(request, etag=etag, last_modified=last_modified_timestamp(found.row))
    if response is not None:
        for name, value in headers:
            if name not in BODY_HEADERS:
                response[name] = value
    return response


CONDITIONAL_HEADERS = frozenset(
    {"HTTP_IF_MATCH", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE"}
)
BODY_HEADERS = frozenset({"Content-Type", "Content-Length", "Content-Encoding"})


def stored_headers(found):
    """((name, value), ...): the headers of a stored answer's 200 (a 304 drops BODY_HEADERS)."""
    row = found.row
    return _stored_headers(
        found.etag, row.last_modified, row.content_language, len(found.body), found.compressed, found.cache_control,
        row.media_type, found.vary,
    )


# The same few rows are answered until the next publication: their headers are built once each. Pairs of strings,
# not a mapping: a tuple of strings is one the garbage collector stops tracking, and every new search adds an entry.
@lru_cache(maxsize=4096)
def _stored_headers(etag, last_modified, content_language, length, compressed, cache_control, media_type=stored.JSON,
                    vary=VARY):
    headers = {
        # As GZipMiddleware does for a body it compresses: a strong ETag names these exact bytes.
        "ETag": f"W/{etag}" if compressed else etag,
        "Content-Language": bcp47_tag(content_language),
        "Cache-Control": cache_policy.for_answer(cache_control, 200),  # the view's, as it sends it
        "Vary": vary,
        "Allow": "GET, HEAD, OPTIONS",
        "X-Frame-Options": "DENY",
    }
    if last_modified is not None:
        headers["Last-Modified"] = http_date(int(last_modified.timestamp()))
    headers["Content-Type"] = media_type
    if media_type != stored.JSON:
        # As the view builds it: the document's own type and its own policy (html_document.py).
        headers["Content-Type"], headers["Content-Security-Policy"] = html_document.response_headers(media_type)
    if compressed:
        headers["Content-Encoding"] = "gzip"
    # A length lets an app show download progress, and saves the server chunking the body.
    headers["Content-Length"] = str(length)
    return tuple(headers.items())


def last_modified_timestamp(row):
    return int(row.last_modified.timestamp()) if row.last_modified else None
