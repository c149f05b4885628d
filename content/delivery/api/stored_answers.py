"""Answer a request from a stored body before the rest of the stack runs: one query, no rendering.

A v1 view that can store its bodies declares `stored_scope(kwargs, params)`
(what the body depends on) and `storable_parameters`. This middleware resolves
the URL, and when the request is one whose body is the same for everyone who
sends it (content/delivery/stored.py) and a fresh body is stored, answers it
(or 304) with the same headers the view would send. Otherwise the view runs,
builds the body and stores it.
"""

from functools import lru_cache

from django.db import DataError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from content.delivery import stored
from content.delivery.selectors import scope_validator_sql
from content.languages import bcp47_tag

CACHE_CONTROL = "public, max-age=300, stale-while-revalidate=600, stale-if-error=86400"


class StoredAnswerMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and request.path_info.startswith("/api/"):
            answer = self.stored_answer(request)
            if answer is not None:
                return answer
        return self.get_response(request)

    def stored_answer(self, request):
        view_class, kwargs = storing_view(request.path_info)
        if view_class is None:
            return None
        storable = stored.storage_key(request, view_class.storable_parameters)
        if storable is None:
            return None
        key, params = storable
        scope = view_class.stored_scope(kwargs, params)
        if scope is None:
            return None
        compressed = "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
        try:
            answer = stored.fresh_answer(key, scope_validator_sql(scope), compressed)
        except (OperationalError, InterfaceError, DataError):
            return None  # the view answers it: the API's 503, or its 400/404
        if answer is None:
            return None
        return stored_response(request, answer, compressed)


@lru_cache(maxsize=4096)
def storing_view(path):
    """(view class, URL kwargs) when the path is answered by a view that stores its bodies, else (None, None)."""
    try:
        match = resolve(path)
    except Resolver404:
        return None, None
    view_class = getattr(match.func, "view_class", None)
    if getattr(view_class, "stored_scope", None) is None:
        return None, None
    return view_class, match.kwargs


def stored_response(request, row, compressed):
    # As GZipMiddleware does for a body it compresses: a strong ETag names these exact bytes.
    etag = f"W/{row.etag}" if compressed else row.etag
    timestamp = int(row.last_modified.timestamp()) if row.last_modified else None
    headers = {
        "ETag": etag,
        "Content-Language": bcp47_tag(row.content_language),
        "Cache-Control": CACHE_CONTROL,
        "Vary": "Accept-Language, Accept-Encoding",
        "Allow": "GET, HEAD, OPTIONS",
        "X-Frame-Options": "DENY",
    }
    if timestamp is not None:
        headers["Last-Modified"] = http_date(timestamp)
    response = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if response is not None:
        for name, value in headers.items():
            response[name] = value
        return response
    if compressed:
        headers["Content-Encoding"] = "gzip"
    return HttpResponse(row.body, content_type="application/json", headers=headers)
