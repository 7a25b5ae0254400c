"""How a lower app calls a higher one without importing it (ARCHITECTURE.md, "Layers").

The apps are layered in a strict order (pyproject.toml [tool.importlinter]). Where a lower app
must let a higher one act or answer — billing's suspension blocks the infobases, a member's
removal ends their 1C users and API tokens, a placement request opens a ticket — the lower app
declares a `django.dispatch.Signal` in its `signals.py` (the docstring says who sends it, when,
with which keyword arguments, inside which transaction and what a receiver returns) and the
higher app connects its receiver, from its `receivers.py`, in `AppConfig.ready()` with a
`dispatch_uid`. Signals are sent with `send`, never `send_robust`: they run synchronously in the
sender's transaction and a receiver's exception rolls the whole change back, as a direct call
would. `tests/onebuh/test_signals.py` names every declared signal and the receivers it must
have, and fails when a `ready()` forgot one or a new signal is not listed.
"""

from django.dispatch import Signal


def send_merged(signal: Signal, *, sender: str, **kwargs) -> dict:
    """Send `signal` and merge the dicts its receivers return (None counts as nothing).

    For signals whose receivers answer: each adds its own keys (an audit row's counts, a page's
    figures); two receivers giving the same key is a bug, refused here."""
    merged: dict = {}
    for receiver, answer in signal.send(sender=sender, **kwargs):
        if answer is None:
            continue
        clash = merged.keys() & answer.keys()
        if clash:
            raise RuntimeError(f"{receiver!r} answers {sorted(clash)} again")
        merged.update(answer)
    return merged


def receiver_uids(signal: Signal) -> set[str]:
    """The dispatch_uids of the receivers connected to `signal` (every receiver here has one)."""
    return {
        lookup_key[0] for lookup_key, *_rest in signal.receivers if isinstance(lookup_key[0], str)
    }
