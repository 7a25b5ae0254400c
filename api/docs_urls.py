"""The OpenAPI schema and its documentation pages, served from local static files (sidecar)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api_public:schema"), name="swagger"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api_public:schema"), name="redoc"),
]
