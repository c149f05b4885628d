"""Creating, checking and forgetting partners' API keys (the `X-API-Key` request header).

Checking a key against the database costs a query (and a SHA-512) on every
request. So what the database says about a key's prefix is kept in the limit
store for KEY_CHECK_SECONDS, and forgotten at once when the key is changed,
revoked or deleted in the admin (partners/admin.py calls `forget`). A key
revoked any other way (the shell, a raw UPDATE) stops working within
KEY_CHECK_SECONDS. The key itself is never stored, only its hash.

The record is kept as JSON signed with the secret key (django.core.signing),
for its prefix and for KEY_CHECK_SECONDS: whoever can write the store (the
folder's owner, anyone on the Redis) cannot mint a key by storing a hash of
their own, move one key's record to another prefix, or bring a revoked key
back by replaying an old record. A record that does not verify is ignored and
read again from the database.
"""

import time
from dataclasses import asdict, dataclass

from django.core import signing

from partners.limit_store import guarded
from partners.models import PartnerKey

KEY_CHECK_SECONDS = 60
# Prefix (8) + "." + secret (32); anything much longer is not a key of ours.
MAX_KEY_LENGTH = 100
PREFIX_LENGTH = PartnerKey.objects.key_generator.prefix_length
UNKNOWN = "unknown"  # cached for a prefix no key has, so guessing costs no query either
RECORD_SALT = "partners.keys.checked-key"


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
    record = _verified(guarded(lambda store: store.get(cache_key), None), prefix)
    if record is None:
        record = _load(prefix)
        signed = _signed(record, prefix)
        guarded(lambda store: store.set(cache_key, signed, timeout=KEY_CHECK_SECONDS), None)
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


def _signed(record, prefix):
    return signing.dumps([prefix, None if record == UNKNOWN else asdict(record)], salt=RECORD_SALT)


def _verified(stored, prefix):
    """The record `stored` holds if this server signed it for `prefix` within KEY_CHECK_SECONDS, else None."""
    if not isinstance(stored, str):
        return None
    try:
        signed_prefix, fields = signing.loads(stored, salt=RECORD_SALT, max_age=KEY_CHECK_SECONDS)
        if signed_prefix != prefix:
            return None
        return UNKNOWN if fields is None else CheckedKey(**fields)
    except (signing.BadSignature, ValueError, TypeError):
        return None


def _cache_key(prefix):
    return f"api-key:{prefix}"
