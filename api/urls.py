"""/api/v1/ (namespace "v1_api"): the control panel's features for the subscriber's integrations."""

from django.urls import path, re_path

from .views import backups, billing, infobases, operations, subscribers, support
from .views.base import NotFoundApi

urlpatterns = [
    path("me/", subscribers.MeApi.as_view(), name="me"),
    path("subscriber/", subscribers.SubscriberApi.as_view(), name="subscriber"),
    path("members/", subscribers.MemberListApi.as_view(), name="members"),
    path("members/<int:pk>/", subscribers.MemberDetailApi.as_view(), name="member_detail"),
    path("invitations/", subscribers.InvitationListApi.as_view(), name="invitations"),
    path(
        "invitations/<int:pk>/",
        subscribers.InvitationDetailApi.as_view(),
        name="invitation_detail",
    ),
    path("solutions/", infobases.SolutionListApi.as_view(), name="solutions"),
    path("infobases/", infobases.InfobaseListApi.as_view(), name="infobases"),
    path("infobases/<int:pk>/", infobases.InfobaseDetailApi.as_view(), name="infobase_detail"),
    path("infobases/<int:pk>/sessions/", infobases.SessionListApi.as_view(), name="sessions"),
    path(
        "infobases/<int:pk>/sessions/<str:session_id>/end/",
        infobases.SessionEndApi.as_view(),
        name="session_end",
    ),
    path("access/", infobases.AccessListApi.as_view(), name="access"),
    path("access/<int:pk>/", infobases.AccessDetailApi.as_view(), name="access_detail"),
    path("backups/", backups.BackupListApi.as_view(), name="backups"),
    path("backups/<int:pk>/download-link/", backups.BackupLinkApi.as_view(), name="backup_link"),
    path("backups/<int:pk>/restore/", backups.BackupRestoreApi.as_view(), name="backup_restore"),
    path("backups/files/<str:token>/", backups.BackupFileApi.as_view(), name="backup_file"),
    path("tickets/", support.TicketListApi.as_view(), name="tickets"),
    path("tickets/quotas/", support.QuotaApi.as_view(), name="ticket_quotas"),
    path("tickets/<int:pk>/", support.TicketDetailApi.as_view(), name="ticket_detail"),
    path("tickets/<int:pk>/replies/", support.TicketReplyApi.as_view(), name="ticket_reply"),
    path("tickets/<int:pk>/close/", support.TicketCloseApi.as_view(), name="ticket_close"),
    path("tickets/<int:pk>/rating/", support.TicketRatingApi.as_view(), name="ticket_rating"),
    path("attachments/<int:pk>/", support.AttachmentApi.as_view(), name="attachment"),
    path("invoices/", billing.InvoiceListApi.as_view(), name="invoices"),
    path("invoices/<int:pk>/", billing.InvoiceDetailApi.as_view(), name="invoice_detail"),
    path("invoices/<int:pk>/pdf/", billing.InvoicePdfApi.as_view(), name="invoice_pdf"),
    path("ledger/", billing.LedgerApi.as_view(), name="ledger"),
    path("balances/", billing.BalancesApi.as_view(), name="balances"),
    path("compensation/claims/", operations.ClaimListApi.as_view(), name="claims"),
    path(
        "compensation/claims/<int:pk>/",
        operations.ClaimDetailApi.as_view(),
        name="claim_detail",
    ),
    path("status/", operations.StatusApi.as_view(), name="status"),
    # Last: a wrong id type or an unknown path still gets the API's JSON 404.
    re_path(r"^", NotFoundApi.as_view()),
]
