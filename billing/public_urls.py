from django.urls import path

from .public import prices

urlpatterns = [path("", prices, name="prices")]
