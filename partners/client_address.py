"""The client's IP address: the one function that decides it, for the login lock-out and the request limits.

Behind nginx every request comes from 127.0.0.1, so REMOTE_ADDR would make all
editors one client. Each trusted proxy appends the address it was contacted
from to X-Forwarded-For (deploy/nginx/bonecare.conf does). So X-Forwarded-For
is read only when the request comes from a trusted proxy
(BONECARE_TRUSTED_PROXIES), and from the right: each entry a trusted proxy
wrote is stepped over, and the first address that is not a trusted proxy is
the client. Entries further left are whatever the client chose to send and
are never believed; nor is any of it from a peer that is no proxy (probe D17:
gunicorn reached directly with a new X-Forwarded-For per wrong password).
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


def client_ip(request):
    peer = request.META.get("REMOTE_ADDR")
    proxies = trusted_networks(tuple(settings.BONECARE_TRUSTED_PROXIES))
    if not proxies or not _is_proxy(peer, proxies):
        return peer
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    client = peer
    for address in reversed(forwarded):
        client = address
        if not _is_proxy(address, proxies):
            break
    return client


@lru_cache(maxsize=8)
def trusted_networks(entries):
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _is_proxy(address, proxies):
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip in network for network in proxies)
