"""The stored-answer front: most API reads answered before Django builds its request or runs a middleware.

bonecare/wsgi.py puts it in front of Django's WSGI handler. For a GET or HEAD
under /api/ it checks the caller's key and budget (partners/admission.py) and
looks up the stored body (content/delivery/api/stored_answers.py): one query,
the same functions StoredAnswerMiddleware uses. When both say yes, it answers
at once. Anything else goes on to Django untouched, already counted: a refused
or throttled caller, a body that is not stored, an unknown host (or, in production, a
Host naming another port), plain HTTP
where HTTPS is required, and a browser's request (an Origin header, whose CORS
headers corsheaders writes per origin).

The front writes no policy header of its own. The headers Django's middleware
adds to a stored answer (security, CSP, Permissions-Policy, CORS's Vary) are
the same for every stored answer of one view, scheme and media type, so the front takes
them from the first such answer Django gives in this process and adds them
to its own from then on; until then it hands the request on. A middleware
whose header changes per request (a request id, say) would need its header
written here too; tests/test_front.py compares every stored endpoint's answers
from the front and from Django, header by header.

The front sends no request_started / request_finished signal;
close_connection_past_its_age says what it does instead, and why.
"""

import logging
import time

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.db import connection
from django.test.signals import setting_changed

from bonecare.public_address import check_host
from content.delivery.api.stored_answers import (
    ANSWERED_FROM_STORE,
    LOOKED_UP,
    conditional_response,
    find_stored_answer,
    stored_headers,
)
from partners.admission import ADMISSION, admit
from partners.limits import HEADER_NAMES as LIMIT_HEADERS

logger = logging.getLogger(__name__)
EXPECTED_ANSWER = "bonecare.front.expected_answer"
MERGED_KEPT = 4096  # as many as stored_headers keeps


class StoredAnswerFront:
    def __init__(self, django_application):
        self.django_application = django_application
        # (view class, scheme, media type) -> ((header, value), ...) that Django's middleware adds to that view's
        # stored answers of that type (a JSON answer's policy header is not an HTML document's).
        self.stack_headers = {}
        # id(stored headers) -> (those headers, the stack's, both merged): see answer_headers.
        self.merged = {}
        setting_changed.connect(self.forget_stack_headers)

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
        close_connection_past_its_age()
        request.META[LOOKED_UP] = found  # Django's StoredAnswerMiddleware does not look it up again
        if found is None:
            return None
        added = self.stack_headers.get((found.view_class, request.scheme, found.row.media_type))
        if added is None:
            request.META[EXPECTED_ANSWER] = found
            return None
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
        headers = merged_headers(own.items(), added)
        self.merged[id(own)] = (own, added, headers)
        return headers

    def hand_on(self, environ, start_response, request):
        """Django's answer; if it is the stored answer the front found, remember the headers its middleware added."""
        if request is None:
            return self.django_application(environ, start_response)
        if ADMISSION in request.META:
            environ[ADMISSION] = request.META[ADMISSION]  # counted: RateLimitMiddleware must not count it again
        if LOOKED_UP in request.META:
            environ[LOOKED_UP] = request.META[LOOKED_UP]
        found = request.META.get(EXPECTED_ANSWER)
        if found is None:
            return self.django_application(environ, start_response)

        def remembering_start_response(status, headers, exc_info=None):
            if status.startswith("200 ") and environ.get(ANSWERED_FROM_STORE) is found.view_class:
                self.remember(found, request.scheme, headers)
            return start_response(status, headers, exc_info)

        return self.django_application(environ, remembering_start_response)

    def remember(self, found, scheme, headers):
        own = {name.lower(): value for name, value in stored_headers(found).items()}
        sent = {name.lower(): value for name, value in headers}
        if sent.get("etag") != own["etag"]:
            return  # Django answered a row published in between: not the one to compare with
        limits = {name.lower() for name in LIMIT_HEADERS}
        self.stack_headers[(found.view_class, scheme, found.row.media_type)] = tuple(
            (name, value) for name, value in headers if name.lower() not in limits and own.get(name.lower()) != value
        )

    def forget_stack_headers(self, **kwargs):
        self.stack_headers.clear()
        self.merged.clear()


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
    if connection.in_atomic_block:
        return  # never in a request; inside a test's transaction, whose connection must stay open
    if connection.close_at is not None and time.monotonic() >= connection.close_at:
        connection.close()


def merged_headers(*header_groups):
    """One WSGI header list; a later group's header replaces an earlier one of the same name (any case)."""
    merged = {}
    for group in header_groups:
        for name, value in group:
            merged[name.lower()] = (name, value)
    return list(merged.values())
