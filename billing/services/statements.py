"""Bank statement import: each credit to the operator's own account is matched to a subscriber
by the invoice number in the purpose, then by the payer's БИН/ИИН, and credited through
`payments_record_many`; what cannot be matched waits for the accountant (StatementLine)."""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import (
    BankStatement,
    Invoice,
    LineProblem,
    LineStatus,
    PaymentMethod,
    StatementLine,
    StatementStatus,
)
from billing.statements import StatementError, StatementLineData, parse_statement
from billing.statements.common import decode
from onebuh.dates import at_time
from subscribers.audit import audit_record
from subscribers.audit_actions import AuditAction
from subscribers.models import Subscriber

from .payments import IncomingPayment, payer_key_for, payment_record, payments_record_many

BATCH = 1000
PREVIEW_LINES = 500
# "Счёт на оплату № 000123", "по счету 123", "invoice #123", "сч. № 12".
INVOICE_IN_PURPOSE = re.compile(
    r"(?:сч[её]т\w*|сч\.|инвойс\w*|invoice)\s*(?:на\s+оплату\s*)?(?:№|N|No\.?|#)?\s*(\d{1,12})",
    re.IGNORECASE,
)
NUMBER_SIGN = re.compile(r"№\s*(\d{1,12})")


class Outcome:
    CREDITED = "credited"
    KNOWN = "known"
    WAITING = "waiting"
    IGNORED = "ignored"
    REJECTED = "rejected"


@dataclass(eq=False)
class LinePlan:
    line: StatementLineData
    outcome: str = ""
    subscriber_id: int | None = None
    problem: str = ""
    reason: str = ""
    candidates: tuple = ()


def invoice_numbers_in(purpose: str) -> set[int]:
    found = {int(n) for n in INVOICE_IN_PURPOSE.findall(purpose)}
    return found or {int(n) for n in NUMBER_SIGN.findall(purpose)}


def _reject_reason(line: StatementLineData, today: datetime.date) -> str:
    if line.currency.upper() not in ("KZT", "398"):
        return _("Currency %(currency)s: only tenge is accepted.") % {"currency": line.currency}
    if line.amount <= 0:
        return _("The amount is zero.")
    if line.date > today + datetime.timedelta(days=1):
        return _("The document date %(date)s is in the future.") % {"date": f"{line.date:%d.%m.%Y}"}
    return ""


def _classify(lines: list[StatementLineData], today: datetime.date) -> list[LinePlan]:
    own = {a.strip().upper() for a in settings.ONEBUH_OPERATOR_ACCOUNTS}
    plans = [LinePlan(line) for line in lines]
    for plan in plans:
        line = plan.line
        if not line.is_credit:
            plan.outcome, plan.reason = Outcome.IGNORED, _("A debit")
        elif line.account not in own:
            plan.outcome, plan.reason = (
                Outcome.IGNORED,
                _("Another account: %(account)s") % {"account": line.account},
            )
        elif reason := _reject_reason(line, today):
            plan.outcome, plan.reason = Outcome.REJECTED, reason
    _match(plans=[p for p in plans if not p.outcome])
    return plans


def _match(*, plans: list[LinePlan]) -> None:
    """Two queries for any number of lines: invoices by number, subscribers by tax number."""
    numbers = {plan: invoice_numbers_in(plan.line.purpose) for plan in plans}
    wanted = set().union(*numbers.values()) if numbers else set()
    invoice_owner = dict(
        Invoice.objects.filter(number__in=wanted).values_list("number", "subscriber_id")
    )
    taxes = {p.line.payer_tax_id for p in plans if p.line.payer_tax_id}
    by_tax = defaultdict(set)
    for pk, bin_, iin in Subscriber.objects.filter(Q(bin__in=taxes) | Q(iin__in=taxes)).values_list(
        "pk", "bin", "iin"
    ):
        by_tax[bin_ or iin].add(pk)
    for plan in plans:
        owners = {invoice_owner[n] for n in numbers[plan] if n in invoice_owner}
        if not owners and plan.line.payer_tax_id:
            owners = by_tax.get(plan.line.payer_tax_id, set())
        if len(owners) == 1:
            plan.subscriber_id = next(iter(owners))
        else:
            plan.outcome = Outcome.WAITING
            plan.problem = LineProblem.AMBIGUOUS if owners else LineProblem.UNMATCHED
            plan.candidates = tuple(sorted(owners))


def _waiting_key(line: StatementLineData) -> str:
    if line.payer_tax_id:
        return line.payer_tax_id
    return (f"account:{line.payer_account}" if line.payer_account else f"name:{line.payer_name}")[
        :40
    ]


