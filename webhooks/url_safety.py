"""Endpoint URLs a server may call: http(s) only, and, in production, only public addresses.

Checked when an endpoint is saved and again before every attempt (a host
name can be pointed elsewhere after it was registered). At send time the
host is resolved once: the addresses checked are the ones dialled
(`addresses_to_dial`), so a name that answers a public address to the check
and 127.0.0.1 to the connection (DNS rebinding) reaches nothing inside.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# IPv6 prefixes that carry an IPv4 address in their last 32 bits and reach it (RFC 6052, RFC 8215).
_NAT64 = [ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48")]


class UrlRefused(Exception):
    """Why a URL may not be called, as a sentence for the person who set it."""


def _carried_addresses(ip):
    """The address itself and every IPv4 address an IPv6 one carries and would reach (mapped, compatible, 6to4, Teredo, NAT64)."""
    if ip.version == 4:
        return [ip]
    low32 = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    carried = [ip, ip.ipv4_mapped, ip.sixtofour, *(ip.teredo or ())]
    if int(ip) >> 32 == 0 or any(ip in network for network in _NAT64):
        carried.append(low32)
    return [address for address in carried if address is not None]


def is_internal(address):
    """Loopback, private, link-local, shared, reserved or multicast, in any spelling that reaches it."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return any(not carried.is_global or carried.is_multicast for carried in _carried_addresses(ip))


def _checked_parts(url):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UrlRefused(_("A webhook URL must start with http:// or https:// and name a host."))
    return parts


def addresses_to_dial(url):
    """The URL's parts, its port and [(family, socket address)] its host resolves to, all allowed; raises UrlRefused.

    Resolved here and nowhere else: the caller connects to these socket addresses only.
    """
    parts = _checked_parts(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError, ValueError) as exc:
        raise UrlRefused(_("The host %(host)s cannot be resolved.") % {"host": parts.hostname}) from exc
    addresses = list(dict.fromkeys((family, sockaddr) for family, _type, _proto, _name, sockaddr in infos))
    if not settings.WEBHOOKS_ALLOW_PRIVATE_URLS and any(is_internal(sockaddr[0]) for _family, sockaddr in addresses):
        raise UrlRefused(
            _("The host %(host)s is a loopback or private address, which webhooks may not call.") % {"host": parts.hostname}
        )
    return parts, port, addresses


def url_refusal(url):
    """Why this URL may not be called (a sentence), or None when it may."""
    try:
        _checked_parts(url)
        if not settings.WEBHOOKS_ALLOW_PRIVATE_URLS:
            addresses_to_dial(url)
    except UrlRefused as refusal:
        return str(refusal)
    return None


def validate_webhook_url(url):
    refusal = url_refusal(url)
    if refusal:
        raise ValidationError(refusal)
