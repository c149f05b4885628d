"""The v1 URLs without sync and bundle, as before those endpoints existed."""

from django.urls import include, path

from content.delivery.api import urls as api_urls

urlpatterns = [
    path(
        "api/<version>/",
        include([pattern for pattern in api_urls.urlpatterns if pattern.name not in {"sync", "bundle"}]),
    ),
]
