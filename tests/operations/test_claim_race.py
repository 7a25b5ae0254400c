"""9.3: a claim approved twice at the same moment (two staff, two transactions) credits once.

Runs on two real PostgreSQL transactions, so the rows must be committed (a transactional test).
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from operations.models import CompensationCredit
from operations.services import claim_approve

from .conftest import NOTE
from .test_claims import bonus_credits, file


@pytest.fixture(scope="module", autouse=True)
def _start_from_an_empty_database(django_db_setup, django_db_blocker):
    """The snapshot restored below (serialized_rollback) collides with rows an earlier
    transactional test may leave after its own flush (a live server's late request creates
    content types). Emptying first is harmless: the snapshot brings back everything. The
    sequences are kept, as TransactionTestCase's own flush keeps them: the snapshot restores rows
    with their primary keys and does not move the sequences, so restarting them at 1 here made a
    later test's first new macro collide with a restored one (support_macro_pkey)."""
    with django_db_blocker.unblock():
        call_command(
            "flush",
            interactive=False,
            inhibit_post_migrate=True,
            reset_sequences=False,
            verbosity=0,
        )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_double_approval_credits_once(subscriber, owner, with_fee, staff_accountant):
    with_fee(subscriber)
    claim = file(subscriber, owner, hours=4, day=timezone.localdate())
    barrier, errors = threading.Barrier(2), []

    def approve():
        try:
            barrier.wait()
            claim_approve(
                claim=claim, downtime=claim.claimed_downtime, note=NOTE, actor=staff_accountant
            )
        except ValidationError as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(errors) == 1
    assert bonus_credits(subscriber).count() == 1
    assert CompensationCredit.objects.filter(claim=claim).count() == 1
