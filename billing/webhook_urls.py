"""Machine callers with their own authentication (a signature), outside the panel's tenancy."""

from django.urls import path

from .webhook import payment_webhook
from .webhook_cloudpayments import notification

urlpatterns = [
    path("", payment_webhook, name="payment"),
    path("<slug:provider_code>/<slug:kind>/", notification, name="notification"),
]
