"""From a committed change-log entry to the deliveries it owes: one per endpoint that wants it.

Runs on `content.signals.change_logged` (sent on commit). It only writes
rows and enqueues tasks; nothing is sent from here, so a publication never
waits for a partner's server.
"""

import json
import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.http import urlencode

from content.models import ChangeLogEntry
from webhooks.models import ACTION_NAMES, KIND_NAMES, Delivery, Endpoint, event_type
from webhooks.tasks import wake_worker

logger = logging.getLogger(__name__)

_DETAIL_ROUTES = {ChangeLogEntry.Kind.ARTICLE: "article-detail", ChangeLogEntry.Kind.GLOSSARY_TERM: "glossary-detail"}


def payload(entry, languages):
    """The documented event body (docs/partners.md, "Webhooks")."""
    data = {
        "change_log_id": entry.id,
        "kind": KIND_NAMES[entry.kind],
        "action": ACTION_NAMES[entry.action],
        "slug": entry.slug,
        "languages": list(languages),
        "levels": list(entry.levels),
        "links": [] if entry.action == ChangeLogEntry.Action.WITHDRAWN else detail_links(entry, languages),
    }
    return {"type": event_type(entry), "timestamp": entry.at.isoformat(), "data": data}


def detail_links(entry, languages):
    """The API detail URL for each language (× level for articles) the entry changed."""
    path = reverse(_DETAIL_ROUTES[entry.kind], kwargs={"version": "v1", "slug": entry.slug})
    links = []
    for language in languages:
        for level in entry.levels or [None]:
            query = {"lang": language, **({"level": level} if level else {})}
            links.append({"lang": language, "level": level, "url": f"{settings.WEBHOOKS_PUBLIC_BASE_URL}{path}?{urlencode(query)}"})
    return links


def create_deliveries(entry):
    """A pending Delivery for each enabled endpoint that wants this entry (none twice); returns the new ones."""
    created = []
    for endpoint in Endpoint.objects.filter(enabled=True):
        languages = endpoint.wants(entry)
        if not languages:
            continue
        body = json.dumps(payload(entry, languages), ensure_ascii=False, separators=(",", ":"))
        delivery, new = Delivery.objects.get_or_create(
            endpoint=endpoint, entry=entry,
            defaults={"event_type": event_type(entry), "message_id": f"msg_{entry.id}", "body": body,
                      "next_attempt_at": entry.at},
        )
        if new:
            created.append(delivery)
    return created


def deliveries_after_change(sender, entry_id, **kwargs):
    """change_logged receiver: create the deliveries and wake the worker once they are committed.

    The publication is committed already; a failure here is logged, never
    turned into a failed request.
    """
    try:
        entry = ChangeLogEntry.objects.filter(pk=entry_id).first()
        if entry is None:
            return
        with transaction.atomic():
            for delivery in create_deliveries(entry):
                transaction.on_commit(partial(wake_worker, delivery))
    except Exception:  # noqa: BLE001
        logger.exception("creating webhook deliveries for change-log entry %s failed", entry_id)
