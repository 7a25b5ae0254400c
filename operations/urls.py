from django.urls import path

from . import views

app_name = "operations"
urlpatterns = [
    path("", views.statement, name="statement"),
    path("claim/", views.claim_new, name="claim_new"),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
]
