"""gzip only for a client whose Accept-Encoding accepts it by its q-values, for built and stored answers alike.

Django's GZipMiddleware looks for the word `gzip` anywhere in the header, so
`gzip;q=0` (the client refuses gzip) got gzip; and the stored answers looked
for the substring, so `nogzip` did too. Both now ask `accepts_gzip`.

A body is compressed once, when it is built: the same bytes are stored and
sent to the client that asked (`send_compressed`). A body held in memory (a
search) is compressed when a client accepting gzip first asks for it.
"""

import gzip
from functools import lru_cache

from django.middleware import gzip as django_gzip
from django.utils.cache import patch_vary_headers


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


# Django's GZipMiddleware leaves a shorter body uncompressed, and its Vary without Accept-Encoding. A stored one is
# kept as it is in both columns, and sent the same way (content/delivery/api/stored_answers.py).
SHORTEST_COMPRESSED = 200
GZIP_MAGIC = b"\x1f\x8b"  # a JSON or HTML body never starts so


def compressed_form(body):
    """The body as sent to a client that accepts gzip: compressed, unless Django would leave it as it is."""
    return gzip.compress(body, compresslevel=6, mtime=0) if len(body) >= SHORTEST_COMPRESSED else body


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


def send_compressed(request, response, body_gzip):
    """Send the response's body compressed as GZipMiddleware would send what it compresses.

    `body_gzip` is that body compressed already, or None (a held answer for a client that does not accept
    gzip): a body built and stored in the same request is compressed once, for the store and for this client.
    """
    if len(response.content) < SHORTEST_COMPRESSED or response.has_header("Content-Encoding"):
        return  # too short to compress: GZipMiddleware leaves it as it is too
    patch_vary_headers(response, ("Accept-Encoding",))
    if not accepts_gzip(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        return
    body_gzip = body_gzip or compressed_form(response.content)
    response.content = body_gzip
    response.headers["Content-Length"] = str(len(body_gzip))
    etag = response.get("ETag")
    if etag and etag.startswith('"'):
        response.headers["ETag"] = "W/" + etag  # RFC 9110 8.8.1, as GZipMiddleware does
    response.headers["Content-Encoding"] = "gzip"
