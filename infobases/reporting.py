"""2.2: the report to the rights holder about registration, renewal and termination of rights.

Each legal form has its own columns: the data 2.2 requires of it. The XLSX has a sheet per
legal form; the CSV is one legal form at a time.
"""

import datetime

from django.utils import timezone
from django.utils.translation import pgettext_lazy

from onebuh.dates import day_bounds, day_start
from onebuh.exports import Sheet, column_widths, csv_bytes, xlsx_bytes
from subscribers.models import LegalForm

from .models import LicenceEvent

# Column titles have their own context: the same English words mean other things in the UI.
EVENT_COLUMNS = [
    (
        pgettext_lazy("licence report", "Date"),
        lambda e: timezone.localdate(e.at),
    ),
    (pgettext_lazy("licence report", "Event"), lambda e: str(e.get_kind_display())),
    (pgettext_lazy("licence report", "Product"), lambda e: e.solution.name),
    (pgettext_lazy("licence report", "User"), lambda e: e.user_full_name),
    (pgettext_lazy("licence report", "User's email"), lambda e: e.user_email),
]
RESPONSIBLE = [
    (pgettext_lazy("licence report", "Responsible person"), lambda s: s.responsible_full_name),
    (pgettext_lazy("licence report", "Responsible person's email"), lambda s: s.responsible_email),
    (pgettext_lazy("licence report", "Responsible person's mobile"), lambda s: s.responsible_phone),
]
# 2.2 of the terms, per legal form.
SUBSCRIBER_COLUMNS = {
    LegalForm.INDIVIDUAL: [
        (pgettext_lazy("licence report", "ИИН"), lambda s: s.iin),
        (pgettext_lazy("licence report", "Main activity"), lambda s: s.main_activity),
        (pgettext_lazy("licence report", "Full name"), lambda s: s.person_full_name),
        (pgettext_lazy("licence report", "Home address"), lambda s: s.address),
        *RESPONSIBLE,
    ],
    LegalForm.ENTREPRENEUR: [
        (pgettext_lazy("licence report", "Name"), lambda s: s.name),
        (pgettext_lazy("licence report", "ИИН"), lambda s: s.iin),
        (pgettext_lazy("licence report", "Main activity"), lambda s: s.main_activity),
        (pgettext_lazy("licence report", "Full name"), lambda s: s.person_full_name),
        (pgettext_lazy("licence report", "Home address"), lambda s: s.address),
        *RESPONSIBLE,
    ],
    LegalForm.LEGAL_ENTITY: [
        (pgettext_lazy("licence report", "Name"), lambda s: s.name),
        (pgettext_lazy("licence report", "БИН"), lambda s: s.bin),
        (pgettext_lazy("licence report", "Main activity"), lambda s: s.main_activity),
        (pgettext_lazy("licence report", "Director's full name"), lambda s: s.person_full_name),
        (pgettext_lazy("licence report", "Registered address"), lambda s: s.address),
        *RESPONSIBLE,
    ],
}


def _bounds(date_from: datetime.date, date_to: datetime.date):
    return day_start(date_from), day_bounds(date_to)[1]


def report_header(legal_form: str) -> list[str]:
    return [str(title) for title, _get in EVENT_COLUMNS + SUBSCRIBER_COLUMNS[legal_form]]


def report_rows(*, date_from, date_to, legal_form: str) -> list[list]:
    start, end = _bounds(date_from, date_to)
    events = (
        LicenceEvent.objects.filter(at__gte=start, at__lt=end, subscriber__legal_form=legal_form)
        .select_related("subscriber", "solution")
        .order_by("at", "pk")
    )
    columns = SUBSCRIBER_COLUMNS[legal_form]
    return [
        [get(e) for _t, get in EVENT_COLUMNS] + [get(e.subscriber) for _t, get in columns]
        for e in events
    ]


def report_csv(*, date_from, date_to, legal_form: str) -> bytes:
    rows = report_rows(date_from=date_from, date_to=date_to, legal_form=legal_form)
    return csv_bytes(rows, header=report_header(legal_form))


def report_xlsx(*, date_from, date_to) -> bytes:
    sheets = []
    for form in LegalForm:
        header = report_header(form)
        rows = report_rows(date_from=date_from, date_to=date_to, legal_form=form)
        sheets.append(
            Sheet(
                title=str(form.label),
                header=header,
                rows=rows,
                column_widths=column_widths(header, rows),
            )
        )
    return xlsx_bytes(sheets)
