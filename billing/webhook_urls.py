"""Machine callers with their own authentication (a signature), outside the panel's tenancy."""

from django.urls import path

from .webhook import payment_webhook

urlpatterns = [path("", payment_webhook, name="payment")]
