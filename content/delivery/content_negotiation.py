"""Which renderer answers a request, and as which media type: DRF's own content negotiation, worked out once per
Accept header, format and renderers (apps send the same few), not once per request."""

from functools import lru_cache
from types import SimpleNamespace

from django.http import Http404
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation


class RememberedContentNegotiation(DefaultContentNegotiation):
    """DefaultContentNegotiation's choice, remembered; a request it refuses is refused by it again (406 or 404)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        override = self.settings.URL_FORMAT_OVERRIDE
        format = format_suffix or (request.query_params.get(override) if override else None)
        chosen = chosen_renderer(request.META.get("HTTP_ACCEPT"), format, tuple(type(renderer) for renderer in renderers))
        if chosen is None:
            return super().select_renderer(request, renderers, format_suffix)
        index, media_type = chosen
        return renderers[index], media_type


@lru_cache(maxsize=1024)
def chosen_renderer(accept, format, renderer_classes):
    """(index in `renderer_classes`, media type) DRF chooses for this Accept header (None: absent) and format, or
    None when it refuses it."""
    request = SimpleNamespace(query_params={}, headers={} if accept is None else {"accept": accept})
    renderers = [renderer_class() for renderer_class in renderer_classes]
    try:
        renderer, media_type = DefaultContentNegotiation().select_renderer(request, renderers, format or None)
    except (NotAcceptable, Http404):
        return None
    return renderers.index(renderer), media_type
