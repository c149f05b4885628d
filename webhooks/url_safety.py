"""Endpoint URLs a server may call: http(s) only, and no loopback or private address unless allowed.

Checked when an endpoint is saved and again before every attempt (a host
name can be pointed elsewhere after it was registered).
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def _is_internal(address):
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if getattr(ip, "ipv4_mapped", None):
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def url_refusal(url):
    """Why this URL may not be called (a sentence), or None when it may."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return _("A webhook URL must start with http:// or https:// and name a host.")
    if settings.WEBHOOKS_ALLOW_PRIVATE_URLS:
        return None
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port or None, proto=socket.IPPROTO_TCP)}
    except (socket.gaierror, UnicodeError, ValueError):
        return _("The host %(host)s cannot be resolved.") % {"host": parts.hostname}
    if any(_is_internal(address) for address in addresses):
        return _("The host %(host)s is a loopback or private address, which webhooks may not call.") % {"host": parts.hostname}
    return None


def validate_webhook_url(url):
    refusal = url_refusal(url)
    if refusal:
        raise ValidationError(refusal)
