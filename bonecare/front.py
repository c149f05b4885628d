"""The stored-answer front: most API reads answered before Django builds its request or runs a middleware.

bonecare/wsgi.py puts it in front of Django's WSGI handler. For a GET or HEAD
under /api/ it checks the caller's key and budget (partners/admission.py) and
looks up the stored body (content/delivery/api/stored_answers.py): one query,
the same functions StoredAnswerMiddleware uses. When both say yes, it answers
at once. A search or suggestion not held yet is built by its view, called
directly, and then answered as held (`build_held_answer`): what a reader
types anew skips Django's middleware too. Anything else goes on to Django
untouched, already counted: a refused
or throttled caller, a body that is not stored, an unknown host (or, in production, a
Host naming another port), plain HTTP
where HTTPS is required, and a browser's request (an Origin header, whose CORS
headers corsheaders writes per origin).

The headers Django's middleware adds to a stored answer (security, CSP,
Permissions-Policy, CORS's Vary) depend only on the settings, the scheme and
the media type: `policy_headers` declares them, from the same settings and
functions those middleware read, so the front answers the same from the first
request on, whatever came before. A middleware added before
StoredAnswerMiddleware, or one whose header changes per request (a request id,
say), needs its header declared there too: tests/test_front.py compares every
stored endpoint's answers from the front and from Django, header by header.

The front sends no request_started / request_finished signal;
close_connection_past_its_age says what it does instead, and why.
"""

import logging
import re
import time
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.db import DEFAULT_DB_ALIAS, connections
from django.dispatch import receiver
from django.test.signals import setting_changed

from bonecare.security_headers import csp_is_fixed, fixed_policy, permissions_policy, policy_index_for_path
from content.delivery import stored
from content.delivery.api.stored_answers import (
    LOOKED_UP,
    VARY,
    build_held_answer,
    conditional_response,
    find_stored_answer,
    stored_headers,
)
from content.public_address import check_host
from partners.admission import ADMISSION, admit
from partners.limits import HEADER_NAMES as LIMIT_HEADERS

logger = logging.getLogger(__name__)
MERGED_KEPT = 4096  # as many as stored_headers keeps


class StoredAnswerFront:
    def __init__(self, django_application):
        self.django_application = django_application
        # id(stored headers) -> (those headers, the policy's, both merged): see answer_headers.
        self.merged = {}

    def __call__(self, environ, start_response):
        if not may_take(environ):
            return self.django_application(environ, start_response)
        try:
            # A copy: WSGIRequest rewrites PATH_INFO and SCRIPT_NAME in the environ it is given (decoded), and
            # Django, if it answers, must read them as the server wrote them.
            request = WSGIRequest({**environ})
            answer = self.answer(request)
        except Exception:  # a fault here must never cost the request: Django answers it, its own way
            logger.exception("The stored-answer front failed on %s; Django answers it", environ.get("PATH_INFO"))
            request, answer = None, None
        if answer is None:
            return self.hand_on(environ, start_response, request)
        status, headers, body = answer
        start_response(status, headers)
        return body

    def answer(self, request):
        """(status, WSGI headers, body) to send now, or None to hand the request on to Django."""
        try:
            check_host(request)
        except DisallowedHost:
            return None  # Django answers the JSON bad_host 400
        if settings.SECURE_SSL_REDIRECT and not request.is_secure():
            return None  # SecurityMiddleware redirects to HTTPS
        admission = admit(request)
        if admission.refused:
            return None  # RateLimitMiddleware answers the 429 or 401 from this admission, without counting again
        found = find_stored_answer(request)
        request.META[LOOKED_UP] = found  # Django's StoredAnswerMiddleware does not look it up again
        if found is None:
            found = build_held_answer(request)
        close_connection_past_its_age()
        if found is None:
            return None
        added = policy_headers(
            request.scheme, found.row.media_type, policy_index_for_path(request.path_info), found.vary
        )
        if added is None:
            return None  # a policy written per request: Django's middleware writes it
        limit_headers = admission.verdict.headers().items()
        conditional = conditional_response(request, found)
        if conditional is not None:
            status = f"{conditional.status_code} {conditional.reason_phrase}"
            return status, merged_headers(conditional.items(), added, limit_headers), [conditional.content]
        headers = [*self.answer_headers(stored_headers(found), added), *limit_headers]
        return "200 OK", headers, [found.body]

    def answer_headers(self, own, added):
        """A stored answer's headers with those the middleware adds, merged once per stored row."""
        kept = self.merged.get(id(own))
        if kept is not None and kept[0] is own and kept[1] is added:  # the same objects, not a reused id
            return kept[2]
        if len(self.merged) >= MERGED_KEPT:
            self.merged.clear()
        # A tuple, as `own` and `added` are: an entry of strings is one the garbage collector stops tracking.
        headers = tuple(merged_headers(own, added))
        self.merged[id(own)] = (own, added, headers)
        return headers

    def hand_on(self, environ, start_response, request):
        """Django's answer, told what the front already did: the caller counted, the stored answer looked up."""
        if request is not None:
            for name in (ADMISSION, LOOKED_UP):
                if name in request.META:
                    environ[name] = request.META[name]
        return self.django_application(environ, start_response)


