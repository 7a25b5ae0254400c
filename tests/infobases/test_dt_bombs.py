"""Issue 18: archive bombs. A 1 MB .dt whose marker expands to 1 GiB was accepted (web workers
grew to 2.3 GB); placing one took the worker to 2.2 GB; another became a 1 GiB file on disk;
20,000 entries became 20,000 files. Each bomb is built here, at test time, as a small file on
disk that would expand hugely; each is refused while streaming, with little memory and nothing
left on disk.

The bombs are real ZIP archives (what the local driver writes and reads): the deflate stream of
one MiB of zeros, full-flushed so it stands alone, repeated — 1 GiB of content in about 1 MB.
"""

import functools
import hashlib
import struct
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest
from django.urls import reverse

from infobases.models import PlacementRequest
from infobases.provisioning.base import ProvisioningError
from infobases.provisioning.dtfile import LOCAL_FORMAT, LOCAL_MARKER

MiB = 1024 * 1024
GiB = 1024 * MiB


@functools.cache
def _zeros_deflated(mebibytes: int) -> tuple[bytes, int]:
    """(raw deflate stream, CRC-32) of `mebibytes` MiB of zeros, built from one MiB."""
    chunk = bytes(MiB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(mebibytes):
        crc = zlib.crc32(chunk, crc)
    return block * mebibytes + zlib.compressobj(9, zlib.DEFLATED, -15).flush(), crc


def _write_zip(path: Path, entries: list[tuple[str, bytes, int, int, int]]) -> Path:
    """A ZIP with already-deflated entries: (name, deflated, crc, expanded size, method).
    Sizes past 4 GiB are not needed here; zip64 is not written."""
    central, offset = [], 0
    with open(path, "wb") as out:
        for name, data, crc, size, method in entries:
            encoded = name.encode()
            header = struct.pack(
                "<4s5H3I2H", b"PK\x03\x04", 20, 0, method, 0, 0, crc, len(data), size,
                len(encoded), 0,
            )  # fmt: skip
            out.write(header + encoded + data)
            central.append(
                struct.pack(
                    "<4s6H3I5H2I",
                    b"PK\x01\x02",
                    20,
                    20,
                    0,
                    method,
                    0,
                    0,
                    crc,
                    len(data),
                    size,
                    len(encoded),
                    0,
                    0,
                    0,
                    0,
                    0,
                    offset,
                )  # fmt: skip
                + encoded
            )
            offset += len(header) + len(encoded) + len(data)
        directory = b"".join(central)
        out.write(directory)
        out.write(
            struct.pack(
                "<4s4H2IH",
                b"PK\x05\x06",
                0,
                0,
                len(central),
                len(central),
                len(directory),
                offset,
                0,
            )  # fmt: skip
        )
    return path


def _marker_entry():
    raw = f'{{"format": "{LOCAL_FORMAT}", "ref": "s1_bomb", "config": "bk"}}'.encode()
    return (LOCAL_MARKER, raw, zlib.crc32(raw), len(raw), zipfile.ZIP_STORED)


def _zeros_entry(name: str, mebibytes: int):
    data, crc = _zeros_deflated(mebibytes)
    return (name, data, crc, mebibytes * MiB, zipfile.ZIP_DEFLATED)


@pytest.fixture
def marker_bomb(tmp_path):
    """A .dt of about 1 MB whose marker entry expands to 1 GiB."""
    return _write_zip(tmp_path / "marker.dt", [_zeros_entry(LOCAL_MARKER, 1024)])


@pytest.fixture
def entry_bomb(tmp_path):
    """A proper marker and one data file of 1 GiB, in about 1 MB."""
    return _write_zip(tmp_path / "entry.dt", [_marker_entry(), _zeros_entry("data/1Cv8.1CD", 1024)])


@pytest.fixture
def total_bomb(tmp_path):
    """Forty files of 16 MiB, each one within the caps, 640 MiB together, in about 700 KB."""
    return _write_zip(
        tmp_path / "total.dt",
        [_marker_entry(), *(_zeros_entry(f"data/part{n:02}.bin", 16) for n in range(40))],
    )


@pytest.fixture
def count_bomb(tmp_path):
    """20,000 tiny files."""
    entries = [
        (f"data/f{n}.txt", b"1", zlib.crc32(b"1"), 1, zipfile.ZIP_STORED) for n in range(20000)
    ]
    return _write_zip(tmp_path / "count.dt", [_marker_entry(), *entries])


def _peak_while(action) -> int:
    tracemalloc.start()
    try:
        action()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def test_the_bombs_are_small_files_that_expand_hugely(marker_bomb, entry_bomb, total_bomb):
    for bomb, expanded in ((marker_bomb, GiB), (entry_bomb, GiB), (total_bomb, 640 * MiB)):
        assert bomb.stat().st_size < 1.2 * MiB
        with zipfile.ZipFile(bomb) as archive:
            assert sum(info.file_size for info in archive.infolist()) >= expanded
            biggest = max(archive.infolist(), key=lambda info: info.file_size)
            with archive.open(biggest) as handle:  # real deflate content, not a lying header
                assert handle.read(MiB) == bytes(MiB)


def _upload(client, run_now, content: bytes) -> dict:
    """The panel's upload as the browser does it: start, the parts, complete (a worker checks)."""
    start = client.post(
        reverse("infobases:upload_start"),
        {"name": "Бомба", "filename": "base.dt", "size": len(content), "comment": ""},
    )
    assert start.status_code == 201, start.content
    session = start.json()
    size = session["part_bytes"]
    for number, offset in enumerate(range(0, len(content), size), start=1):
        target = client.post(session["part_url"].replace("/0/", f"/{number}/")).json()["url"]
        body = content[offset : offset + size]
        put = client.generic("PUT", target, body, content_type="application/octet-stream")
        assert put.status_code == 200
    sha = hashlib.sha256(content).hexdigest()
    done = run_now(lambda: client.post(session["complete_url"], {"sha256": sha}))
    assert done.status_code == 202, done.content
    return client.get(session["status_url"]).json()


@pytest.fixture
def manager(client, owner, tariff, settings):
    settings.ONEBUH_UPLOAD_PART_BYTES = 2 * MiB  # a bomb goes in one part
    client.force_login(owner)
    assert client.get(reverse("infobases:upload")).status_code == 200  # the page is rendered
    return client


def test_uploading_the_marker_bomb_in_the_panel_is_refused_in_russian(
    manager, marker_bomb, infobases_dir, run_now
):
    states = []
    peak = _peak_while(lambda: states.append(_upload(manager, run_now, marker_bomb.read_bytes())))
    assert states[0]["status"] == "failed"
    assert "больше допустимого" in str(states[0])
    assert peak < 64 * MiB  # the marker is never expanded whole
    assert not PlacementRequest.objects.exists()
    assert not [p for p in infobases_dir.rglob("*") if p.is_file()]


@pytest.mark.parametrize("bomb", ["marker_bomb", "entry_bomb", "total_bomb", "count_bomb"])
def test_each_bomb_is_refused_at_upload(request, bomb, manager, infobases_dir, run_now):
    state = _upload(manager, run_now, request.getfixturevalue(bomb).read_bytes())
    assert state["status"] == "failed" and "больше допустимого" in str(state)
    assert not PlacementRequest.objects.exists()
    assert not [p for p in infobases_dir.rglob("*") if p.is_file()]


@pytest.mark.parametrize("bomb", ["marker_bomb", "entry_bomb", "total_bomb", "count_bomb"])
def test_placing_a_bomb_is_refused_while_streaming(request, bomb, local_driver):
    """Placement restores a stored file through the driver; the caps hold there too (the
    file may have been stored before the caps existed, or by staff)."""
    path = request.getfixturevalue(bomb)
    local_driver.create(ref="s1_target", template="bk")
    before = sorted(p.name for p in local_driver.data_dir("s1_target").rglob("*"))
    with pytest.raises(ProvisioningError, match="больше допустимого"):
        local_driver.restore(ref="s1_target", path=path)
    files = [p for p in local_driver.base_dir("s1_target").rglob("*") if p.is_file()]
    assert sum(p.stat().st_size for p in files) < MiB
    assert sorted(p.name for p in local_driver.data_dir("s1_target").rglob("*")) == before


def test_a_lying_directory_is_stopped_by_the_bytes_really_written(tmp_path, local_driver, settings):
    """The streaming count holds even if the caps were checked against the declared sizes."""
    from infobases.provisioning.dtfile import DumpLimits, DumpRefused, ExpansionBudget

    path = _write_zip(tmp_path / "ok.dt", [_marker_entry(), _zeros_entry("data/a.bin", 8)])
    budget = ExpansionBudget(DumpLimits(marker=1024, entry=4 * MiB, total=GiB, entries=10))
    with zipfile.ZipFile(path) as archive, pytest.raises(DumpRefused):
        budget.copy(archive, archive.getinfo("data/a.bin"), tmp_path / "a.bin")
    assert (tmp_path / "a.bin").stat().st_size <= 4 * MiB


def test_a_real_dump_still_restores(local_driver, tmp_path):
    local_driver.create(ref="s1_source", template="bk")
    (local_driver.data_dir("s1_source") / "book.txt").write_text("Проводка 1", encoding="utf-8")
    dump = tmp_path / "real.dt"
    local_driver.dump(ref="s1_source", path=dump)
    local_driver.create(ref="s1_copy", template="bk")
    local_driver.restore(ref="s1_copy", path=dump)
    assert (local_driver.data_dir("s1_copy") / "book.txt").read_text(encoding="utf-8") == (
        "Проводка 1"
    )
