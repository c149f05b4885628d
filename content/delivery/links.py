"""Links in the API's bodies: at the public address, by the URL's name, keeping the reader's language and level."""

from functools import lru_cache
from urllib.parse import urlencode

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from content.public_address import public_url

API_VERSION = "v1"


def negotiated_link(request, route, **kwargs):
    """The public URL of `route` with the request's negotiated `lang` and `level`, so following it serves the same."""
    negotiated = getattr(request, "negotiated", None) if request is not None else None
    wanted = (negotiated.language, negotiated.level) if negotiated is not None else None
    return public_url(_path(route, tuple(sorted(kwargs.items())), wanted, *reversing(request)))


def reversing(request):
    """(script prefix, URLconf) that reverse() would use, read once per request: with the negotiation and the
    public address, all a link depends on.

    Each is a context-local read costing more than the rest of a link, and a
    page of search results or a list has 20 to 50 links.
    """
    if request is None:
        return get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF
    try:
        return request.bonecare_reversing
    except AttributeError:
        request.bonecare_reversing = (get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
        return request.bonecare_reversing


@lru_cache(maxsize=4096)
def _path(route, kwargs, wanted, _script_prefix, _urlconf):
    # A list or a search links to the same few pages over and over; reversing each took longer than the rest of it.
    path = reverse(route, kwargs={"version": API_VERSION, **dict(kwargs)})
    if wanted is not None:
        path = f"{path}?{urlencode({'lang': wanted[0], 'level': wanted[1]})}"
    return path


def article_link(request, slug):
    return negotiated_link(request, "article-detail", slug=slug)


def term_link(request, slug):
    return negotiated_link(request, "glossary-detail", slug=slug)
