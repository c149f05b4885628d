"""The audio files and their word timings. Only readings of published articles are served."""

import hashlib

from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from content.delivery.api import schema
from content.delivery.api.audio_shapes import AudioWordsSerializer
from content.delivery.api.errors import ApiError, error_body
from content.delivery.api.ranges import Unsatisfiable, requested_range
from content.delivery.cache_policy import CONTENT as CACHE_CONTROL
from content.delivery.json_renderer import JSONRenderer
from content.models import ArticleStatus, AudioReading, TermPronunciation

HASH_PARAMETER = OpenApiParameter(
    "spoken_hash",
    {"type": "string", "pattern": "^[0-9a-f]{64}$", "minLength": 64, "maxLength": 64},
    OpenApiParameter.PATH,
    description="As in the `audio.url` of an article's detail or the `pronunciation.audio_url` of a glossary term.",
)
RANGE_PARAMETER = OpenApiParameter(
    "Range",
    {"type": "string", "maxLength": 100},
    OpenApiParameter.HEADER,
    description=(
        "One byte range, e.g. `bytes=0-1023`, `bytes=5000-` or `bytes=-1024`: answered 206 with that part. A range "
        "beyond the end is answered 416; a header of another form (several ranges) gets the whole file."
    ),
)
IF_RANGE_PARAMETER = OpenApiParameter(
    "If-Range", OpenApiTypes.STR, OpenApiParameter.HEADER,
    description="The ETag the client holds: the range is sent only if the file is still that one, else the whole file.",
)


def _header(name, description, responses=(200, 206, 304)):
    return OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.HEADER, response=list(responses),
                            description=description)


AUDIO_HEADERS = [
    _header("ETag", "The file's version; send it back in If-None-Match or If-Range."),
    _header("Accept-Ranges", "`bytes`: players may ask for parts of the file.", (200, 206)),
    _header("Content-Range", "Which bytes of the file a 206 holds, e.g. `bytes 0-1023/48000`; on a 416, the size "
            "(`bytes */48000`).", (206, 416)),
    _header("Cache-Control", "Explicit caching policy."),
]


def audio_not_found():
    return ApiError(
        "audio_not_found", _("No audio of a published article is at this address."),
        status_code=status.HTTP_404_NOT_FOUND,
    )


def published_reading(spoken_hash, *fields):
    reading = (
        AudioReading.objects.filter(spoken_hash=spoken_hash, rendition__variant__article__status=ArticleStatus.PUBLISHED)
        .only("id", "spoken_hash", "made_at", *fields)
        .order_by("id")
        .first()
    )
    if reading is None and "words" not in fields:  # a glossary term's pronunciation: a file, without word timings
        reading = (
            TermPronunciation.objects.filter(spoken_hash=spoken_hash).exclude(term__live={})
            .only("id", "spoken_hash", "made_at", *fields).order_by("id").first()
        )
    return reading


def reading_etag(reading, kind):
    return '"' + hashlib.sha256(f"{kind}\x1f{reading.spoken_hash}\x1f{reading.made_at.isoformat()}".encode()).hexdigest()[:32] + '"'


class AudioView(APIView):
    """The reading as MP3, whole or one byte range; errors in the API's JSON shape whatever Accept says."""

    renderer_classes = [JSONRenderer]

    def perform_content_negotiation(self, request, force=False):
        return JSONRenderer(), JSONRenderer.media_type  # the file itself is not rendered; only errors are

    @extend_schema(
        operation_id="audio_retrieve",
        summary="An article read aloud, or a glossary term's headword said (MP3)",
        tags=["audio"],
        parameters=[HASH_PARAMETER, RANGE_PARAMETER, IF_RANGE_PARAMETER, *schema.CONDITIONAL_PARAMETERS[:1],
                    *AUDIO_HEADERS],
        responses={
            (200, "audio/mpeg"): OpenApiResponse(OpenApiTypes.BINARY, description="The whole file."),
            (206, "audio/mpeg"): OpenApiResponse(OpenApiTypes.BINARY, description="The byte range asked for."),
            304: OpenApiResponse(None, description="Not modified: the ETag sent still matches."),
            404: schema.ERROR_404,
            416: OpenApiResponse(schema.ErrorSerializer, description="The range starts beyond the end of the file "
                                 "(code `range_not_satisfiable`); Content-Range says the size."),
        },
    )
    def get(self, request, spoken_hash, *args, **kwargs):
        reading = published_reading(spoken_hash, "data", "content_type", "size")
        if reading is None:
            raise audio_not_found()
        etag = reading_etag(reading, "audio")
        not_modified = get_conditional_response(request._request, etag=etag)
        if not_modified is not None:
            return _with_headers(not_modified, etag)
        data = bytes(reading.data)
        if_range = request.headers.get("If-Range")
        try:
            wanted = requested_range(request.headers.get("Range"), len(data)) if if_range in (None, etag) else None
        except Unsatisfiable:
            size = len(data)
            message = _("The range asked for is beyond the end of the file (%(size)d bytes).") % {"size": size}
            response = Response(
                error_body("range_not_satisfiable", message),
                status=status.HTTP_416_REQUESTED_RANGE_NOT_SATISFIABLE,
                headers={"Content-Range": f"bytes */{size}"},
            )
            return response
        if wanted is None:
            response = HttpResponse(data, content_type=reading.content_type)
        else:
            first, last = wanted
            response = HttpResponse(data[first:last + 1], content_type=reading.content_type, status=206)
            response["Content-Range"] = f"bytes {first}-{last}/{len(data)}"
        return _with_headers(response, etag)


def _with_headers(response, etag):
    response["ETag"] = etag
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = CACHE_CONTROL
    return response


class AudioWordsView(APIView):
    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="audio_words",
        summary="When each word of an article's audio is read (read-along)",
        tags=["audio"],
        description=(
            "Each word read, with its offsets into the served text of its block (or list item; block null is the "
            "title), in code points and UTF-16 code units as the glossary spans, and when it starts and ends in "
            "the audio, from eSpeak NG's own word events."
        ),
        parameters=[HASH_PARAMETER, *schema.CONDITIONAL_PARAMETERS[:1], *AUDIO_HEADERS[:1], AUDIO_HEADERS[3]],
        responses={200: AudioWordsSerializer, 304: OpenApiResponse(None, description="Not modified."),
                   404: schema.ERROR_404},
    )
    def get(self, request, spoken_hash, *args, **kwargs):
        reading = published_reading(spoken_hash, "words")
        if reading is None:
            raise audio_not_found()
        etag = reading_etag(reading, "words")
        not_modified = get_conditional_response(request._request, etag=etag)
        if not_modified is None:
            not_modified = Response({"words": reading.words})
        not_modified["ETag"] = etag
        not_modified["Cache-Control"] = CACHE_CONTROL
        return not_modified
