"""The project's URLs plus one named `sync`, as the sync endpoint will add it."""

from django.urls import path
from rest_framework.views import APIView

from bonecare.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("api/<version>/sync/", APIView.as_view(), name="sync"),
    *project_urlpatterns,
]
