from django.urls import path

from . import panel_views

app_name = "apitokens"
urlpatterns = [
    path("", panel_views.index, name="index"),
    path("<int:pk>/revoke/", panel_views.revoke, name="revoke"),
]
