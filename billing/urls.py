from django.urls import path

from . import views

app_name = "billing"
urlpatterns = [
    path("", views.index, name="index"),
    path("tariffs/", views.tariffs, name="tariffs"),
    path("invoices/<int:pk>/pdf/", views.invoice_download, name="invoice_pdf"),
    path("statements/<int:pk>/pdf/", views.statement_download, name="statement_pdf"),
    path("terminate/", views.terminate, name="terminate"),
]
