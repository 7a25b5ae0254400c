from django.urls import path

from . import public_views

urlpatterns = [
    path("", public_views.index, name="index"),
    path("subscribe/", public_views.subscribe, name="subscribe"),
    path("confirm/<str:token>/", public_views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", public_views.unsubscribe, name="unsubscribe"),
]
