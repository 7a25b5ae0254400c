"""Content-Security-Policy: every page carries it, scripts come only from our own files (no
'unsafe-inline' for scripts), and neither the templates nor the rendered pages hold inline
scripts or event handlers — so the pages keep working under the policy."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, reverse

from tests.support.factories import InfobaseFactory

TEMPLATE_ROOTS = [Path(settings.BASE_DIR) / "templates"] + [
    path
    for app in ("subscribers", "billing", "infobases", "support", "operations", "api", "onebuh")
    if (path := Path(settings.BASE_DIR) / app / "templates").is_dir()
]
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
HANDLER = re.compile(r"^on[a-z]+$")


class ScriptFinder(HTMLParser):
    """Inline script bodies, inline event handlers and javascript: links of an HTML text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._inline: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if HANDLER.match(name):
                self.problems.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}=javascript:…>")
        if tag == "script" and "src" not in attributes:
            if (attributes.get("type") or "").lower() not in DATA_SCRIPT_TYPES:
                self._inline = attributes
        elif tag == "script" and re.match(r"(?i)^(https?:)?//", attributes["src"] or ""):
            self.problems.append(f"<script src={attributes['src']}> from another site")

    def handle_data(self, data):
        if self._inline is not None and data.strip() and "nonce" not in self._inline:
            self.problems.append(f"inline <script>: {data.strip()[:60]!r}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._inline = None


def _problems(html: str) -> list[str]:
    finder = ScriptFinder()
    finder.feed(html)
    return finder.problems


def _templates():
    for root in TEMPLATE_ROOTS:
        for path in sorted(root.rglob("*.html")):
            if "locale" not in path.parts:
                yield path


def test_the_template_scan_finds_what_it_looks_for():
    """The scanner itself: each kind of violation is caught, clean markup passes."""
    assert _problems('<select onchange="this.form.submit()"></select>')
    assert _problems("<form onsubmit='return confirm(1)'></form>")
    assert _problems("<script>alert(1)</script>")
    assert _problems('<a href="javascript:void(0)">x</a>')
    assert _problems('<script src="https://cdn.example.com/x.js"></script>')
    assert not _problems('<script src="/static/js/portal.js" defer></script>')
    assert not _problems('<script type="application/json">{"a": 1}</script>')
    assert not _problems('<select data-autosubmit></select><form data-confirm="Точно?"></form>')


@pytest.mark.parametrize("path", list(_templates()), ids=lambda p: str(p.name))
def test_no_template_holds_inline_scripts_or_event_handlers(path):
    problems = _problems(path.read_text(encoding="utf-8"))
    assert not problems, f"{path}: move these to a file under static/js/: {problems}"


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


def _assert_strict(response):
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"] or (
        policy["script-src"][0] == "'self'"
        and all(v.startswith("'nonce-") for v in policy["script-src"][1:])
    )
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


def _assert_pages_work_under_the_policy(client, urls):
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_strict(response)
        assert not _problems(response.content.decode()), url


def test_a_panel_page_carries_the_policy_and_loads_the_behaviours_file(client, owner):
    client.force_login(owner)
    response = client.get(reverse("subscribers:dashboard"))
    assert response.status_code == 200
    _assert_strict(response)
    assert "/static/js/portal.js" in response.content.decode()


@pytest.fixture
def panel_pages(owner, subscriber):
    infobase = InfobaseFactory(subscriber=subscriber)
    return [
        reverse("subscribers:dashboard"),
        reverse("subscribers:members"),
        reverse("subscribers:profile"),
        reverse("infobases:index"),
        reverse("infobases:detail", args=[infobase.pk]),
        reverse("infobases:backups"),
        reverse("support:index"),
        reverse("support:ticket_create"),
        reverse("billing:index"),
    ]


def test_rendered_panel_pages_hold_no_inline_scripts(client, owner, panel_pages):
    client.force_login(owner)
    _assert_pages_work_under_the_policy(client, panel_pages)


def test_public_pages_carry_the_policy(client, db):
    _assert_pages_work_under_the_policy(
        client, [reverse("account_login"), reverse("account_signup")]
    )


def test_the_admin_works_under_the_policy(staff_client, staff_admin, subscriber):
    client = staff_client(staff_admin)
    urls = [
        reverse("admin:index"),
        reverse("admin:subscribers_subscriber_changelist"),
        reverse("admin:subscribers_subscriber_change", args=[subscriber.pk]),
        reverse("admin:support_ticket_changelist"),
        reverse("admin:infobases_licence_report"),
    ]
    _assert_pages_work_under_the_policy(client, urls)


def test_the_api_documentation_is_allowed_its_start_up_script_by_a_nonce(client, owner):
    try:
        url = reverse("api_public:swagger")
    except NoReverseMatch:
        pytest.skip("the API documentation is not mounted")
    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200
    nonces = [v for v in _policy(response)["script-src"] if v.startswith("'nonce-")]
    assert len(nonces) == 1
    assert f'nonce="{nonces[0][7:-1]}"' in response.content.decode()
    _assert_strict(response)
    assert not _problems(response.content.decode())
