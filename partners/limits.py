"""How many requests a caller may make, and how many it has left.

A caller is a key (X-API-Key) or, without one, a client address: the IPv4
address, or the /64 of an IPv6 address (one home or phone network gets one
/64, and can change the rest at will). Each has a fixed window of
BONECARE_LIMIT_WINDOW seconds, aligned on the clock, and a quota of
requests in it: BONECARE_ANONYMOUS_LIMIT per address, or the key's own
limit (BONECARE_KEY_LIMIT unless the key says otherwise). The counters live
in the limit store (partners/limit_store.py), so every worker on every host
that shares it counts the same budget.

The policies are advertised as in draft-ietf-httpapi-ratelimit-headers-11:
    RateLimit-Policy: "anonymous";q=120;w=60
    RateLimit: "anonymous";r=57;t=30
"""

import ipaddress
import math
import time
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings

from partners.client_address import client_ip
from partners.limit_store import count, guarded

ANONYMOUS = "anonymous"
KEYED = "key"
HEADER_NAMES = ("RateLimit-Policy", "RateLimit")


@dataclass(frozen=True)
class Policy:
    name: str
    quota: int
    window: int

    @property
    def header(self):
        return f'"{self.name}";q={self.quota};w={self.window}'


@dataclass(frozen=True)
class Verdict:
    """The policy a request fell under, its count in this window (None: store down) and when the window ends."""

    policy: Policy
    used: int | None
    reset_seconds: int

    @property
    def allowed(self):
        return self.used is None or self.used <= self.policy.quota

    @property
    def remaining(self):
        return max(0, self.policy.quota - self.used)

    def headers(self):
        headers = {"RateLimit-Policy": self.policy.header}
        if self.used is not None:  # unknown while the store is down: better no figure than a wrong one
            headers["RateLimit"] = f'"{self.policy.name}";r={self.remaining};t={self.reset_seconds}'
        return headers


def policy_for(checked_key):
    window = settings.BONECARE_LIMIT_WINDOW
    if checked_key is None:
        return _policy(ANONYMOUS, settings.BONECARE_ANONYMOUS_LIMIT, window)
    return _policy(KEYED, checked_key.request_limit or settings.BONECARE_KEY_LIMIT, window)


@lru_cache(maxsize=1024)
def _policy(name, quota, window):
    return Policy(name, quota, window)  # the same few, asked for on every request


def count_request(request, checked_key):
    """Count this request against its caller's budget; the Verdict says whether it may go on."""
    policy = policy_for(checked_key)
    window_number, reset_seconds = current_window(policy)
    caller = f"key:{checked_key.prefix}" if checked_key is not None else f"addr:{client_address(request)}"
    counter = f"count:{caller}:{policy.window}:{window_number}"
    used = guarded(lambda store: count(store, counter, policy.window), None)
    return Verdict(policy, used, reset_seconds)


def uncounted(checked_key=None):
    """The Verdict of a request counted against no budget (a refused key): its policy, no figure."""
    policy = policy_for(checked_key)
    return Verdict(policy, None, current_window(policy)[1])


def current_window(policy):
    """(number of the current window, seconds until it ends)."""
    now = time.time()
    window_number = int(now // policy.window)
    return window_number, max(1, math.ceil((window_number + 1) * policy.window - now))


def client_address(request):
    """The caller's network, from the client address partners.client_address decides (BONECARE_TRUSTED_PROXIES)."""
    return caller_network(client_ip(request) or "")


@lru_cache(maxsize=4096)
def caller_network(address):
    """One budget per IPv4 address and per IPv6 /64; parsed once per address (this runs on every request)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)
