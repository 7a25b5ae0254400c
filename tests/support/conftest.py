import pytest

from support.sla import calendars_changed


@pytest.fixture(autouse=True)
def _fresh_calendars(db):
    # Each test sees the calendars of its own (rolled back) database state.
    calendars_changed()
    yield
    calendars_changed()


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
