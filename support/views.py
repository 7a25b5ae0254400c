"""The subscriber's support panel: tickets, conversation, knowledge base, 1C form tokens."""

from html import escape
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from infobases.access import infobases_visible_to
from onebuh.limits import limit_hit
from onebuh.listing import UrlPattern, WindowPage, choice_labels, local_datetimes
from onebuh.uploads import upload_limits
from subscribers.access import manager_required, member_required

from .access import (
    attachment_for_member,
    connect_clients_of_member,
    onec_token_for_manager,
    onec_tokens_visible_to,
    ticket_for_member,
)
from .attachments import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, attachment_response
from .forms import RatingForm, ReplyForm, TicketForm, TokenForm
from .models import Category, Channel, MessageAuthor, TicketStatus
from .selectors import articles_search, quota_usage, tickets_for_member
from .services import (
    connect_code_issue,
    onec_token_issue,
    onec_token_revoke,
    ticket_close,
    ticket_open,
    ticket_rate,
    ticket_reply,
)
from .templatetags.support_tags import STATUS_BADGES


def _attempt(request, action, success: str) -> None:
    """Run a service call; its refusal becomes an error message, its success a message."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@member_required
def index(request):
    # Only the columns the list shows (the texts and sender data stay in the database), as
    # plain rows: no model instances to build for cells made of text anyway.
    tickets = tickets_for_member(membership=request.membership).values(
        "pk", "subject", "category", "status", "opened_at", "reacted_at", "reaction_due_at"
    )
    page = WindowPage(tickets, request.GET.get("page"), 30)
    return render(
        request,
        "support/index.html",
        {
            "page": page,
            "rows": ticket_rows(page.object_list),
            "quotas": quota_usage(subscriber=request.membership.subscriber),
        },
    )


# One row of the ticket list, written here rather than in the template: 30 rows of ten template
# variables each were a fifth of the page's time (bench/profile_page.py, issue 16.4). The text
# cells (the subject, the labels) are escaped here; the others are digits, dates and our own
# URL and class names.
_TICKET_ROW = (
    '<tr><td class="mono">{pk}</td><td><a href="{url}">{subject}</a></td><td>{category}</td>'
    '<td><span class="badge {badge}">{status}</span></td><td>{opened}</td><td>{reaction}</td></tr>'
)


def ticket_rows(tickets) -> list[str]:
    """The list's rows as HTML: labels, dates and links computed once per page, not per row
    (onebuh.listing). `tickets`: rows of values() with the list's columns."""
    url = UrlPattern("support:ticket_detail")
    categories = {value: escape(label) for value, label in choice_labels(Category).items()}
    statuses = {value: escape(label) for value, label in choice_labels(TicketStatus).items()}
    answered = escape(_("answered"))
    when = local_datetimes()
    rows = []
    for ticket in tickets:
        pk, status = int(ticket["pk"]), ticket["status"]
        reacted = ticket["reacted_at"]
        rows.append(
            _TICKET_ROW.format(
                pk=pk,
                url=url(pk),
                subject=escape(ticket["subject"]),
                category=categories.get(ticket["category"]) or escape(ticket["category"]),
                badge=STATUS_BADGES.get(status, "info"),
                status=statuses.get(status) or escape(status),
                opened=when(ticket["opened_at"]),
                reaction=f'<span class="muted">{answered} {when(reacted)}</span>'
                if reacted
                else when(ticket["reaction_due_at"]),
            )
        )
    return [mark_safe(row) for row in rows]  # noqa: S308 — every text cell escaped above


# Each file is stopped at its limit while it streams in; the body at all the files plus the form.
attachment_upload_limits = upload_limits(
    request_bytes=MAX_ATTACHMENTS * MAX_ATTACHMENT_BYTES + 2**20, file_bytes=MAX_ATTACHMENT_BYTES
)


