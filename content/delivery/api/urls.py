from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from content.delivery.api import views
from content.delivery.api.index import ApiIndexView

urlpatterns = [
    path("", ApiIndexView.as_view(), name="api-index"),
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
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    # The split view serves Swagger UI's start-up script as a file (?script), so the page's CSP needs no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
]
