from django.contrib import admin
from django.urls import include, path, reverse_lazy
from django.views.generic import RedirectView

from onebuh.metrics import metrics_view
from onebuh.views import healthz, readyz

urlpatterns = [
    # Staff sign in through allauth, which asks for the second factor; the admin's own login form
    # checks only the password and would skip it.
    path(
        "admin/login/",
        RedirectView.as_view(url=reverse_lazy("account_login"), query_string=True),
        name="admin_login_redirect",
    ),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("subscribers.urls")),
    path("apps/", include("infobases.urls")),
    path("solutions/", include(("infobases.public_urls", "infobases_public"))),
    path("billing/", include("billing.urls")),
    path("prices/", include(("billing.public_urls", "billing_public"))),
    path("support/", include("support.urls")),
    path("help/", include(("support.public_urls", "support_public"))),
    path("compensation/", include("operations.urls")),
    path("status/", include(("operations.public_urls", "operations_public"))),
    path("api/1c/", include(("support.api_urls", "support_api"))),
    path("api/v1/", include(("api.urls", "v1_api"))),
    path("api/", include(("api.docs_urls", "api_public"))),
    path("api-tokens/", include("api.panel_urls")),
    path("webhooks/support/", include(("support.webhook_urls", "support_webhooks"))),
    path("webhooks/payments/", include(("billing.webhook_urls", "billing_webhooks"))),
    path("favicon.ico", RedirectView.as_view(url="/static/img/favicon.svg", permanent=True)),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics_view, name="metrics"),
]
