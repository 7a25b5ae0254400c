"""Placeholders of the staff's macros: the one place that knows their names and values.

Syntax: a name in single braces, `{имя клиента}`; each has a Russian name and an English alias
(`{name}`), letter case and extra spaces do not matter. `{{` and `}}` stand for literal braces.
Anything else in braces is an error when the macro is saved (`placeholder_errors`), so a macro that
was saved always renders.
"""

import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onebuh.dates import almaty


@dataclass(frozen=True)
class Placeholder:
    name: str  # as staff write it, Russian
    alias: str  # English
    description: object  # lazy Russian text for the help


PLACEHOLDERS = (
    Placeholder(
        "имя клиента",
        "name",
        gettext_lazy("who wrote: the member's name, or the sender's name of the email or call"),
    ),
    Placeholder("абонент", "subscriber", gettext_lazy("the subscriber's name")),
    Placeholder("номер обращения", "number", gettext_lazy("the ticket number, e.g. 1234")),
    Placeholder("тема", "subject", gettext_lazy("the ticket's subject")),
    Placeholder(
        "срок реакции",
        "deadline",
        gettext_lazy("the reaction deadline, Almaty time, e.g. 02.12.2026 14:30"),
    ),
    Placeholder("сотрудник", "agent", gettext_lazy("the staff member who applies the macro")),
)

_BY_KEY = {key: p for p in PLACEHOLDERS for key in (p.name, p.alias)}
# Escaped braces first, then a name in braces, then a stray brace.
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


def _key(raw: str) -> str:
    return " ".join(raw.lower().split())


def placeholder_errors(text: str) -> list[str]:
    """Russian messages for every unknown placeholder or stray brace; empty when it renders."""
    unknown, stray = [], False
    for match in _TOKEN.finditer(text or ""):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        if match.group(1) is None:
            stray = True
        elif _key(match.group(1)) not in _BY_KEY and token not in unknown:
            unknown.append(token)
    errors = []
    if unknown:
        errors.append(
            _("Unknown placeholder %(names)s. Available: %(available)s.")
            % {"names": ", ".join(unknown), "available": available_names()}
        )
    if stray:
        errors.append(
            _("A brace without its pair. Write {{ and }} for a brace in the text itself.")
        )
    return errors


def available_names() -> str:
    return ", ".join(f"{{{p.name}}}" for p in PLACEHOLDERS)


def placeholder_values(*, ticket, actor) -> dict[str, str]:
    """What each placeholder stands for on this ticket, when `actor` applies the macro."""
    person = ""
    if ticket.opened_by_id is not None:
        person = ticket.opened_by.display_name
    person = person or ticket.sender_name or str(ticket.subscriber)
    deadline = timezone.localtime(ticket.reaction_due_at, almaty())
    return {
        "имя клиента": person,
        "абонент": str(ticket.subscriber),
        "номер обращения": str(ticket.pk),
        "тема": ticket.subject,
        "срок реакции": f"{deadline:%d.%m.%Y %H:%M}",
        "сотрудник": actor.display_name if actor is not None else "",
    }


def render(text: str, *, ticket, actor) -> str:
    """The macro's text for this ticket. Unknown placeholders cannot be saved; if one slipped
    in (an older row), it is left as written rather than failing the reply."""
    values = placeholder_values(ticket=ticket, actor=actor)

    def replace(match):
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        if match.group(1) is None:
            return token
        placeholder = _BY_KEY.get(_key(match.group(1)))
        return values[placeholder.name] if placeholder else token

    return _TOKEN.sub(replace, text)
