"""Creating, checking and forgetting partners' API keys (the `X-API-Key` request header).

Checking a key against the database costs a query (and a SHA-512) on every
request. So what the database says about a key's prefix is kept in the limit
store for KEY_CHECK_SECONDS, and forgotten at once when the key is changed,
revoked or deleted in the admin (partners/admin.py calls `forget`). A key
revoked any other way (the shell, a raw UPDATE) stops working within
KEY_CHECK_SECONDS. The key itself is never stored, only its hash.
"""

import time
from dataclasses import dataclass

from partners.limit_store import guarded
from partners.models import PartnerKey

KEY_CHECK_SECONDS = 60
# Prefix (8) + "." + secret (32); anything much longer is not a key of ours.
MAX_KEY_LENGTH = 100
PREFIX_LENGTH = PartnerKey.objects.key_generator.prefix_length
UNKNOWN = "unknown"  # cached for a prefix no key has, so guessing costs no query either


@dataclass(frozen=True)
class CheckedKey:
    prefix: str
    name: str
    hashed_key: str
    revoked: bool
    expires_at: float | None
    request_limit: int | None

    @property
    def usable(self):
        return not self.revoked and (self.expires_at is None or self.expires_at > time.time())


def create_key(name, request_limit=None):
    """(PartnerKey, the key in clear): the only moment the key can be seen."""
    return PartnerKey.objects.create_key(name=name, request_limit=request_limit)


def revoke_key(partner_key):
    partner_key.revoked = True
    partner_key.save(update_fields=["revoked"])
    forget(partner_key.prefix)


def forget(prefix):
    guarded(lambda store: store.delete(_cache_key(prefix)), None)


def check_key(raw_key):
    """The usable key `raw_key` names, or None when it is malformed, unknown, revoked or expired."""
    prefix, dot, secret = raw_key.partition(".")
    well_formed = raw_key.isascii() and len(raw_key) <= MAX_KEY_LENGTH and secret
    if not (dot and well_formed and prefix.isalnum() and len(prefix) <= PREFIX_LENGTH):
        return None
    cache_key = _cache_key(prefix)
    record = guarded(lambda store: store.get(cache_key), None)
    if record is None:
        record = _load(prefix)
        guarded(lambda store: store.set(cache_key, record, timeout=KEY_CHECK_SECONDS), None)
    if record == UNKNOWN or not record.usable:
        return None
    if not PartnerKey.objects.key_generator.verify(raw_key, record.hashed_key):
        return None
    return record


def _load(prefix):
    key = PartnerKey.objects.filter(prefix=prefix).first()
    if key is None:
        return UNKNOWN
    return CheckedKey(
        prefix=key.prefix,
        name=key.name,
        hashed_key=key.hashed_key,
        revoked=key.revoked,
        expires_at=key.expiry_date.timestamp() if key.expiry_date else None,
        request_limit=key.request_limit,
    )


def _cache_key(prefix):
    return f"api-key:{prefix}"