@lru_cache(maxsize=64)
def policy_headers(scheme, media_type, csp_index, vary=VARY):
    """((header, value), ...) that Django's middleware before StoredAnswerMiddleware adds to a stored answer.

    Declared from the settings and functions those middleware read, in
    settings.MIDDLEWARE's order: SecurityMiddleware, django-csp's policy for the
    path (a document carries its own), Permissions-Policy, and CORS's Vary (the
    front takes no request with an Origin, so CORS writes nothing else). None
    when a header would differ per request (a CSP nonce or report-only policy):
    Django answers those. Cleared when a setting changes.
    """
    if not csp_is_fixed():
        return None
    headers = []
    if settings.SECURE_HSTS_SECONDS and scheme == "https":
        hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        hsts += "; includeSubDomains" if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS else ""
        hsts += "; preload" if settings.SECURE_HSTS_PRELOAD else ""
        headers.append(("Strict-Transport-Security", hsts))
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers.append(("X-Content-Type-Options", "nosniff"))
    referrer = settings.SECURE_REFERRER_POLICY
    if referrer:
        values = [value.strip() for value in referrer.split(",")] if isinstance(referrer, str) else referrer
        headers.append(("Referrer-Policy", ",".join(values)))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
    if media_type == stored.JSON:
        headers.append(("Content-Security-Policy", fixed_policy(csp_index)))
    headers.append(("Permissions-Policy", permissions_policy()))
    if re.match(settings.CORS_URLS_REGEX, "/api/"):  # every path the front takes is under /api/
        headers.append(("Vary", f"{vary}, origin"))
    return tuple(headers)


@receiver(setting_changed)
def forget_policy_headers(**kwargs):
    policy_headers.cache_clear()


def may_take(environ):
    return (
        environ.get("REQUEST_METHOD") in ("GET", "HEAD")
        and environ.get("PATH_INFO", "").startswith("/api/")
        and "HTTP_ORIGIN" not in environ
    )


def close_connection_past_its_age():
    """Close the database connection once it is older than CONN_MAX_AGE, as Django's request_finished does.

    The front sends neither request_started nor request_finished (together a
    sixth of a stored answer's time). What they do for the one connection it
    uses is done here or is not needed: a connection that fails makes its query
    raise, the request goes on to Django, and Django's request_started closes
    the broken connection. Django's health check (a SELECT 1 on PostgreSQL)
    would double the front's queries; the failure path covers the same case.
    """
    database = connections[DEFAULT_DB_ALIAS]  # this thread's connection, looked up once
    if database.in_atomic_block:
        return  # never in a request; inside a test's transaction, whose connection must stay open
    if database.close_at is not None and time.monotonic() >= database.close_at:
        database.close()


def merged_headers(*header_groups):
    """One WSGI header list; a later group's header replaces an earlier one of the same name (any case)."""
    merged = {}
    for group in header_groups:
        for name, value in group:
            merged[name.lower()] = (name, value)
    return list(merged.values())
