from django.urls import path

from .api import TicketCreateApi

urlpatterns = [
    path("tickets/", TicketCreateApi.as_view(), name="ticket_create"),
]