def _credit(*, plans: list[LinePlan], statement: BankStatement | None, actor, now) -> None:
    matched = [p for p in plans if p.subscriber_id is not None and not p.outcome]
    for start in range(0, len(matched), BATCH):
        batch = matched[start : start + BATCH]
        subscribers = Subscriber.objects.in_bulk({p.subscriber_id for p in batch})
        items = [_incoming(p, subscribers[p.subscriber_id], statement) for p in batch]
        source = {"statement": statement.pk} if statement is not None else {}
        results = payments_record_many(items=items, actor=actor, now=now, source=source)
        for plan, (_payment, created) in zip(batch, results, strict=True):
            plan.outcome = Outcome.CREDITED if created else Outcome.KNOWN


def _incoming(plan: LinePlan, subscriber: Subscriber, statement) -> IncomingPayment:
    line = plan.line
    received_on = line.received_on or line.date
    return IncomingPayment(
        subscriber_id=subscriber.pk,
        amount=line.amount,
        method=PaymentMethod.BANK_TRANSFER,
        external_id=line.number,
        payer_key=payer_key_for(tax_id=line.payer_tax_id, subscriber=subscriber),
        document_date=line.date,
        received_at=_noon(received_on),
        payload={
            "statement": statement.pk if statement is not None else None,
            "line": line.line_no,
            "payer": line.payer_name[:255],
            "payer_tax_id": line.payer_tax_id,
            "purpose": line.purpose[:500],
            **line.details,
        },
        comment=line.purpose[:500],
    )


def _noon(day: datetime.date) -> datetime.datetime:
    # A statement gives the day only; noon keeps the day the same in any time zone we show.
    return at_time(day, datetime.time(12, 0))


def _queue(*, plans: list[LinePlan], statement: BankStatement) -> None:
    waiting = [p for p in plans if p.outcome == Outcome.WAITING]
    if not waiting:
        return
    keys = {(_waiting_key(p.line), p.line.number, p.line.date, p.line.amount) for p in waiting}
    known = set(
        StatementLine.objects.filter(
            payer_key__in={k[0] for k in keys}, document_number__in={k[1] for k in keys}
        ).values_list("payer_key", "document_number", "document_date", "amount")
    )
    rows = {}
    for plan in waiting:
        line = plan.line
        key = (_waiting_key(line), line.number, line.date, line.amount)
        if key in known or key in rows:
            plan.outcome = Outcome.KNOWN
            continue
        rows[key] = StatementLine(
            statement=statement,
            line_no=line.line_no,
            document_number=line.number,
            document_date=line.date,
            amount=line.amount,
            payer_name=line.payer_name[:255],
            payer_tax_id=line.payer_tax_id,
            payer_account=line.payer_account[:34],
            payer_key=key[0],
            purpose=line.purpose,
            received_on=line.received_on or line.date,
            problem=plan.problem,
            candidates=list(plan.candidates),
        )
    StatementLine.objects.bulk_create(list(rows.values()), batch_size=BATCH)


def _summary(plans: list[LinePlan], parsed) -> dict:
    counts = defaultdict(int)
    credited_total = 0
    for plan in plans:
        counts[plan.outcome] += 1
        if plan.outcome == Outcome.CREDITED:
            credited_total += plan.line.amount
    names = dict(
        Subscriber.objects.filter(
            pk__in={p.subscriber_id for p in plans[:PREVIEW_LINES] if p.subscriber_id}
        ).values_list("pk", "name")
    )
    return {
        "format": parsed.file_format,
        "accounts": parsed.accounts,
        "lines": len(plans),
        "credited": counts[Outcome.CREDITED],
        "credited_amount": str(credited_total),
        "known": counts[Outcome.KNOWN],
        "waiting": counts[Outcome.WAITING],
        "ignored": counts[Outcome.IGNORED],
        "rejected": [
            {"line": p.line.line_no, "number": p.line.number, "reason": p.reason}
            for p in plans
            if p.outcome == Outcome.REJECTED
        ],
        "preview": [
            {
                "line": p.line.line_no,
                "number": p.line.number,
                "date": f"{p.line.date:%d.%m.%Y}",
                "amount": str(p.line.amount),
                "payer": p.line.payer_name[:80],
                "outcome": p.outcome,
                "subscriber": names.get(p.subscriber_id, "") if p.subscriber_id else "",
                "note": p.reason or p.problem,
            }
            for p in plans[:PREVIEW_LINES]
        ],
    }


