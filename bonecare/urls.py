from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from content.terms_page import terms_page

handler400 = "content.delivery.api.errors.json_bad_request"
handler404 = "content.delivery.api.errors.json_not_found"
handler500 = "content.delivery.api.errors.json_server_error"

urlpatterns = [
    path("", RedirectView.as_view(url="/api/v1/docs/", permanent=False)),
    path("admin/", admin.site.urls),
    path("terms/", terms_page, name="terms"),
    path("api/<version>/", include("content.delivery.api.urls")),
]
