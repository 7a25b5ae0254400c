"""Every call point a lower app declares (its signals.py, onebuh/signals.py) has the receivers of
the higher apps connected once Django is set up: a receiver left out of an AppConfig.ready()
would silently skip a block, a token revocation or a ticket, so it fails here instead."""

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.dispatch import Signal
from django.utils.module_loading import module_has_submodule

from onebuh.signals import receiver_uids, send_merged

ROOT = Path(__file__).resolve().parents[2]

# signal (module.name) -> the dispatch_uids of the receivers it must have, exactly.
EXPECTED_RECEIVERS = {
    "subscribers.signals.memberships_removing": {
        "infobases.end_member_access",
        "api.revoke_on_member_removal",
    },
    "subscribers.signals.memberships_lowered": {"infobases.lower_member_access"},
    "subscribers.signals.password_changed": {"api.revoke_on_password_change"},
    "subscribers.signals.first_steps_requested": {"billing.first_steps", "infobases.first_steps"},
    "billing.signals.subscribers_blocked": {"infobases.block_on_suspension"},
    "billing.signals.subscribers_unblocked": {"infobases.unblock_on_resume"},
    "billing.signals.subscribers_purging": {"infobases.purge_data"},
    "billing.signals.subscribers_purged": {"api.revoke_on_purge"},
    "billing.signals.usage_requested": {"infobases.tariff_usage"},
    "billing.signals.held_data_requested": {"infobases.held_data"},
    "infobases.signals.placement_requested": {"support.open_placement_ticket"},
    "support.signals.customer_context_requested": {"operations.incidents_beside_ticket"},
}


def _declared_signals() -> dict[str, Signal]:
    """Every Signal instance in the signals.py of one of the project's apps."""
    declared = {}
    for config in apps.get_app_configs():
        if Path(config.path).parent != ROOT:
            continue  # Django's and the libraries' own signals
        if not module_has_submodule(config.module, "signals"):
            continue
        module = importlib.import_module(f"{config.name}.signals")
        for name, value in vars(module).items():
            if isinstance(value, Signal):
                declared[f"{module.__name__}.{name}"] = value
    return declared


def test_every_declared_signal_is_listed_with_its_receivers():
    assert set(_declared_signals()) == set(EXPECTED_RECEIVERS)


@pytest.mark.parametrize("name", sorted(EXPECTED_RECEIVERS))
def test_each_signal_has_exactly_its_receivers_connected(name):
    signal = _declared_signals()[name]
    assert receiver_uids(signal) == EXPECTED_RECEIVERS[name]


def test_merging_refuses_two_receivers_answering_the_same_key():
    signal = Signal()

    def first(sender, **kwargs):
        return {"count": 1}

    def second(sender, **kwargs):
        return {"count": 2}

    def silent(sender, **kwargs):
        return None

    signal.connect(first, dispatch_uid="test.first")
    signal.connect(silent, dispatch_uid="test.silent")
    assert send_merged(signal, sender="test") == {"count": 1}
    signal.connect(second, dispatch_uid="test.second")
    with pytest.raises(RuntimeError, match="count"):
        send_merged(signal, sender="test")
