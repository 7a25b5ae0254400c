import pytest


@pytest.fixture
def real_outbox(settings):
    """The production path: emails wait in the outbox until the dispatcher sends them."""
    settings.ONEBUH_OUTBOX_EAGER_EMAIL = False
    return settings
