"""What the journeys share: constants, signing in (with the staff's second factor), forms, email
links. Fixtures are in conftest.py."""

import re

import pytest

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's password
# Staff pass a second factor; the tests give them this secret and compute the codes (RFC 6238).
STAFF_TOTP_SECRET = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"
PAYMENT_WEBHOOK_SECRET = "e2e-payment-provider-secret"
# The staff's journeys are drawn at the width of a common office laptop (issue 13).
DESK_WIDTH = 1366

# Every e2e test: the live server needs committed data (a transactional test), and
# serialized_rollback brings back the migrations' rows (calendars, work catalog, staff groups)
# that each test's flush removes.
E2E = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def submit(page, form_selector: str = "main form") -> None:
    """Press the submit button of the page's form, as a person would."""
    page.locator(form_selector).locator("button[type=submit], input[type=submit]").first.click()
    page.wait_for_load_state()


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    submit(page)


def staff_with_totp(user):
    """Give a staff user a TOTP authenticator with the tests' known secret."""
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, STAFF_TOTP_SECRET)
    return user


def totp_code() -> str:
    """The current code of STAFF_TOTP_SECRET, as an authenticator app would show it."""
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(STAFF_TOTP_SECRET, counters[len(counters) // 2]))


def staff_sign_in(page, user) -> None:
    """Password, then the second factor: staff reach the admin only this way."""
    sign_in(page, user.email)
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.fill("input[name=code]", totp_code())
    submit(page)


def link_in_email(message, path_part: str) -> str:
    """The first link in the email's text that contains path_part."""
    for url in re.findall(r"https?://\S+", message.body):
        if path_part in url:
            return url.rstrip(".,)»")
    raise AssertionError(f"no link with {path_part!r} in {message.subject!r}")


def desk_page(open_page, user):
    """A page at the desk's width, signed in as this staff member (with the second factor),
    on the admin's index where staff land."""
    page = open_page(width=DESK_WIDTH)
    staff_with_totp(user)
    staff_sign_in(page, user)
    page.wait_for_url(re.compile(r"/admin/$"))
    return page
