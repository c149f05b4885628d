"""The base of every v1 view: language and level negotiation, caching headers."""

import dataclasses

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from rest_framework.response import Response
from rest_framework.views import APIView

from content.delivery import cache_policy, compression, html_document, stored
from content.delivery.api.errors import ApiError, field_errors
from content.delivery.json_renderer import JSONRenderer
from content.delivery.negotiation import NegotiationError, negotiate
from content.languages import bcp47_tag



class NegotiatedView(APIView):
    """Negotiates once per request and states the outcome in headers.

    Each view's get() ends in `return self.answer(version, build)`: what its
    representation depends on, and how to build it; a matching If-None-Match
    or If-Modified-Since then answers 304 before anything is serialised.

    `cache_control` names the view's policy (content/delivery/cache_policy.py);
    its stored answers carry the same.
    """

    cache_control = cache_policy.CONTENT

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.etag = None
        self.last_modified = None
        self.private = False
        self.store_as = None
        self.store_version = None
        try:
            request.negotiated = negotiate(request.query_params, request.META.get("HTTP_ACCEPT_LANGUAGE"))
        except NegotiationError as exc:
            raise ApiError(exc.code, exc.message, details=exc.details) from exc
        translation.activate(request.negotiated.language)
        self.storable = stored.storage_key(request._request, self) if self.scope else None
        if self.storable is not None and self.storable.echo is not None:
            # Built once per language the header chose, with a mark where the body repeats the header; each
            # request gets its own header written in (finalize_response), as the front writes it into the row.
            request.negotiated = dataclasses.replace(request.negotiated, requested_language=stored.ECHO_MARK)

    # A view whose bodies are stored names its scope (content/delivery/answers/scopes.py): what its body depends
    # on. storable_parameters are the query parameters such a request may carry; a request that also names one of
    # held_parameters (what a reader types) is held in the process, never stored (stored.HeldAnswers); any other
    # (a filter, a preview token) means the body is built for that request alone. Tuples of names, not sets:
    # stored.storable_query is cached by them, and a key of strings is one the garbage collector stops tracking.
    scope = None
    storable_parameters = ("lang", "level")
    held_parameters = ()

    def scope_key(self):
        return self.scope.key(self.kwargs, self.request.query_params)

    def valid_parameters(self, serializer_class):
        """The view's own query parameters, validated by `serializer_class`, or a 400 `invalid_parameter`."""
        parameters = serializer_class(data=self.request.query_params)
        if not parameters.is_valid():
            raise ApiError(
                "invalid_parameter",
                _("One or more query parameters are invalid."),
                details={"fields": field_errors(parameters.errors)},
            )
        return parameters.validated_data

    def answer(self, version, build, last_modified=None):
        """The one way a view answers: a 304 (or 412) when the client has the body, else the body `build()` makes.

        `version` names all the body depends on besides the URL, which sets its
        ETag (one formula for every answer, stored or not: stored.etag_for).
        When the request is one whose body is stored (or held: a search), the
        body built here is stored under its key as it is rendered
        (finalize_response), and the front or the stored-answer lookup answers
        the next one. A body for this request alone (a filtered list) is built
        each time.
        """
        key = self.storable.key if self.storable else None
        scope = self.scope_key() if key else None
        # The day is in every ETag: notices about a source's age appear as time passes.
        today = timezone.localdate()
        if scope is None:
            # A body built for this request alone, named like a stored one by its URL and media type
            # (`application/json; indent=4` is another body than `application/json`); its version is all else it
            # depends on: the negotiation (with the Accept-Language it repeats) and the validators.
            key = f"{self.request.get_full_path()}#{self.request.accepted_media_type}"
            etag = stored.etag_for(key, repr((self.request.version, self.request.negotiated, *version.values())), today)
        else:
            self.store_as = (key, scope, today)
            self.store_version = stored.version_of(version)
            etag = stored.etag_for(key, self.store_version, today, self.storable.echo)
        self.etag = etag
        self.last_modified = last_modified
        # HTTP dates have whole seconds; compare at that precision.
        timestamp = int(last_modified.timestamp()) if last_modified else None
        not_modified = get_conditional_response(self.request._request, etag=etag, last_modified=timestamp)
        if not_modified is not None:
            return not_modified
        return Response(build())

    def finalize_response(self, request, response, *args, **kwargs):
        document = isinstance(getattr(request, "accepted_renderer", None), html_document.DocumentRenderer)
        if document and getattr(response, "status_code", 200) >= 400:
            # An error is the API's one JSON shape, whatever representation was asked for.
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        response = super().finalize_response(request, response, *args, **kwargs)
        if document and response.status_code == 200:
            response["Content-Type"], response["Content-Security-Policy"] = html_document.response_headers(
                request.accepted_media_type
            )
        negotiated = getattr(request, "negotiated", None)
        if negotiated is not None:
            served = getattr(self, "content_language", negotiated.language)
            response.headers.setdefault("Content-Language", bcp47_tag(served))
        patch_vary_headers(response, ["Accept", "Accept-Language"])
        if getattr(self, "private", False):
            response["Cache-Control"] = cache_policy.PRIVATE
        else:
            response["Cache-Control"] = cache_policy.for_answer(self.cache_control, response.status_code)
            if response.status_code in (200, 304):
                if self.etag:
                    response["ETag"] = self.etag
                if self.last_modified:
                    response["Last-Modified"] = http_date(self.last_modified.timestamp())
        if response.status_code == 200 and getattr(self, "store_as", None) and getattr(self, "store_version", None):
            # The body answer() just built, stored so the next request with this URL only looks it up.
            response.render()
            key, scope, today = self.store_as
            body_gzip = stored.store(
                key, scope, self.store_version, response.content, last_modified=self.last_modified, today=today,
                content_language=getattr(self, "content_language", self.request.negotiated.language),
                held=self.storable.held, compress=compression.accepts_gzip(request.META.get("HTTP_ACCEPT_ENCODING", "")),
            )
            if self.storable.echo is None:
                compression.send_compressed(request._request, response, body_gzip)
        storable = getattr(self, "storable", None)
        if storable is not None and storable.echo is not None and response.status_code == 200:
            response.render()
            response.content = stored.answer_for(response.content, storable.echo)
        return response
