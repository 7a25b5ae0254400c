"""What counts as a .dt dump: a 1C container or an archive written by the local driver."""

import json
import zipfile
from pathlib import Path

# A 1C container (.cf/.dt) starts with the "no free block" marker 0x7FFFFFFF, little-endian,
# preceded by 0xFFFFFFFF... in practice the first four bytes are FF FF FF 7F.
ONEC_CONTAINER_MAGIC = b"\xff\xff\xff\x7f"
LOCAL_MARKER = "onebuh-dt.json"
LOCAL_FORMAT = "onebuh-local-dt/1"


def is_local_dump(path: Path) -> bool:
    if not zipfile.is_zipfile(path):
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            marker = json.loads(archive.read(LOCAL_MARKER))
    except (KeyError, ValueError, zipfile.BadZipFile):
        return False
    return marker.get("format") == LOCAL_FORMAT


def looks_like_dt(path: Path) -> bool:
    with open(path, "rb") as handle:
        head = handle.read(4)
    return head == ONEC_CONTAINER_MAGIC or is_local_dump(path)
