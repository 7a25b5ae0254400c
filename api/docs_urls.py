"""/api/: the landing page, the OpenAPI schema and its documentation pages (Swagger UI and Redoc
from local static files, drf-spectacular-sidecar)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from .docs_views import landing

urlpatterns = [
    path("", landing, name="index"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerView.as_view(
            url_name="api_public:schema", title=_("ONEbuh API: Swagger UI")
        ),
        name="swagger",
    ),
    path(
        "redoc/",
        SpectacularRedocView.as_view(url_name="api_public:schema", title=_("ONEbuh API: Redoc")),
        name="redoc",
    ),
]
