"""Links in the API's bodies: at the public address, by the URL's name, keeping the reader's language and level."""

from urllib.parse import urlencode

from django.urls import reverse

from content.public_address import public_url

API_VERSION = "v1"


def negotiated_link(request, route, **kwargs):
    """The public URL of `route` with the request's negotiated `lang` and `level`, so following it serves the same."""
    path = reverse(route, kwargs={"version": API_VERSION, **kwargs})
    negotiated = getattr(request, "negotiated", None) if request is not None else None
    if negotiated is not None:
        path = f"{path}?{urlencode({'lang': negotiated.language, 'level': negotiated.level})}"
    return public_url(path)


def article_link(request, slug):
    return negotiated_link(request, "article-detail", slug=slug)


def term_link(request, slug):
    return negotiated_link(request, "glossary-detail", slug=slug)
