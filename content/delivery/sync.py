"""What an offline app must change since its last sync, read from the change log only.

A cursor names the last change-log row the app has seen. Everything after it
is a complete account, for the app's language and level: articles and
glossary terms published or republished since whose answer in that language
and level changed (sent in full), and a tombstone for each article withdrawn
since and not published again. The next cursor is the newest row, read before the
content, so a publication that lands meanwhile is sent again next time
rather than missed.
"""

import base64
import binascii
import datetime
import functools
import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Max
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from content.models import ChangeLogEntry

CURSOR_PREFIX = "bc1:"
# Every cursor encode_cursor() can make, and nothing else: unpadded base64url of
# "bc1:" and 1 to 18 digits without leading zeros, written out as base64 lays the
# digits' bits (so the schema can tell a client, and a fuzzer, exactly which
# values are cursors). "YmMxOj" is "bc1:" with the first digit's high bits; "A"
# completes a first digit 0, which is the whole number or none at all; each
# group of four characters after the first digit carries three digits, and a
# last, shorter group one or two.
_THREE_DIGITS = "(?:[MN][DTjz]|O[DT])[AEIMQUYcgk][w-z0-5]"
_ONE_DIGIT = "(?:[MN][AQgw]|O[AQ])"
_TWO_DIGITS = "(?:[MN][DTjz]|O[DT])[AEIMQUYcgk]"
CURSOR_PATTERN = (
    "^YmMxOj(?:A|[EIMQUYcgk]"
    f"(?:[w-z0-5](?:(?:{_THREE_DIGITS}){{0,4}}(?:{_ONE_DIGIT}|{_TWO_DIGITS})?|(?:{_THREE_DIGITS}){{5}}{_ONE_DIGIT}?))?)$"
)


class InvalidCursor(Exception):
    """The cursor was not issued by this API, or is ahead of its change log; `code` says which."""

    def __init__(self, code):
        self.code = code
        super().__init__(code)


def latest_change_id():
    return ChangeLogEntry.objects.aggregate(latest=Max("id"))["latest"] or 0


def latest_change():
    """(id, when) of the latest change-log entry, (0, None) before any: what every published text is as of.

    The time as well as the id: an id can come back after a rolled-back
    transaction on SQLite, the time it was written does not.
    """
    with connection.cursor() as cursor:
        cursor.execute(*_latest_change_sql(connection.vendor))
        row = cursor.fetchone()
    if row is None:
        return 0, None
    change_id, at = row
    # A raw date (SQLite gives text) made what the ORM gives: an aware UTC datetime.
    at = parse_datetime(at) if isinstance(at, str) else at
    return change_id, (timezone.make_aware(at, datetime.timezone.utc) if timezone.is_naive(at) else at)


@functools.lru_cache(maxsize=4)
def _latest_change_sql(vendor):
    """The ORM's SQL for the latest entry, compiled once: every search and suggestion reads it (issue 19)."""
    sql, params = ChangeLogEntry.objects.order_by("-id").values_list("id", "at")[:1].query.sql_with_params()
    return sql, params


def encode_cursor(change_id):
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{change_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor, latest):
    """The change-log id a cursor stands for; InvalidCursor("invalid_cursor" or "cursor_from_future").

    Only the exact text encode_cursor() makes is a cursor: base64 and numbers
    have other spellings of the same value (padding, leading zeros), which
    this API never issues.
    """
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise InvalidCursor("invalid_cursor") from exc
    number = raw.removeprefix(CURSOR_PREFIX)
    if not raw.startswith(CURSOR_PREFIX) or not re.fullmatch(r"[0-9]{1,18}", number):
        raise InvalidCursor("invalid_cursor")
    change_id = int(number)
    if encode_cursor(change_id) != cursor:
        raise InvalidCursor("invalid_cursor")
    if change_id > latest:
        raise InvalidCursor("cursor_from_future")
    return change_id


def issued_cursor_position(cursor, latest):
    """decode_cursor(), and the change it names exists: a cursor is always the newest change-log id when issued.

    An id no change has (one a rolled-back transaction used on PostgreSQL,
    say) was never a cursor, whatever it looks like.
    """
    change_id = decode_cursor(cursor, latest)
    if change_id and not ChangeLogEntry.objects.filter(pk=change_id).exists():
        raise InvalidCursor("invalid_cursor")
    return change_id


@dataclass
class Delta:
    articles: list = field(default_factory=list)  # slugs to send in full (published now)
    terms: list = field(default_factory=list)  # glossary slugs to send in full
    tombstones: list = field(default_factory=list)  # {"kind", "slug", "withdrawn_at"}


def changes_since(change_id, up_to, language, level):
    """What changed for readers of `language` at `level` in (change_id, up_to]; each slug once, as at its last change.

    An entry reaches this feed only when its scope names the pair: a Spanish
    plain edit is no delta for an English standard reader. (SQLite cannot
    look inside JSON lists in a query, so the scope is read here.)
    """
    pair = [language, level]
    last = {}
    for entry in ChangeLogEntry.objects.filter(id__gt=change_id, id__lte=up_to).order_by("id").only(
        "id", "kind", "slug", "action", "at", "scope"
    ):
        if pair in entry.scope:
            last[(entry.kind, entry.slug)] = entry
    delta = Delta()
    for (kind, slug), entry in sorted(last.items()):
        if entry.action == ChangeLogEntry.Action.WITHDRAWN:
            delta.tombstones.append({"kind": kind, "slug": slug, "withdrawn_at": entry.at})
        elif kind == ChangeLogEntry.Kind.ARTICLE:
            delta.articles.append(slug)
        else:
            delta.terms.append(slug)
    return delta
