from django.urls import path

from . import views

app_name = "support"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.ticket_create, name="ticket_create"),
    path("<int:pk>/", views.ticket_detail, name="ticket_detail"),
    path("<int:pk>/reply/", views.ticket_reply_view, name="ticket_reply"),
    path("<int:pk>/close/", views.ticket_close_view, name="ticket_close"),
    path("<int:pk>/rate/", views.ticket_rate_view, name="ticket_rate"),
    path("files/<int:pk>/", views.attachment_download, name="attachment"),
    path("kb/", views.knowledge_base, name="kb"),
    path("kb/<int:pk>/", views.article_detail, name="article"),
    path("kb/suggest/", views.article_suggest, name="article_suggest"),
    path("1c-form/", views.tokens, name="tokens"),
    path("1c-connect/", views.connect_binding, name="connect"),
    path("1c-form/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
