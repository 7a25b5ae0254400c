from django.urls import path

from subscribers.views import coming_soon

app_name = "billing"
urlpatterns = [
    path("", coming_soon, {"section": "billing"}, name="index"),
]
