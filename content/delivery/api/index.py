"""GET /api/v1/: where everything is, so a client needs to know one address."""

from django.urls import NoReverseMatch, reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from content.public_address import public_url

# (key in the answer, URL name). An endpoint whose URL is not installed is left out.
ENDPOINTS = [
    ("articles", "article-list"),
    ("glossary", "glossary-list"),
    ("languages", "language-list"),
    ("topics", "topic-list"),
    ("search", "search"),
    ("sync", "sync"),
    ("bundle", "bundle"),
    ("schema", "schema"),
    ("docs", "swagger-ui"),
    ("redoc", "redoc"),
]


def endpoint_links(request):
    """{key: absolute URL at the public address} of every endpoint of the request's version that exists."""
    links = {}
    for key, name in ENDPOINTS:
        try:
            links[key] = public_url(reverse(name, kwargs={"version": request.version}))
        except NoReverseMatch:
            continue
    return links


class ApiIndexSerializer(serializers.Serializer):
    articles = serializers.URLField(help_text="Published articles, paginated.")
    glossary = serializers.URLField(help_text="Glossary terms, paginated.")
    languages = serializers.URLField(help_text="Content languages and how much is available in each.")
    topics = serializers.URLField(help_text="Topics to filter articles by.")
    search = serializers.URLField(
        required=False, help_text="Articles and glossary terms by words, in the served language (`?q=`)."
    )
    sync = serializers.URLField(required=False, help_text="Changes since a point in time, for offline copies.")
    bundle = serializers.URLField(required=False, help_text="Everything an app needs offline, in one download.")
    schema = serializers.URLField(help_text="This OpenAPI schema.")
    docs = serializers.URLField(help_text="Interactive documentation (Swagger UI).")
    redoc = serializers.URLField(help_text="Reference documentation (Redoc).")


class ApiIndexView(APIView):
    @extend_schema(
        operation_id="api_index",
        summary="Every v1 endpoint, linked",
        tags=["reference"],
        description="Absolute links to each endpoint of this version, so a client starts from one address.",
        responses={200: ApiIndexSerializer},
    )
    def get(self, request, *args, **kwargs):
        return Response(endpoint_links(request))
