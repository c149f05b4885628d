"""Answer a request from a stored body before the rest of the stack runs: one query, no rendering.

A v1 view that can store its bodies names its `scope` (content/delivery/answers/scopes.py:
what the body depends on) and its `storable_parameters`. `find_stored_answer`
resolves the URL, and when the request is one whose body is the same for
everyone who sends it (content/delivery/stored.py) and a fresh body is stored,
returns it; `stored_response` answers it (or 304) with the same headers the
view would send. Otherwise the view runs, builds the body and stores it.

Two callers: the stored-answer front (bonecare/front.py), before Django builds
its request, and StoredAnswerMiddleware inside Django for the requests the front
hands on (a browser's Origin, a refused key, a front that has not yet seen
this view's headers).
"""

from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from django.db import DataError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from bonecare.compression import accepts_gzip
from content.delivery import html_document, stored
from content.delivery.answers import scopes
from content.languages import bcp47_tag

# Set in request.META by StoredAnswerMiddleware when it answered: the view class whose stored body it was.
ANSWERED_FROM_STORE = "bonecare.answered_from_store"


@dataclass(frozen=True)
class FoundAnswer:
    view_class: type
    row: stored.StoredAnswer
    compressed: bool

    @property
    def cache_control(self):
        return self.view_class.cache_control


class StoredAnswerMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = find_stored_answer(request)
        if found is None:
            return self.get_response(request)
        request.META[ANSWERED_FROM_STORE] = found.view_class
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
    key, params = storable
    scope = view_class.scope.key(kwargs, params)
    if scope is None:
        return None
    compressed = accepts_gzip(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    try:
        row = stored.fresh_answer(key, scopes.validators(scope), compressed)
    except (OperationalError, InterfaceError, DataError):
        return None  # the view answers it: the API's 503, or its 400/404
    if row is None:
        return None
    return FoundAnswer(view_class, row, compressed)


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


def stored_response(request, found):
    """The stored answer as Django's response: 304 (or 412) when the client's conditions say so, else the body."""
    return conditional_response(request, found) or HttpResponse(found.row.body, headers=stored_headers(found))


def conditional_response(request, found):
    """The 304 or 412 that the request's If-* headers call for, with the stored answer's headers; else None."""
    if not CONDITIONAL_HEADERS.intersection(request.META):
        return None  # the usual case, and the front's hot path
    headers = stored_headers(found)
    response = get_conditional_response(request, etag=headers["ETag"], last_modified=last_modified_timestamp(found.row))
    if response is not None:
        for name, value in headers.items():
            if name not in BODY_HEADERS:
                response[name] = value
    return response


CONDITIONAL_HEADERS = frozenset(
    {"HTTP_IF_MATCH", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE"}
)
BODY_HEADERS = frozenset({"Content-Type", "Content-Length", "Content-Encoding"})


def stored_headers(found):
    """The headers of a stored answer's 200, read-only (a 304 drops BODY_HEADERS)."""
    row = found.row
    return _stored_headers(
        row.etag, row.last_modified, row.content_language, len(row.body), found.compressed, found.cache_control,
        row.media_type,
    )


# The same few rows are answered until the next publication: their headers are built once each.
@lru_cache(maxsize=4096)
def _stored_headers(etag, last_modified, content_language, length, compressed, cache_control, media_type=stored.JSON):
    headers = {
        # As GZipMiddleware does for a body it compresses: a strong ETag names these exact bytes.
        "ETag": f"W/{etag}" if compressed else etag,
        "Content-Language": bcp47_tag(content_language),
        "Cache-Control": cache_control,  # the view's (content/delivery/cache_policy.py)
        "Vary": "Accept, Accept-Language, Accept-Encoding",
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
    return MappingProxyType(headers)


def last_modified_timestamp(row):
    return int(row.last_modified.timestamp()) if row.last_modified else None
