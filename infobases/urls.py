from django.urls import path

from subscribers.views import coming_soon

app_name = "infobases"
urlpatterns = [
    path("", coming_soon, {"section": "apps"}, name="index"),
    path("backups/", coming_soon, {"section": "backups"}, name="backups"),
]
