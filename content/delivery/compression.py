"""gzip only for a client whose Accept-Encoding accepts it by its q-values, for built and stored answers alike.

Django's GZipMiddleware looks for the word `gzip` anywhere in the header, so
`gzip;q=0` (the client refuses gzip) got gzip; and the stored answers looked
for the substring, so `nogzip` did too. Both now ask `accepts_gzip`.
"""

from functools import lru_cache

from django.middleware import gzip as django_gzip


@lru_cache(maxsize=1024)
def accepts_gzip(accept_encoding):
    """Whether an Accept-Encoding header value accepts gzip (RFC 9110 12.5.3): its q, else `*`'s, above 0."""
    weights = {}
    for item in accept_encoding.split(","):
        coding, *parameters = (part.strip() for part in item.split(";"))
        if not coding:
            continue
        weight = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value.strip())
                except ValueError:
                    weight = 0.0  # a q-value we cannot read accepts nothing
        weights.setdefault(coding.lower(), weight)
    weight = weights.get("gzip", weights.get("x-gzip", weights.get("*", 0.0)))
    return weight > 0


class GZipMiddleware(django_gzip.GZipMiddleware):
    """Django's, deciding by `accepts_gzip` instead of a search for the word."""

    def process_response(self, request, response):
        # Django's reads the header itself: it is shown the verdict for the length of that call.
        missing = object()
        sent = request.META.get("HTTP_ACCEPT_ENCODING", missing)
        request.META["HTTP_ACCEPT_ENCODING"] = "gzip" if sent is not missing and accepts_gzip(sent) else ""
        try:
            return super().process_response(request, response)
        finally:
            if sent is missing:
                del request.META["HTTP_ACCEPT_ENCODING"]
            else:
                request.META["HTTP_ACCEPT_ENCODING"] = sent
