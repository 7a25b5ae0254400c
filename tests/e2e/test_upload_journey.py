"""Journey: a manager uploads a local .dt; the connection drops mid-way, the page is reloaded,
the same file is chosen again and the upload continues from the first missing part — at 1366 and
at 375 px. The browser computes SHA-256 as it sends the parts (js-sha256 from our static files)."""

import hashlib
import re

from infobases.models import PlacementRequest
from infobases.provisioning.dtfile import ONEC_CONTAINER_MAGIC
from tests.infobases.factories import give_tariff

from .helpers import E2E, sign_in

JOURNEY = "7-upload"
# The part this journey cuts off on purpose fails to load; any other console error still counts.
EXPECTED_CONSOLE = r"ERR_CONNECTION_RESET|Failed to load resource"
PART = 64 * 1024

pytestmark = E2E


def _upload_interrupted_then_resumed(open_page, shot, owner, dump, width, name):
    page = open_page()
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, owner.email)
    page.goto("/apps/upload/")
    sent = []  # part numbers whose PUT was stored
    page.on(
        "response",
        lambda r: (
            r.request.method == "PUT"
            and r.ok
            and sent.append(int(re.search(r"/parts/(\d+)/data/", r.url).group(1)))
        ),
    )
    page.route(re.compile(r"/parts/3/data/$"), lambda route: route.abort("connectionreset"))
    page.get_by_label("Название базы").fill(name)
    page.set_input_files("#dt-file", str(dump))
    shot(page, f"{width}-chosen")
    page.get_by_role("button", name="Загрузить").click()
    page.wait_for_selector("form[data-state=stopped]", timeout=30_000)
    assert "Связь потеряна" in page.locator(".upload-status").inner_text()
    assert int(page.locator(".upload-progress").get_attribute("value") or 0) > 0
    shot(page, f"{width}-interrupted")
    assert sent == [1, 2]

    # The connection is back; the person reloads the page and chooses the same file again.
    page.unroute(re.compile(r"/parts/3/data/$"))
    page.reload()
    page.get_by_label("Название базы").fill(name)
    page.set_input_files("#dt-file", str(dump))
    page.get_by_role("button", name="Загрузить").click()
    page.wait_for_selector("form[data-state=done]", timeout=30_000)
    assert "Файл загружен" in page.locator(".upload-status").inner_text()
    assert page.locator(".upload-progress").get_attribute("value") == "100"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"{width}-resumed-and-done")
    # Parts 1 and 2 were not sent again; every part was stored exactly once.
    parts = -(-dump.stat().st_size // PART)
    assert sorted(sent) == list(range(1, parts + 1))
    return page


def test_an_interrupted_upload_resumes_after_a_reload(
    open_page, shot, e2e_settings, tmp_path, subscriber, owner
):
    e2e_settings.ONEBUH_UPLOAD_PART_BYTES = PART
    give_tariff(subscriber, max_infobases=3)
    dump = tmp_path / "Бухгалтерия.dt"
    dump.write_bytes(ONEC_CONTAINER_MAGIC + bytes(range(256)) * (5 * PART // 256 + 7))
    expected = hashlib.sha256(dump.read_bytes()).hexdigest()

    for width, name in ((1366, "Бухгалтерия офиса"), (375, "Бухгалтерия склада")):
        _upload_interrupted_then_resumed(open_page, shot, owner, dump, width, name)
        placed = PlacementRequest.objects.get(name=name)
        assert placed.sha256 == expected and placed.size_bytes == dump.stat().st_size
        assert placed.original_name == "Бухгалтерия.dt"