@member_required
@attachment_upload_limits
def ticket_create(request):
    membership = request.membership
    quotas = quota_usage(subscriber=membership.subscriber)
    form = TicketForm(
        request.POST or None,
        request.FILES or None,
        infobases=infobases_visible_to(membership=membership),
        quotas=quotas,
        initial={"category": request.GET.get("category")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Issue 18: 40 panel tickets in 1.5 s. Per person, panel and API together.
        limit_hit("ticket_member", request.user.pk)
        try:
            ticket = ticket_open(
                subscriber=membership.subscriber,
                opened_by=request.user,
                channel=Channel.WEB,
                category=data["category"],
                subject=data["subject"],
                text=data["text"],
                infobase=data["infobase"],
                attachments=data["attachments"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request, _("The ticket is opened. We will answer by the promised time.")
            )
            return redirect(ticket)
    return render(request, "support/ticket_form.html", {"form": form, "quotas": quotas})


@member_required
def ticket_detail(request, pk):
    ticket = ticket_for_member(membership=request.membership, pk=pk)
    conversation = (
        ticket.messages.filter(is_internal=False)
        .select_related("author")
        .prefetch_related("attachments")
    )
    answered = any(m.author_side == MessageAuthor.STAFF for m in conversation)
    return render(
        request,
        "support/ticket_detail.html",
        {
            "ticket": ticket,
            "conversation": conversation,
            "reply_form": ReplyForm(),
            "rating_form": RatingForm(initial={"rating": ticket.rating}) if answered else None,
        },
    )


@member_required
@require_POST
@attachment_upload_limits
def ticket_reply_view(request, pk):
    ticket = ticket_for_member(membership=request.membership, pk=pk)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        _attempt(
            request,
            lambda: ticket_reply(
                ticket=ticket,
                author=request.user,
                text=data["text"],
                attachments=data["attachments"],
                from_subscriber=True,
            ),
            _("The message is sent."),
        )
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect(ticket)


@member_required
@require_POST
def ticket_close_view(request, pk):
    ticket = ticket_for_member(membership=request.membership, pk=pk)
    _attempt(
        request, lambda: ticket_close(ticket=ticket, actor=request.user), _("The ticket is closed.")
    )
    return redirect(ticket)


@member_required
@require_POST
def ticket_rate_view(request, pk):
    ticket = ticket_for_member(membership=request.membership, pk=pk)
    form = RatingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        _attempt(
            request,
            lambda: ticket_rate(
                ticket=ticket, actor=request.user, rating=data["rating"], comment=data["comment"]
            ),
            _("Thank you for the rating."),
        )
    else:
        messages.error(request, _("Choose a rating from 1 to 5."))
    return redirect(ticket)


@member_required
def attachment_download(request, pk):
    attachment = attachment_for_member(membership=request.membership, pk=pk)
    return attachment_response(attachment)


def knowledge_base(request):
    """The knowledge base moved to the public help (issue 14); old links keep working."""
    target = reverse("support_public:index")
    query = request.GET.get("q", "").strip()
    return redirect(f"{target}?{urlencode({'q': query})}" if query else target)


def article_detail(request, pk):
    # Links to articles in answers sent before the help became public.
    return redirect("support_public:article", pk=pk)


@member_required
def article_suggest(request):
    """4.3: the ticket form suggests articles while the subject is typed."""
    query = request.GET.get("q", "").strip()
    articles = articles_search(query=query, limit=5, any_word=True) if len(query) >= 3 else []
    return JsonResponse(
        {"articles": [{"title": a.title, "url": a.get_absolute_url()} for a in articles]}
    )


@manager_required
def tokens(request):
    membership = request.membership
    form = TokenForm(request.POST or None, infobases=infobases_visible_to(membership=membership))
    raw = None
    if request.method == "POST" and form.is_valid():
        _token, raw = onec_token_issue(infobase=form.cleaned_data["infobase"], actor=request.user)
        messages.success(request, _("The token is issued. Copy it now: it is shown only once."))
    token_list = onec_tokens_visible_to(membership=membership).select_related("infobase")
    return render(
        request, "support/tokens.html", {"form": form, "tokens": token_list, "raw_token": raw}
    )


@manager_required
@require_POST
def token_revoke(request, pk):
    token = onec_token_for_manager(membership=request.membership, pk=pk)
    try:
        onec_token_revoke(token=token, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The token is revoked: the 1C form can no longer send with it.")
        )
    return redirect("support:tokens")


@member_required
def connect_binding(request):
    """1C-Connect (issue 11): the member gets a one-time code to send in the 1C-Connect chat, so
    that chat acts in the member's name; the clients bound to the member are listed."""
    membership = request.membership
    code = None
    if request.method == "POST":
        code = connect_code_issue(member=request.user, subscriber=membership.subscriber)
        messages.success(request, _("Send this code in the 1C-Connect chat within 30 minutes."))
    clients = connect_clients_of_member(membership=membership)
    return render(request, "support/connect.html", {"code": code, "clients": clients})
