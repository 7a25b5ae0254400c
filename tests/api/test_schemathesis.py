"""Schemathesis against /api/v1/'s own schema, in-process through the WSGI application (no
server): for a seeded subscriber (its owner's real token, an infobase, a backup, a ticket, an
invoice, a claim) no answer is a server error and every answer matches the schema (status code,
content type, body), and invalid input is refused with a 4xx. A bounded number of examples per
operation and mode keeps the run short.

(Schemathesis's own pytest plugin does not run under pytest 9 yet, so each operation is a
parametrized test driving its Hypothesis strategy directly.)"""

import json
from datetime import timedelta

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from api.services import api_token_create

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
EXAMPLES = 8
APP = get_wsgi_application()
DOCUMENT = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(public=True)))
SCHEMA = schemathesis.openapi.from_dict(DOCUMENT).include(path_regex="^/api/v1/")
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


def _takes_input(operation) -> bool:
    definition = DOCUMENT["paths"][operation.path][operation.method.lower()]
    return bool(definition.get("parameters") or definition.get("requestBody"))


# Negative data needs something to break: operations without parameters or body get none.
CASES = [(op, GenerationMode.POSITIVE) for op in OPERATIONS] + [
    (op, GenerationMode.NEGATIVE) for op in OPERATIONS if _takes_input(op)
]


@pytest.fixture
def seeded(owner, owner_membership, subscriber, run_now):
    """A subscriber with something of every kind, made through the services."""
    from billing.services import billing_run
    from infobases.services import backup_request, infobase_create
    from operations.services import claim_file
    from support.services import ticket_open
    from tests.billing.factories import SubscriptionFactory, TariffFactory
    from tests.infobases.factories import ReleaseFactory, SolutionFactory

    SubscriptionFactory(subscriber=subscriber, tariff=TariffFactory(max_infobases=50))
    billing_run(subscriber_ids=[subscriber.pk])
    solution = SolutionFactory(code="bk")
    ReleaseFactory(solution=solution)
    infobase = run_now(
        lambda: infobase_create(
            subscriber=subscriber,
            solution=solution,
            name="Основная",
            with_demo_data=False,
            actor=owner,
        )
    )
    infobase.refresh_from_db()
    run_now(lambda: backup_request(infobase=infobase, actor=owner))
    ticket_open(
        subscriber=subscriber,
        opened_by=owner,
        channel="web",
        category="technical",
        subject="Вопрос",
        text="Текст",
    )
    claim_file(
        subscriber=subscriber,
        opened_by=owner,
        downtime_date=timezone.localdate(),
        claimed_downtime=timedelta(hours=1),
    )
    return api_token_create(membership=owner_membership, name="schemathesis", scope="write")[1]


@pytest.fixture
def keep_test_connection():
    """Django closes the database connection after each WSGI request; the test's transaction
    lives on it, so (as Django's test client does) keep it open while schemathesis calls."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_every_api_v1_operation_is_exercised():
    assert len(OPERATIONS) >= 40
    assert all(op.path.startswith("/api/v1/") for op in OPERATIONS)


@pytest.mark.parametrize(
    ("operation", "mode"), CASES, ids=[f"{mode.value} {op.label}" for op, mode in CASES]
)
def test_operation_conforms_to_the_schema(operation, mode, seeded, settings, keep_test_connection):
    # Generous limits here: the rate limits have their own test.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_token": "100000/min", "api_ip": "100000/min"},
    }
    settings.ONEBUH_LIMITS = {}  # and the per-action limits (tests/security/test_limits.py)
    headers = {"Authorization": f"Bearer {seeded}"}

    @given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        case.call_and_validate(app=APP, headers=headers, checks=CHECKS)

    run()
