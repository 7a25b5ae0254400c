"""Journey: the same resumable .dt upload on object storage (issue 16.1). The browser PUTs each
part straight to a presigned S3 UploadPart URL of the local S3 server (tests/s3.py), across
origins, under the portal's Content-Security-Policy; a part cut off mid-way is sent again after
a reload; no part's body reaches the portal; the stored object is the file."""

import hashlib
import re

from infobases.models import PlacementRequest
from infobases.provisioning.dtfile import ONEC_CONTAINER_MAGIC
from tests.infobases.factories import give_tariff

from .helpers import E2E, sign_in

JOURNEY = "7-upload-s3"
# The part this journey cuts off on purpose fails to load; any other console error still counts
# (a connect-src refusal of the storage's origin would be one).
EXPECTED_CONSOLE = r"ERR_CONNECTION_RESET|Failed to load resource"
PART = 5 * 2**20  # S3's smallest part but the last

pytestmark = E2E


def _stored(puts) -> list[int]:
    return [int(re.search(r"partNumber=(\d+)", url).group(1)) for url, ok in puts if ok]


def _send(page, dump, *, until: str) -> str:
    """Choose the file, press Загрузить and wait for the form's state; the status line."""
    page.get_by_label("Название базы").fill("Склад")
    page.set_input_files("#dt-file", str(dump))
    page.get_by_role("button", name="Загрузить").click()
    page.wait_for_selector(f"form[data-state={until}]", timeout=60_000)
    return page.locator(".upload-status").inner_text()


def test_parts_go_from_the_browser_to_the_bucket_and_resume_after_a_reload(
    open_page, shot, e2e_settings, s3_storage, live_server, tmp_path, subscriber, owner
):
    e2e_settings.ONEBUH_UPLOAD_PART_BYTES = PART
    give_tariff(subscriber, max_infobases=3)
    # The CORS rule README asks of the bucket: PUT from the portal's origin.
    s3_storage["client"].put_bucket_cors(
        Bucket=s3_storage["bucket"],
        CORSConfiguration={
            "CORSRules": [
                {
                    "AllowedOrigins": [live_server.url],
                    "AllowedMethods": ["PUT"],
                    "AllowedHeaders": ["*"],
                    "ExposeHeaders": ["ETag"],
                }
            ]
        },
    )
    dump = tmp_path / "Склад.dt"
    dump.write_bytes(ONEC_CONTAINER_MAGIC + bytes(range(256)) * (2 * PART // 256 + 40))
    content = dump.read_bytes()

    page = open_page(width=1366)
    sign_in(page, owner.email)
    page.goto("/apps/upload/")
    csp = page.evaluate(
        "fetch('/apps/upload/').then(r => r.headers.get('content-security-policy'))"
    )
    assert s3_storage["endpoint"] in csp  # connect-src names the storage, nothing wider
    puts = []  # (url, ok) of every PUT the page sent
    page.on("response", lambda r: r.request.method == "PUT" and puts.append((r.url, r.ok)))
    cut = re.compile(r"[?&]partNumber=3(&|$)")
    page.route(cut, lambda route: route.abort("connectionreset"))
    assert "Связь потеряна" in _send(page, dump, until="stopped")
    shot(page, "1366-interrupted")
    assert _stored(puts) == [1, 2]

    page.unroute(cut)
    page.reload()
    assert "Файл загружен" in _send(page, dump, until="done")
    shot(page, "1366-resumed-and-done")

    # Every part body went to the storage's origin, each part once; none to the portal.
    assert puts and all(url.startswith(s3_storage["endpoint"] + "/") for url, _ in puts)
    assert sorted(_stored(puts)) == [1, 2, 3]
    placed = PlacementRequest.objects.get(name="Склад")
    assert placed.sha256 == hashlib.sha256(content).hexdigest()
    assert placed.size_bytes == len(content)
    body = (
        s3_storage["client"]
        .get_object(Bucket=s3_storage["bucket"], Key=f"infobases/{placed.file}")["Body"]
        .read()
    )
    assert body == content
