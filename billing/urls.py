from django.urls import path

from . import views, views_pay

app_name = "billing"
urlpatterns = [
    path("", views.index, name="index"),
    path("tariffs/", views.tariffs, name="tariffs"),
    path("invoices/<int:pk>/pdf/", views.invoice_download, name="invoice_pdf"),
    path("invoices/<int:pk>/act/", views.act_download, name="act_pdf"),
    path("statements/<int:pk>/pdf/", views.statement_download, name="statement_pdf"),
    path("terminate/", views.terminate, name="terminate"),
    path("pay/", views_pay.pay, name="pay"),
    path("promised-payment/", views.promised_payment, name="promised_payment"),
    path("invoices/<int:pk>/pay/", views_pay.invoice_pay, name="invoice_pay"),
    path("pay/sandbox/<int:pk>/", views_pay.pay_sandbox, name="pay_sandbox"),
]
