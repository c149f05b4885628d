"""From a change-log entry to the deliveries it owes: one per endpoint that wants it, written with the change.

Runs on `content.signals.change_recorded`, inside the transaction that
writes the entry (an outbox). It only writes rows: the deliveries and the
tasks that send them, which live in the same database (django-tasks-db). So
the change, its deliveries and their tasks commit together or not at all,
and a worker killed right after the commit loses no event. Nothing is sent
from here, so a publication never waits for a partner's server.
"""

import json
from functools import partial

from django.db import transaction
from django.urls import reverse
from django.utils.http import urlencode
from django_tasks_db.backend import DatabaseBackend

from content.models import ChangeLogEntry
from content.public_address import public_url
from webhooks.models import ACTION_NAMES, KIND_NAMES, Delivery, Endpoint, event_type
from webhooks.tasks import attempt_delivery, wake_worker

_DETAIL_ROUTES = {ChangeLogEntry.Kind.ARTICLE: "article-detail", ChangeLogEntry.Kind.GLOSSARY_TERM: "glossary-detail"}


def payload(entry, pairs):
    """The documented event body (docs/partners.md, "Webhooks"): only the (language, level) `pairs` the endpoint wants."""
    data = {
        "change_log_id": entry.id,
        "kind": KIND_NAMES[entry.kind],
        "action": ACTION_NAMES[entry.action],
        "slug": entry.slug,
        "languages": sorted({language for language, _level in pairs}),
        "levels": sorted({level for _language, level in pairs}),
        "changes": [{"lang": language, "level": level} for language, level in pairs],
        "links": [] if entry.action == ChangeLogEntry.Action.WITHDRAWN else detail_links(entry, pairs),
    }
    return {"type": event_type(entry), "timestamp": entry.at.isoformat(), "data": data}


def detail_links(entry, pairs):
    """The API detail URL for each changed language and level (a glossary term is one answer for both levels)."""
    path = reverse(_DETAIL_ROUTES[entry.kind], kwargs={"version": "v1", "slug": entry.slug})
    if entry.kind == ChangeLogEntry.Kind.GLOSSARY_TERM:
        wanted = sorted({(language, None) for language, _level in pairs})
    else:
        wanted = pairs
    links = []
    for language, level in wanted:
        query = {"lang": language, **({"level": level} if level else {})}
        links.append({"lang": language, "level": level, "url": public_url(f"{path}?{urlencode(query)}")})
    return links


def create_deliveries(entry):
    """A pending Delivery for each enabled endpoint that wants this entry (none twice); returns the new ones."""
    created = []
    for endpoint in Endpoint.objects.filter(enabled=True):
        pairs = endpoint.wants(entry)
        if not pairs:
            continue
        body = json.dumps(payload(entry, pairs), ensure_ascii=False, separators=(",", ":"))
        delivery, new = Delivery.objects.get_or_create(
            endpoint=endpoint, entry=entry,
            defaults={"event_type": event_type(entry), "message_id": f"msg_{entry.id}", "body": body,
                      "next_attempt_at": entry.at},
        )
        if new:
            created.append(delivery)
    return created


def deliveries_with_change(sender, entry, **kwargs):
    """change_recorded receiver: the deliveries and their tasks, in the change's own transaction.

    A failure here fails the change (it is rolled back): a committed change
    never lacks its events.
    """
    queue_in_this_database = isinstance(attempt_delivery.get_backend(), DatabaseBackend)
    for delivery in create_deliveries(entry):
        if queue_in_this_database:
            wake_worker(delivery)
        else:
            # A queue elsewhere must only hear of committed rows; one lost here is requeued at a worker's start.
            transaction.on_commit(partial(wake_worker, delivery))
