"""The one address clients reach BoneCare at (BONECARE_PUBLIC_URL): links are built from it, never from the Host.

Answers are stored and cached for everyone who asks the same thing, so
nothing in them may come from the request's Host or forwarded headers: one
request naming `localhost:6666` (every port passes ALLOWED_HOSTS) would
otherwise put its links in every later reader's answer. In production a Host
that names another port than the public one is refused outright (400).
"""

from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.dispatch import receiver
from django.http.request import split_domain_port
from django.test.signals import setting_changed

DEFAULT_PORTS = {"http": 80, "https": 443}


def public_url(path):
    """The absolute URL of `path` (which starts with /) as clients reach it."""
    return settings.BONECARE_PUBLIC_URL + path


@lru_cache(maxsize=16)
def public_parts(public_url_setting):
    """(scheme, host as sent in a Host header, port) of the public address."""
    parts = urlsplit(public_url_setting)
    return parts.scheme, parts.netloc, parts.port or DEFAULT_PORTS[parts.scheme]


def check_host(request):
    """Raise DisallowedHost (Django's 400, bad_host under /api/) for a Host BoneCare does not answer for.

    That is a name not in ALLOWED_HOSTS and, where BONECARE_REFUSE_OTHER_PORTS
    is on (production), a port other than the public address's: ALLOWED_HOSTS
    ignores ports. A Host without a port (as nginx passes `$host`) names no
    other port. In development the same server answers on whatever address a
    developer started it on. Stored answers no longer depend on the Host, so
    nothing later in the stack would otherwise ask.
    """
    meta = request.META
    sent = (meta.get("HTTP_HOST"), meta.get("HTTP_X_FORWARDED_HOST"), meta.get("SERVER_NAME"), meta.get("SERVER_PORT"))
    try:
        refusal = _verdicts[sent]
    except KeyError:
        # Every request asks, and clients send the same Host over and over: each is judged once.
        refusal = _refusal(request)
        if len(_verdicts) >= VERDICTS_KEPT:
            _verdicts.clear()
        _verdicts[sent] = refusal
    if refusal is not None:
        raise DisallowedHost(refusal)


VERDICTS_KEPT = 256
_verdicts = {}  # (Host, X-Forwarded-Host, server name, server port) -> None when served, else why not


@receiver(setting_changed)
def forget_verdicts(**kwargs):
    _verdicts.clear()


def _refusal(request):
    """None when BoneCare answers for the request's Host, else the reason it does not."""
    try:
        request.get_host()
    except DisallowedHost as refused:
        return str(refused)
    if not settings.BONECARE_REFUSE_OTHER_PORTS:
        return None
    _domain, port = split_domain_port(request.META.get("HTTP_HOST", ""))
    if port and port != str(public_parts(settings.BONECARE_PUBLIC_URL)[2]):
        return "The Host header names a port BoneCare is not served on."
    return None


class ServedHostMiddleware:
    """First in the stack: a request for a host or port BoneCare does not serve is refused before any layer answers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        check_host(request)
        return self.get_response(request)
