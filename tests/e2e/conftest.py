"""End-to-end journeys in a real browser (issue 7): Playwright drives Debian's Chromium
(/usr/bin/chromium — the tests never download a browser) against pytest-django's live server.

The live server is a thread of this process, so the journeys share its database (transactional;
the migrations' data — calendars, work catalog, staff groups — is restored for each test), its
settings, Celery's eager mode and django.core.mail.outbox. Each journey saves a screenshot of
every main step under test-artifacts/e2e/<journey>/NN-step.png for review.
"""

import itertools
import os
import re
import shutil
from pathlib import Path

import pytest

from .helpers import PAYMENT_WEBHOOK_SECRET

CHROMIUM = Path(os.environ.get("ONEBUH_E2E_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the package; each page gets a fresh context (own cookies and storage)."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run scripts/ensure_browser.sh")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API marks this thread as running an event loop, and asgiref then gives
    # Django a second, context-local set of database connections. pytest-django's snapshot of
    # the migrated database (serialized_rollback) is on the first set: the second gets it too,
    # so each journey starts from the migrations' data and its flush leaves the database empty,
    # as the other transactional tests expect.
    snapshots = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    # While the loop is up Django would also refuse the plain synchronous ORM calls the tests
    # make between browser steps; nothing here runs concurrently, so they are safe.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        for alias, snapshot in snapshots.items():
            if snapshot is not None:
                connections[alias]._test_serialized_contents = snapshot
        # launch() starts from a fresh temporary profile (user-data dir) and removes it on close.
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True
        )
        yield browser
        browser.close()
        connections.close_all()  # the context-local ones, while their context still exists


@pytest.fixture(scope="package")
def live_server(request):
    """pytest-django's live server, started with a MEDIA_URL for the moment it starts: Django's
    test server wraps a media files handler that cannot start without one (the portal has none,
    its files are private). It would serve only the tests' temporary MEDIA_ROOT."""
    from django.test import override_settings
    from pytest_django.live_server_helper import LiveServer

    with override_settings(MEDIA_URL="/e2e-media/"):
        server = LiveServer(os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS", "localhost"))
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def e2e_settings(settings, tmp_path, live_server):
    """Settings the live server thread sees too (one settings object per process)."""
    settings.ONEBUH_INFOBASES_DRIVER = "local"
    settings.ONEBUH_INFOBASES_DIR = tmp_path / "infobases"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ONEBUH_PAYMENT_WEBHOOK_SECRET = PAYMENT_WEBHOOK_SECRET
    settings.SITE_URL = live_server.url
    return settings


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.e2e_failed = report.failed
    return report


@pytest.fixture
def open_page(request, browser, live_server):
    """open_page(): a new page in its own browser context (a separate person's session);
    open_page(width=DESK_WIDTH) for the staff's journeys, drawn at the desk's 1366 px.

    Any 5xx answer, JavaScript or console error on any page fails the test at the end; a failed
    journey leaves a screenshot of each open page as test-artifacts/e2e/failed-<test>-N.png.
    """
    contexts, problems = [], []
    for stale in ARTIFACTS.glob(f"failed-{request.node.name}-*.png"):
        stale.unlink()

    def open_(*, width: int = 1280):
        context = browser.new_context(
            base_url=live_server.url,
            locale="ru-RU",
            timezone_id="Asia/Almaty",
            viewport={"width": width, "height": 900},
            accept_downloads=True,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("response", lambda r: r.status >= 500 and problems.append(f"{r.status} {r.url}"))
        page.on("pageerror", lambda error: problems.append(f"JavaScript: {error}"))
        # Console errors: a script or style the Content-Security-Policy refused, a failed load.
        # A journey that breaks the network on purpose names the errors it expects
        # (EXPECTED_CONSOLE, a regular expression in its module); every other one fails it.
        expected = getattr(request.module, "EXPECTED_CONSOLE", None)
        page.on(
            "console",
            lambda m: (
                m.type == "error"
                and not (expected and re.search(expected, m.text))
                and problems.append(f"console: {m.text} ({page.url})")
            ),
        )
        # confirm() dialogs ("Back up now?") are answered as a user agreeing would.
        page.on("dialog", lambda dialog: dialog.accept())
        return page

    yield open_
    for number, context in enumerate(contexts, 1):
        if getattr(request.node, "e2e_failed", False):
            for page in context.pages:
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                path = ARTIFACTS / f"failed-{request.node.name}-{number}.png"
                page.screenshot(path=str(path), full_page=True)
        context.close()
    assert not problems, problems


@pytest.fixture
def shot(request):
    """shot(page, "step"): a full-page screenshot test-artifacts/e2e/<JOURNEY>/NN-step.png."""
    folder = ARTIFACTS / request.module.JOURNEY
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    numbers = itertools.count(1)

    def take(page, name: str) -> Path:
        page.wait_for_load_state()
        # From the top: a scrolled page would draw the sticky sidebar mid-way down the shot.
        page.evaluate("window.scrollTo(0, 0)")
        path = folder / f"{next(numbers):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def desk_world(partner_firm):
    """The desk's journeys (issue 13) share this: three subscribers, each with a tariff with
    support quotas, an owner, an infobase and a ticket or two.

    - `mine`: ИП «Свой клиент», an entrepreneur (ИИН, home address) assigned to the
      consultant's firm (`partner_firm`), with a methodological ticket routed to that firm;
    - `theirs`: ТОО «Чужой клиент», assigned to another firm, with a methodological ticket
      (routed there) and a technical one (the operator's);
    - `loose`: ТОО «Ничей клиент», assigned to nobody, with a technical ticket.
    """
    from types import SimpleNamespace

    from subscribers.models import MemberRole
    from support.models import Category, PartnerAssignment
    from tests.factories import MembershipFactory, PartnerFirmFactory, SubscriberFactory
    from tests.infobases.factories import InfobaseFactory
    from tests.support.factories import give_quotas, open_ticket

    mine = SubscriberFactory(
        entrepreneur=True, name="ИП «Свой клиент»", address="г. Алматы, мкр. Самал-2, д. 7"
    )
    theirs = SubscriberFactory(name="ТОО «Чужой клиент»")
    loose = SubscriberFactory(name="ТОО «Ничей клиент»")
    other_firm = PartnerFirmFactory(name="ТОО «Другой партнёр»")
    PartnerAssignment.objects.create(subscriber=mine, partner_firm=partner_firm)
    PartnerAssignment.objects.create(subscriber=theirs, partner_firm=other_firm)
    world = SimpleNamespace(mine=mine, theirs=theirs, loose=loose, other_firm=other_firm)
    for key, subscriber in (("mine", mine), ("theirs", theirs), ("loose", loose)):
        give_quotas(subscriber, methodological=3)
        owner = MembershipFactory(subscriber=subscriber, role=MemberRole.OWNER).user
        setattr(world, f"{key}_owner", owner)
        setattr(
            world,
            f"{key}_infobase",
            InfobaseFactory(subscriber=subscriber, name=f"Бухгалтерия {subscriber.display_name}"),
        )
    world.mine_ticket = open_ticket(
        mine,
        opened_by=world.mine_owner,
        category=Category.METHODOLOGICAL,
        subject="Как закрыть месяц в 1С",
    )
    world.theirs_question = open_ticket(
        theirs,
        opened_by=world.theirs_owner,
        category=Category.METHODOLOGICAL,
        subject="Чужой вопрос о зарплате",
    )
    world.theirs_outage = open_ticket(
        theirs,
        opened_by=world.theirs_owner,
        subject="Не открывается база после обновления",
        text="С утра база «Бухгалтерия» не открывается: ошибка формата потока.",
    )
    world.loose_ticket = open_ticket(
        loose, opened_by=world.loose_owner, subject="Ничей вопрос о резервной копии"
    )
    return world
