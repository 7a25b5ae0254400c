"""Every panel and public page on a phone (375 px) and a tablet (768 px): no horizontal page
scroll (issue 14). The pages are found as a person would find them: from every panel route
that takes no argument, then by following the links on each page (object pages, filters),
as the demo's owner, its plain user and an anonymous visitor. A screenshot of each page at
375 px is saved under test-artifacts/e2e/responsive/ for review."""

import re
from collections import Counter, deque
from urllib.parse import quote, urlsplit

import pytest
from django.core.management import call_command
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from subscribers.demo import DEMO_PASSWORD
from tests.urlwalk import panel_routes

from .helpers import E2E, sign_in

JOURNEY = "responsive"
pytestmark = E2E

PUBLIC_START = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/terms/",
    "/status/",
    "/help/",
    "/help/?q=" + quote("тонкий клиент"),
    "/api/",
]
# Not pages: downloads, the admin (staff only, Django's own layout), signing out, machine ends;
# Swagger UI and Redoc render after loading: test_api_docs.py checks them once drawn.
SKIP = re.compile(
    r"^/(admin|static|webhooks|api/v1|api/1c|api/schema|api/docs|api/redoc|accounts/logout)|"
    r"/(download|file|pdf|xlsx|csv|v8i)/|\.(pdf|xlsx|csv|zip|dt|v8i)$"
)
PER_VIEW = 2  # object pages of one kind look alike: two of each are enough
WIDTHS = (375, 768)


@pytest.fixture
def demo(db):
    call_command("seed_demo")
    _own_storage()


def _own_storage():
    """The demo owner's own bucket for copies (issue 16), with a failed copy whose long
    message must wrap on a phone, so the storage pages and the backups page show them."""
    from infobases.models import Backup, BackupCopy, BackupTarget, CopyStatus
    from onebuh.sealed import seal
    from subscribers.models import Membership

    subscriber = Membership.objects.get(user__email="owner@demo-astana.kz").subscriber
    target = BackupTarget.objects.create(
        subscriber=subscriber,
        endpoint_url="https://s3.ru-1.storage.selcloud.ru",
        bucket="demo-astana-copies-with-a-long-bucket-name",
        prefix="onebuh/backups/nightly",
        access_key_sealed=seal("AKIADEMOKEY0001"),
        secret_key_sealed=seal("demo-secret"),
        access_key_hint="0001",
        check_ok=False,
        check_message="Хранилище не приняло ключи доступа. Проверьте ключ доступа и секретный ключ.",
    )
    backup = Backup.objects.filter(subscriber=subscriber, status="done").first()
    if backup is not None:
        BackupCopy.objects.create(
            backup=backup,
            target=target,
            status=CopyStatus.FAILED,
            attempts=1,
            message="Хранилище по адресу https://s3.ru-1.storage.selcloud.ru не отвечает. "
            "Проверьте адрес; если он верен, хранилище может быть недоступно.",
        )
    return target


def _view_name(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def _start_paths() -> list[str]:
    paths = []
    for route in panel_routes():
        if route.kwargs:
            continue
        try:
            paths.append(reverse(route.name))
        except NoReverseMatch:
            continue
    return paths


def _crawl(page, shot, persona: str, start: list[str]) -> tuple[list[str], list[str]]:
    """Open every reachable page at each width; return (pages checked, overflowing pages)."""
    origin = urlsplit(page.url).netloc
    queue, queued, per_view = deque(start), set(start), Counter()
    checked, too_wide = [], []
    while queue:
        path = queue.popleft()
        view = _view_name(urlsplit(path).path)
        if view is None or SKIP.search(urlsplit(path).path) or per_view[view] >= PER_VIEW:
            continue
        answer = page.request.get(path, max_redirects=0)
        if answer.status in (301, 302) and answer.headers.get("location"):
            target = urlsplit(answer.headers["location"])
            link = target.path + (f"?{target.query}" if target.query else "")
            if link not in queued:
                queued.add(link)
                queue.append(link)
            continue
        if answer.status != 200 or "text/html" not in answer.headers.get("content-type", ""):
            continue
        per_view[view] += 1
        page.set_viewport_size({"width": 375, "height": 800})
        page.goto(path)
        page.wait_for_load_state()
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                too_wide.append(f"{persona} {path} at {width}: {scroll}px")
        page.set_viewport_size({"width": 375, "height": 800})
        shot(page, f"{persona}-{view.replace(':', '-')}-{per_view[view]}")
        checked.append(path)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            parts = urlsplit(href)
            if parts.netloc != origin:
                continue
            link = parts.path + (f"?{parts.query}" if parts.query else "")
            if link not in queued:
                queued.add(link)
                queue.append(link)
    return checked, too_wide


def test_every_page_fits_a_phone_for_the_owner_the_user_and_a_visitor(open_page, shot, demo):
    checked, too_wide = [], []
    visitor = open_page()
    visitor.goto("/accounts/login/")
    pages, wide = _crawl(visitor, shot, "visitor", PUBLIC_START)
    checked += pages
    too_wide += wide
    for persona, email in (("owner", "owner@demo-astana.kz"), ("user", "user@demo-astana.kz")):
        page = open_page()
        sign_in(page, email, DEMO_PASSWORD)
        pages, wide = _crawl(page, shot, persona, ["/", *_start_paths(), *PUBLIC_START])
        checked += pages
        too_wide += wide
    print("\n".join(["Pages checked at 375 and 768 px:", *checked]))
    # The owner sees every section of the panel; the crawl must have reached them.
    print("\n".join(too_wide))
    for expected in ("/", "/billing/", "/apps/", "/support/", "/api-tokens/"):
        assert expected in checked, expected
    # The own-storage pages (issue 16): the list with its form, and a storage's page.
    assert "/apps/backups/storage/" in checked
    assert any(re.fullmatch(r"/apps/backups/storage/\d+/", path) for path in checked)
    assert any(path.startswith("/terms/") for path in checked)
    assert "/help/" in checked
    assert any(re.fullmatch(r"/help/\d+/", path) for path in checked)  # an article
    assert "/api/" in checked
    assert not too_wide, "\n".join(too_wide)
