from django.urls import path

from . import public_views

urlpatterns = [
    path("", public_views.help_index, name="index"),
    path("<int:pk>/", public_views.help_article, name="article"),
]
