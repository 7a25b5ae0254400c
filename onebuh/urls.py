from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("subscribers.urls")),
    path("apps/", include("infobases.urls")),
    path("solutions/", include(("infobases.public_urls", "infobases_public"))),
    path("billing/", include("billing.urls")),
    path("support/", include("support.urls")),
    path("compensation/", include("operations.urls")),
    path("status/", include(("operations.public_urls", "operations_public"))),
    path("api/1c/", include(("support.api_urls", "support_api"))),
    path("webhooks/support/", include(("support.webhook_urls", "support_webhooks"))),
    path("webhooks/payments/", include(("billing.webhook_urls", "billing_webhooks"))),
    path("favicon.ico", RedirectView.as_view(url="/static/img/favicon.svg", permanent=True)),
]
