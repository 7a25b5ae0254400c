"""The subscriber's compensation pages in the control panel (9.1, 9.3)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from billing.selectors import balances_for
from subscribers.access import billing_required

from .access import claim_for_member, claims_visible_to, credits_visible_to
from .forms import ClaimForm
from .models import CompensationCredit
from .services import claim_file


def _bonus_balance(subscriber):
    return balances_for(subscriber=subscriber)[1]


@billing_required
def statement(request):
    """The compensation statement: claims, credited amounts and the bonus balance."""
    subscriber = request.membership.subscriber
    claims = claims_visible_to(membership=request.membership).select_related("credit")
    credits = credits_visible_to(membership=request.membership).select_related("claim")
    return render(
        request,
        "operations/statement.html",
        {
            "claims": claims,
            "credits": credits,
            "credited_total": credits.aggregate(total=Sum("amount"))["total"] or 0,
            "bonus_balance": _bonus_balance(subscriber),
        },
    )


@billing_required
def claim_new(request):
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            claim = claim_file(
                subscriber=request.membership.subscriber,
                opened_by=request.user,
                downtime_date=form.cleaned_data["downtime_date"],
                claimed_downtime=form.cleaned_data["claimed_downtime"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("Your claim is filed as ticket #%(ticket)s. We compare it with our data.")
                % {"ticket": claim.ticket_id},
            )
            return redirect(claim)
    return render(request, "operations/claim_form.html", {"form": form})


@billing_required
def claim_detail(request, pk):
    claim = claim_for_member(membership=request.membership, pk=pk)
    credit = CompensationCredit.objects.filter(claim=claim).first()
    return render(request, "operations/claim_detail.html", {"claim": claim, "credit": credit})
