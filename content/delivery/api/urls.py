from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from content.delivery.api import audio_views, views
from content.delivery.cache_policy import CONTENT, with_policy
from content.delivery.api.index import ApiIndexView
from content.delivery.api.infobutton_view import InfobuttonView

urlpatterns = [
    path("", with_policy(CONTENT)(ApiIndexView.as_view()), name="api-index"),
    path("articles/", views.ArticleListView.as_view(), name="article-list"),
    # Any text is accepted as a slug so that a malformed one gets the API's 404, not Django's HTML page.
    re_path(r"^articles/(?P<slug>[^/]+)/$", views.ArticleDetailView.as_view(), name="article-detail"),
    path("languages/", views.LanguageListView.as_view(), name="language-list"),
    path("topics/", views.TopicListView.as_view(), name="topic-list"),
    path("glossary/", views.GlossaryListView.as_view(), name="glossary-list"),
    re_path(r"^glossary/(?P<slug>[^/]+)/$", views.GlossaryDetailView.as_view(), name="glossary-detail"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("search/suggest/", views.SuggestView.as_view(), name="search-suggest"),
    path("sync/", views.SyncView.as_view(), name="sync"),
    path("bundle/", views.BundleView.as_view(), name="bundle"),
    re_path(r"^audio/(?P<spoken_hash>[0-9a-f]{64})\.mp3$", audio_views.AudioView.as_view(), name="audio"),
    re_path(r"^audio/(?P<spoken_hash>[0-9a-f]{64})/words/$", audio_views.AudioWordsView.as_view(), name="audio-words"),
    path("infobutton/", InfobuttonView.as_view(), name="infobutton"),
    path("schema/", with_policy(CONTENT)(SpectacularAPIView.as_view(api_version="v1")), name="schema"),
    # The split view serves Swagger UI's start-up script as a file (?script), so the page's CSP needs no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
]
