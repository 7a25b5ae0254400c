from django.urls import path

from .views import public

urlpatterns = [
    path("", public.catalog, name="catalog"),
    path("<slug:code>/", public.solution, name="solution"),
]
