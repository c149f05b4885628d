"""After a publication, render again the stored bodies it affects, so no reader waits for a render.

Reads the committed change-log entry (content.signals.change_logged) and
replays the stored requests in the scopes it touches through the app itself,
exactly as a client would send them. A row that is still fresh answers from
storage and costs one query; a stale one is rendered and stored again.
"""

import io
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.db.models import Q
from django.utils import translation

from bonecare.public_address import public_parts
from content.models import ChangeLogEntry, StoredPayload
from partners.admission import ADMISSION, UNCOUNTED

_handler = None
logger = logging.getLogger(__name__)


def affected(entry):
    """The stored rows an entry makes stale, as a filter."""
    if entry.kind == ChangeLogEntry.Kind.ARTICLE:
        return Q(scope__in=[f"article:{entry.slug}", "reference", "bundle"]) | Q(scope__startswith="articles:")
    # A term's definition is shown in every article that links it.
    return Q(scope__in=["glossary", f"glossary-term:{entry.slug}", "bundle"]) | Q(scope__startswith="article:")


def refresh_after(sender, entry_id, **kwargs):
    """Render again what the entry affects; a failure here is logged, never turned into a failed publication.

    A row that could not be rendered again is simply stale: the hot path sees
    that and the next reader's request renders it.
    """
    try:
        entry = ChangeLogEntry.objects.filter(pk=entry_id).first()
        if entry is None:
            return
        # Sync answers are per cursor and all move on with the change log: drop them, they render again on demand.
        StoredPayload.objects.filter(scope="sync").delete()
        with translation.override(translation.get_language()):
            for key in StoredPayload.objects.filter(affected(entry)).values_list("key", flat=True):
                replay(key)
    except Exception:  # noqa: BLE001 - the publication is committed; readers still get correct answers
        logger.exception("rendering stored answers again after change-log entry %s failed", entry_id)


def replay(key):
    """GET a stored answer's `key` (path, query and media type) through the app's middleware and views, as a client at the public
    address would, without the request signals that close connections.

    The server's own request is no caller: it is admitted uncounted, so a
    publication that renders hundreds of rows is never throttled part-way.
    """
    global _handler
    if _handler is None:
        _handler = BaseHandler()
        _handler.load_middleware()
    parts = urlsplit(key)
    scheme, host, port = public_parts(settings.BONECARE_PUBLIC_URL)
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": parts.path,
        "QUERY_STRING": parts.query,
        "SERVER_NAME": urlsplit(settings.BONECARE_PUBLIC_URL).hostname,
        "SERVER_PORT": str(port),
        "HTTP_HOST": host,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": scheme,
        # A stored document (`#text/html`) is asked for as a client asks for it; JSON with no Accept at all.
        **({"HTTP_ACCEPT": parts.fragment} if parts.fragment else {}),
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
        ADMISSION: UNCOUNTED,
    }
    response = _handler.get_response(WSGIRequest(environ))
    return response.status_code
