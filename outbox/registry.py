"""What each kind of outbox row does, and the extra passes the dispatcher runs.

Apps register in their `outbox_handlers.py` (imported at start-up by OutboxConfig.ready):

    @outbox_handler("billing.notices", transactional=True)
    def notices(payload, *, chunk): ...

A *transactional* handler only writes database rows (for example it renders and enqueues the
emails of a fan-out): it runs in the same transaction that marks its row sent, so it happens
exactly once. Any other handler talks to the outside world (SMTP, the disk) and may run again
after a crash at the worst moment, so it must be safe to repeat.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Handler:
    kind: str
    func: Callable
    transactional: bool
    max_attempts: int
    # What of the payload stays once sent (None: all of it).
    keep_once_sent: Callable | None = None


HANDLERS: dict[str, Handler] = {}
# Named passes the dispatcher runs each time after the outbox rows (the operations queue, the
# report reaper…): name -> callable(now) -> dict of figures.
PASSES: dict[str, Callable] = {}


def outbox_handler(
    kind: str,
    *,
    transactional: bool = False,
    max_attempts: int = 8,
    keep_once_sent: Callable | None = None,
):
    def register(func):
        HANDLERS[kind] = Handler(kind, func, transactional, max_attempts, keep_once_sent)
        return func

    return register


def dispatcher_pass(name: str):
    def register(func):
        PASSES[name] = func
        return func

    return register


def handler_for(kind: str) -> Handler:
    try:
        return HANDLERS[kind]
    except KeyError:
        raise LookupError(f"No outbox handler for kind {kind!r}") from None
