"""What counts as a .dt dump: a 1C container or an archive written by the local driver.

An archive is bounded (issue 18, ASVS V12): its marker, each entry, the total expanded size and
the number of entries have caps, checked from the archive's directory before anything is
expanded and again while each entry streams out — never read whole. A 1 MB file that expands to
1 GiB, or one with 20,000 entries, is refused with a Russian message and leaves nothing behind.
"""

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

# A 1C container (.cf/.dt) starts with the "no free block" marker 0x7FFFFFFF, little-endian,
# preceded by 0xFFFFFFFF... in practice the first four bytes are FF FF FF 7F.
ONEC_CONTAINER_MAGIC = b"\xff\xff\xff\x7f"
LOCAL_MARKER = "onebuh-dt.json"
LOCAL_FORMAT = "onebuh-local-dt/1"
CHUNK = 1024 * 1024


class DumpRefused(ValueError):
    """An archive over one of the caps; the message is for the subscriber."""


@dataclass(frozen=True)
class DumpLimits:
    marker: int
    entry: int
    total: int
    entries: int

    @classmethod
    def for_archive(cls, size: int) -> "DumpLimits":
        """The caps from settings; the total also follows the archive's own size (a ratio
        beyond what real data reaches is a bomb), with a floor for small archives."""
        by_ratio = max(size * settings.ONEBUH_DT_MAX_RATIO, settings.ONEBUH_DT_RATIO_FLOOR_BYTES)
        return cls(
            marker=settings.ONEBUH_DT_MARKER_MAX_BYTES,
            entry=settings.ONEBUH_DT_ENTRY_MAX_BYTES,
            total=min(settings.ONEBUH_DT_TOTAL_MAX_BYTES, by_ratio),
            entries=settings.ONEBUH_DT_MAX_ENTRIES,
        )


def _too_big() -> DumpRefused:
    return DumpRefused(
        _(
            "The dump expands to more than allowed (too many files or too large content): "
            "it is not a dump we can load. Make a new dump in 1C and upload it."
        )
    )


def read_marker(archive: zipfile.ZipFile, limits: DumpLimits) -> dict:
    """The marker entry, read up to its cap (a 1 GiB marker is never expanded)."""
    with archive.open(LOCAL_MARKER) as handle:
        raw = handle.read(limits.marker + 1)
    if len(raw) > limits.marker:
        raise _too_big()
    return json.loads(raw)


def check_local_dump(path: Path) -> tuple[dict, DumpLimits]:
    """The marker and the caps of a local-driver archive, after checking its directory:
    entry count, each declared size and their sum. Raises DumpRefused over a cap, KeyError,
    ValueError or zipfile.BadZipFile when it is no such archive."""
    path = Path(path)
    limits = DumpLimits.for_archive(path.stat().st_size)
    with zipfile.ZipFile(path) as archive:
        entries = archive.infolist()
        if len(entries) > limits.entries:
            raise _too_big()
        total = 0
        for info in entries:
            if info.file_size > limits.entry:
                raise _too_big()
            total += info.file_size
            if total > limits.total:
                raise _too_big()
        marker = read_marker(archive, limits)
    return marker, limits


def is_local_dump(path: Path) -> bool:
    """A local-driver archive within the caps (DumpRefused propagates: the caller says why)."""
    if not zipfile.is_zipfile(path):
        return False
    try:
        marker, _limits = check_local_dump(path)
    except (KeyError, ValueError, zipfile.BadZipFile) as error:
        if isinstance(error, DumpRefused):
            raise
        return False
    return marker.get("format") == LOCAL_FORMAT


def looks_like_dt(path: Path) -> bool:
    """A 1C container, or a local archive within the caps; DumpRefused for an archive bomb."""
    with open(path, "rb") as handle:
        head = handle.read(4)
    return head == ONEC_CONTAINER_MAGIC or is_local_dump(path)


class ExpansionBudget:
    """Counts the bytes really written while entries stream out: a directory that lies about
    sizes still stops at the caps."""

    def __init__(self, limits: DumpLimits):
        self.limits = limits
        self.total = 0

    def copy(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path) -> int:
        written = 0
        with archive.open(info) as source, open(target, "wb") as sink:
            while chunk := source.read(CHUNK):
                written += len(chunk)
                self.total += len(chunk)
                if written > self.limits.entry or self.total > self.limits.total:
                    raise _too_big()
                sink.write(chunk)
        return written
