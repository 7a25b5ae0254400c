from django.urls import path

from subscribers.views import coming_soon

app_name = "support"
urlpatterns = [
    path("", coming_soon, {"section": "support"}, name="index"),
]
