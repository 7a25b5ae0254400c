"""Schemathesis against the API's own schema (/api/v1/ and the 1C form's /api/1c/), in-process
through the WSGI application (no server): for a seeded subscriber (its owner's real token, a 1C
form token, an infobase, a backup, a ticket with a PDF attachment, an invoice, a claim) no answer
is a server error and every answer matches the schema (status code, content type, body), and
invalid input is refused with a 4xx. A bounded number of examples per operation and mode keeps
the run short. Generated ids rarely hit a real object, so every operation on one object is also
called once with the seeded objects' ids: its success answer (a file's real content type too)
must match the schema.

(Schemathesis's own pytest plugin does not run under pytest 9 yet, so each operation is a
parametrized test driving its Hypothesis strategy directly.)"""

import json
from datetime import timedelta

import pytest
import schemathesis
from django.core.files.base import ContentFile
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

POSITIVE_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
CHECKS = [*POSITIVE_CHECKS, negative_data_rejection]
EXAMPLES = 8
APP = get_wsgi_application()
DOCUMENT = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(public=True)))
SCHEMA = schemathesis.openapi.from_dict(DOCUMENT).include(path_regex="^/api/(v1|1c)/")
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


def _takes_input(operation) -> bool:
    definition = DOCUMENT["paths"][operation.path][operation.method.lower()]
    return bool(definition.get("parameters") or definition.get("requestBody"))


# Negative data needs something to break: operations without parameters or body get none.
CASES = [(op, GenerationMode.POSITIVE) for op in OPERATIONS] + [
    (op, GenerationMode.NEGATIVE) for op in OPERATIONS if _takes_input(op)
]


# Every operation on one object, called with a seeded object's id: reads, and PATCH with {};
# the other writes with generated bodies (a session's id cannot be seeded on the local driver).
ON_ONE_OBJECT = [
    op for op in OPERATIONS if "{" in op.path and op.method.upper() in ("GET", "PATCH")
]
WRITES_ON_ONE_OBJECT = [
    op
    for op in OPERATIONS
    if "{" in op.path and op.method.upper() in ("POST", "DELETE") and "session_id" not in op.path
]
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def seeded(owner, owner_membership, subscriber, run_now):
    """A subscriber with something of every kind, made through the services; its tokens and the
    ids of its objects by the first path segment after /api/v1/."""
    from billing.models import Invoice
    from billing.services import billing_run
    from infobases.models import InfobaseAccess
    from infobases.services import backup_download_token, backup_request, infobase_create
    from operations.services import claim_file
    from subscribers.services import invitation_create
    from support.services import onec_token_issue, ticket_open
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
    backup = run_now(lambda: backup_request(infobase=infobase, actor=owner))
    backup.refresh_from_db()
    assert backup.status == "done", backup.status
    ticket = ticket_open(
        subscriber=subscriber,
        opened_by=owner,
        channel="web",
        category="technical",
        subject="Вопрос",
        text="Текст",
        attachments=[ContentFile(PDF, name="акт сверки.pdf")],
    )
    claim = claim_file(
        subscriber=subscriber,
        opened_by=owner,
        downtime_date=timezone.localdate(),
        claimed_downtime=timedelta(hours=1),
    )
    return {
        "token": api_token_create(membership=owner_membership, name="st", scope="write")[1],
        "onec_token": onec_token_issue(infobase=infobase, actor=owner)[1],
        "ids": {
            "access": InfobaseAccess.objects.get(infobase=infobase).pk,
            "invitations": invitation_create(
                subscriber=subscriber, email="new@example.kz", role="user", invited_by=owner
            ).pk,
            "attachments": ticket.messages.get().attachments.get().pk,
            "backups": backup.pk,
            "files": backup_download_token(backup=backup, user=owner),
            "compensation": claim.pk,
            "infobases": infobase.pk,
            "invoices": Invoice.objects.get(subscriber=subscriber).pk,
            "members": owner_membership.pk,
            "tickets": ticket.pk,
        },
    }


def _headers(operation, seeded) -> dict:
    if operation.path.startswith("/api/1c/"):
        return {"Authorization": f"Token {seeded['onec_token']}"}
    return {"Authorization": f"Bearer {seeded['token']}"}


@pytest.fixture
def generous_limits(settings):
    # Generous limits here: the rate limits have their own test.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_token": "100000/min", "api_ip": "100000/min"},
    }
    settings.ONEBUH_LIMITS = {}  # and the per-action limits (tests/security/test_limits.py)


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


def _object_of(operation) -> tuple[str, str]:
    """The seeded object an operation's path names, and its path parameter."""
    segments = operation.path.removeprefix("/api/v1/").split("/")
    if segments[:2] == ["backups", "files"]:
        return "files", "token"
    return segments[0], "id"


def test_every_api_operation_is_exercised():
    operations = {(op.method.upper(), op.path) for op in OPERATIONS}
    documented = {
        (method.upper(), path)
        for path, item in DOCUMENT["paths"].items()
        for method in item
        if path.startswith(("/api/v1/", "/api/1c/"))
    }
    assert operations == documented and len(operations) >= 44
    assert ("POST", "/api/1c/tickets/") in operations
    assert len(ON_ONE_OBJECT) >= 12 and len(WRITES_ON_ONE_OBJECT) >= 8


@pytest.mark.parametrize(
    ("operation", "mode"), CASES, ids=[f"{mode.value} {op.label}" for op, mode in CASES]
)
def test_operation_conforms_to_the_schema(
    operation, mode, seeded, generous_limits, keep_test_connection
):
    headers = _headers(operation, seeded)

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


@pytest.mark.parametrize("operation", ON_ONE_OBJECT, ids=[op.label for op in ON_ONE_OBJECT])
def test_an_existing_object_answers_as_documented(
    operation, seeded, generous_limits, keep_test_connection
):
    name, parameter = _object_of(operation)
    case = operation.Case(
        path_parameters={parameter: seeded["ids"][name]},
        **({"body": {}, "media_type": "application/json"} if operation.method == "patch" else {}),
    )
    response = case.call_and_validate(
        app=APP, headers=_headers(operation, seeded), checks=POSITIVE_CHECKS
    )
    assert response.status_code == 200, response.text[:500]
    if name == "attachments":
        assert response.headers["content-type"] == ["application/pdf"]
        assert response.content == PDF


@pytest.mark.parametrize(
    "operation", WRITES_ON_ONE_OBJECT, ids=[op.label for op in WRITES_ON_ONE_OBJECT]
)
def test_writes_on_an_existing_object_answer_as_documented(
    operation, seeded, generous_limits, keep_test_connection
):
    name, parameter = _object_of(operation)
    headers, statuses = _headers(operation, seeded), []

    @given(case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE))
    @hypothesis_settings(
        max_examples=3,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        case.path_parameters = {parameter: seeded["ids"][name]}
        response = case.call_and_validate(app=APP, headers=headers, checks=POSITIVE_CHECKS)
        statuses.append(response.status_code)

    run()
    # The object was reached (a success, or a refusal of its state), not a 404 each time.
    assert any(status != 404 for status in statuses), statuses
