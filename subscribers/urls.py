from django.urls import path

from . import views

app_name = "subscribers"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("register/", views.register, name="register"),
    path("profile/", views.profile, name="profile"),
    path("members/", views.members, name="members"),
    path("members/<int:pk>/role/", views.member_role, name="member_role"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path(
        "members/invitations/<int:pk>/revoke/",
        views.invitation_cancel,
        name="invitation_revoke",
    ),
    path("invite/<str:token>/", views.invitation_accept_view, name="invitation_accept"),
    path("switch/", views.switch_subscriber, name="switch"),
    path("terms/", views.terms_latest, name="terms_latest"),
    path("terms/<int:pk>/", views.terms_detail, name="terms_detail"),
    path("terms/<int:pk>/dismiss/", views.terms_banner_dismiss, name="terms_dismiss"),
]