def _parse(raw: bytes):
    try:
        return parse_statement(raw)
    except StatementError as error:
        raise ValidationError(error.message) from error


@transaction.atomic
def statement_upload(*, raw: bytes, file_name: str, actor, preview: bool = True) -> BankStatement:
    """Read the file and show what an import would do (run and rolled back): nothing is credited
    until `statement_import`."""
    parsed = _parse(raw)
    statement = BankStatement.objects.create(
        file_name=file_name[:255],
        file_format=parsed.file_format,
        content=decode(raw),
        uploaded_by=actor,
    )
    if preview:
        statement.summary = _dry_run(parsed=parsed, statement=statement, actor=actor)
        statement.save(update_fields=["summary"])
    return statement


def _dry_run(*, parsed, statement, actor) -> dict:
    with transaction.atomic():
        summary = _run(parsed=parsed, statement=statement, actor=actor)
        transaction.set_rollback(True)
    return summary


def _run(*, parsed, statement, actor) -> dict:
    now = timezone.now()
    plans = _classify(parsed.lines, timezone.localdate(now))
    _credit(plans=plans, statement=statement, actor=actor, now=now)
    _queue(plans=plans, statement=statement)
    return _summary(plans, parsed)


@transaction.atomic
def statement_import(*, statement: BankStatement, actor) -> dict:
    """Credit a previewed statement. Importing the same or an overlapping statement again
    credits nothing twice (payment identities) and queues nothing twice."""
    statement = BankStatement.objects.select_for_update().get(pk=statement.pk)
    if statement.status == StatementStatus.IMPORTED:
        raise ValidationError(_("This statement is already imported."))
    parsed = _parse(statement.content.encode("utf-8"))
    summary = _run(parsed=parsed, statement=statement, actor=actor)
    statement.status, statement.imported_at, statement.summary = (
        StatementStatus.IMPORTED,
        timezone.now(),
        summary,
    )
    statement.save(update_fields=["status", "imported_at", "summary"])
    audit_record(
        action=AuditAction.STATEMENT_IMPORT,
        actor=actor,
        target=statement,
        data={k: v for k, v in summary.items() if k != "preview"},
    )
    return summary


def statement_import_file(*, raw: bytes, file_name: str, actor=None, dry_run=False) -> dict:
    """The management command: upload and import in one go (or only the dry run)."""
    with transaction.atomic():
        statement = statement_upload(raw=raw, file_name=file_name, actor=actor, preview=dry_run)
        if dry_run:
            transaction.set_rollback(True)  # a dry run leaves no statement behind
            return statement.summary
        return statement_import(statement=statement, actor=actor)


@transaction.atomic
def statement_line_assign(*, line: StatementLine, subscriber: Subscriber, actor):
    """The accountant names the subscriber of a waiting line: it is credited at once."""
    line = StatementLine.objects.select_for_update().get(pk=line.pk)
    if line.status != LineStatus.WAITING:
        raise ValidationError(_("This line is already resolved."))
    payment, _created = payment_record(
        subscriber=subscriber,
        amount=line.amount,
        method=PaymentMethod.BANK_TRANSFER,
        external_id=line.document_number,
        received_at=_noon(line.received_on),
        actor=actor,
        payload={"statement": line.statement_id, "line": line.line_no, "payer": line.payer_name},
        comment=line.purpose[:500],
        payer_tax_id=line.payer_tax_id,
        document_date=line.document_date,
    )
    StatementLine.objects.filter(pk=line.pk).update(
        status=LineStatus.CREDITED,
        subscriber=subscriber,
        payment=payment,
        resolved_by=actor,
        resolved_at=timezone.now(),
    )
    audit_record(
        action=AuditAction.STATEMENT_LINE_ASSIGN,
        subscriber=subscriber,
        actor=actor,
        target=line,
        data={"payment": payment.pk, "amount": str(line.amount)},
    )
    return payment


@transaction.atomic
def statement_line_dismiss(*, line: StatementLine, reason: str, actor) -> None:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("Give the reason for dismissing the line."))
    updated = StatementLine.objects.filter(pk=line.pk, status=LineStatus.WAITING).update(
        status=LineStatus.DISMISSED,
        dismiss_reason=reason[:1000],
        resolved_by=actor,
        resolved_at=timezone.now(),
    )
    if not updated:
        raise ValidationError(_("This line is already resolved."))
    audit_record(
        action=AuditAction.STATEMENT_LINE_DISMISS, actor=actor, target=line, reason=reason[:1000]
    )
