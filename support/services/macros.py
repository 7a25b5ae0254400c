"""Applying a staff macro: its reply, status and assignee in one transaction, each through the
service a person would use by hand (the reply's email goes through the outbox and is audited as
any reply), plus one audit row naming the macro."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from subscribers.audit import audit_record
from subscribers.audit_actions import AuditAction

from .. import macros
from ..models import Macro, MacroAssignee, MacroStatus, Ticket
from .state import ticket_accept, ticket_assign, ticket_await_subscriber, ticket_close
from .tickets import ticket_reply


def macro_render(*, macro: Macro, ticket: Ticket, actor) -> str:
    return macros.render(macro.body, ticket=ticket, actor=actor).strip()


def macro_assignee_for(*, macro: Macro, ticket: Ticket, actor):
    """The assignee the macro leaves on the ticket."""
    if macro.assignee_rule == MacroAssignee.ME:
        return actor
    if macro.assignee_rule == MacroAssignee.USER:
        return macro.assignee
    return ticket.assignee


@transaction.atomic
def ticket_macro_apply(*, ticket: Ticket, macro: Macro, actor) -> Ticket:
    """Reply, then assign, then set the status; a refusal of any step undoes them all."""
    if not macro.is_active:
        raise ValidationError(_("This macro is switched off."))
    text = macro_render(macro=macro, ticket=ticket, actor=actor)
    message = ticket_reply(ticket=ticket, author=actor, text=text)
    ticket = Ticket.objects.select_related("subscriber", "assignee").get(pk=ticket.pk)
    assignee = macro_assignee_for(macro=macro, ticket=ticket, actor=actor)
    if macro.assignee_rule != MacroAssignee.UNCHANGED and assignee != ticket.assignee:
        ticket = ticket_assign(
            ticket=ticket, actor=actor, assignee=assignee, partner_firm=ticket.partner_firm
        )
    if macro.set_status == MacroStatus.IN_PROGRESS:
        ticket = ticket_accept(ticket=ticket, actor=actor)
    elif macro.set_status == MacroStatus.WAITING:
        ticket = ticket_await_subscriber(ticket=ticket, actor=actor)
    elif macro.set_status == MacroStatus.CLOSED:
        ticket = ticket_close(ticket=ticket, actor=actor)
    audit_record(
        action=AuditAction.TICKET_MACRO,
        subscriber=ticket.subscriber,
        actor=actor,
        target=ticket,
        data={"macro": macro.pk, "name": macro.name, "message": message.pk},
    )
    return ticket
