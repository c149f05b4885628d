"""After a publication, render again the stored answers it affects, in the task queue, so no reader waits for a render.

`change_logged` (sent once the change-log entry is committed) only enqueues
`refresh_stored_answers` on the default queue, the one `manage.py db_worker`
already runs for webhook deliveries: the editor's request does not wait for
re-renders, and the webhook rows, written with the change itself
(webhooks/events.py), are never behind them.

The task calls each stored answer's view directly, as the URL resolves, with
a request made from the stored key: no middleware runs, so nothing is counted
against a caller's limit and nothing is answered from storage instead of being
built. The view builds the body and stores it, exactly as it does for a reader.

Audio is made after a publication, by the audio worker; when it says so
(`readings_made`, `pronunciations_made`), the answers that show that audio
are rendered again there and then, within the worker's task.
"""

import io
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.http import QueryDict
from django.urls import resolve
from django.utils import translation
from django_tasks import task

from content.delivery import change_listener, stored
from content.delivery.answers import scopes
from content.models import Article, ChangeLogEntry, GlossaryTerm, StoredPayload
from content.public_address import public_parts

logger = logging.getLogger(__name__)


def enqueue_after(sender, entry_id, **kwargs):
    """change_logged receiver: one task per committed entry; the publication only waits for its INSERT."""
    refresh_stored_answers.enqueue(entry_id)


@task()
def refresh_stored_answers(entry_id):
    """Render again every stale stored answer the entry affects; returns how many were rendered."""
    entry = ChangeLogEntry.objects.filter(pk=entry_id).first()
    if entry is None:
        return 0
    return refresh(StoredPayload.objects.filter(scopes.affected(entry)))


def refresh_after_readings(sender, article_id, **kwargs):
    """readings_made receiver: render again the stored answers that describe the article's audio."""
    slug = Article.objects.filter(pk=article_id).values_list("slug", flat=True).first()
    return _refresh_audio(scopes.AudioMade(ChangeLogEntry.Kind.ARTICLE, slug))


def refresh_after_pronunciations(sender, term_id, **kwargs):
    """pronunciations_made receiver: render again the stored answers that show the term's pronunciations."""
    slug = GlossaryTerm.objects.filter(pk=term_id).values_list("slug", flat=True).first()
    return _refresh_audio(scopes.AudioMade(ChangeLogEntry.Kind.GLOSSARY_TERM, slug))


def _refresh_audio(made):
    return refresh(StoredPayload.objects.filter(scopes.affected_by_audio(made)))


def refresh(rows):
    """Render again each of these stored rows whose validators moved on (a fresh one costs one query).

    A row that fails to render is logged and left: it is only stale, and the
    next reader's request renders it.
    """
    # Sync answers are per cursor and all move on with the change log: drop them, they render again on demand.
    StoredPayload.objects.filter(scope="sync").delete()
    rendered = 0
    for key, scope in rows.exclude(scope="sync").values_list("key", "scope"):
        try:
            if stored.fresh_answer(key, scopes.validators(scope), compressed=False, remembered=False) is None:
                render(key)
                rendered += 1
        except Exception:  # noqa: BLE001 - the publication is committed; readers still get correct answers
            logger.exception("rendering the stored answer %s again failed", key)
    if rendered:
        change_listener.announce_refreshed()
    return rendered


def render(key):
    """Build and store the answer to a stored answer's `key` (path, query and media type) by calling its view.

    The request is the one a client at the public address sends for that key;
    returns the view's status code (200 when the body was stored again).
    """
    parts = urlsplit(key)
    query, accept_language = header_chosen_language(parts.query)
    scheme, host, port = public_parts(settings.BONECARE_PUBLIC_URL)
    request = WSGIRequest({
        "REQUEST_METHOD": "GET",
        "PATH_INFO": parts.path,
        "QUERY_STRING": query,
        **({"HTTP_ACCEPT_LANGUAGE": accept_language} if accept_language else {}),
        "SERVER_NAME": urlsplit(settings.BONECARE_PUBLIC_URL).hostname,
        "SERVER_PORT": str(port),
        "HTTP_HOST": host,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": scheme,
        # A stored document (`#text/html`) is asked for as a client asks for it; JSON with no Accept at all.
        **({"HTTP_ACCEPT": parts.fragment} if parts.fragment else {}),
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
    })
    match = resolve(parts.path)
    # The view activates the negotiated language; the worker's own is left as it was.
    with translation.override(translation.get_language()):
        response = match.func(request, *match.args, **match.kwargs)
    return response.status_code


# A header that names none of our languages: the body falls back, as stored under `accept-language=unmatched`.
UNMATCHED_HEADER = "und"


def header_chosen_language(query):
    """(query, Accept-Language) of the request a stored key stands for.

    A key for a language chosen by Accept-Language names it in its query (stored.BY_HEADER); the request that
    renders it again sends it as the header, as a phone does, so the view stores it under the same key.
    """
    params = QueryDict(query, mutable=True)
    chosen = params.pop(stored.BY_HEADER, [None])[-1]
    if chosen is None:
        return query, None
    return params.urlencode(), UNMATCHED_HEADER if chosen == "unmatched" else chosen
