from django.urls import path

from . import webhooks

urlpatterns = [
    path("connect/", webhooks.connect_webhook, name="connect"),
    path("email/", webhooks.email_webhook, name="email"),
]
