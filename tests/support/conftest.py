import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from support.sla import calendars_changed

ALMATY = ZoneInfo("Asia/Almaty")


def at(year, month, day, hour=0, minute=0) -> datetime.datetime:
    """An aware Almaty moment."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=ALMATY)


@pytest.fixture(autouse=True)
def _fresh_calendars(db):
    # Each test sees the calendars of its own (rolled back) database state.
    calendars_changed()
    yield
    calendars_changed()


@pytest.fixture
def travel():
    """travel(moment): freeze time there until the test ends or the next call."""
    state = {}

    def go(moment):
        if "traveller" in state:
            state["traveller"].stop()
        state["traveller"] = time_machine.travel(moment, tick=False)
        state["traveller"].start()

    yield go
    if "traveller" in state:
        state["traveller"].stop()


@pytest.fixture(autouse=True)
def _secrets(settings):
    settings.ONEBUH_CONNECT_WEBHOOK_SECRET = "connect-secret"
    settings.ONEBUH_MAIL_WEBHOOK_SECRET = "mail-secret"
    # The operator's receiving server, whose Authentication-Results header is trusted.
    settings.ONEBUH_SUPPORT_MAIL_AUTHSERV_ID = "mx.1b.kz"
    settings.ONEBUH_SUPPORT_QUEUE_EMAIL = "queue@1b.kz"
    settings.ONEBUH_SUPPORT_DUTY_EMAIL = "duty@1b.kz"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def importer(django_capture_on_commit_callbacks):
    """Import one raw message and run what it queued on commit."""
    from support.mail.importer import mail_import

    def run(raw):
        with django_capture_on_commit_callbacks(execute=True):
            return mail_import(raw=raw)

    return run
