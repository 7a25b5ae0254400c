"""How a person connects to an infobase (issue 14): web and thin-client addresses, and the
thin client's list file (.v8i) — an INI file, UTF-8 with a byte-order mark and CRLF lines, one
[section] per base, as 1C:Enterprise's own ibases.v8i. Opening it adds the bases to the list."""

import uuid

from django.conf import settings

# A stable ID per base: the thin client keeps its own settings of the base under that ID.
NAMESPACE = uuid.UUID("5a0b3a2e-59f4-4a39-8d5c-0e1b0c1f0b00")


def web_url(infobase) -> str:
    return f"{settings.ONEBUH_INFOBASES_WEB_URL}/{infobase.ref}/"


def connection_string(infobase) -> str:
    return f'ws="{settings.ONEBUH_INFOBASES_WEB_URL}/{infobase.ref}";'


def _section_name(name: str) -> str:
    # A section header cannot hold brackets or line breaks.
    return " ".join(name.replace("[", "(").replace("]", ")").split()) or "1C"


def v8i(infobases) -> bytes:
    lines = []
    for order, infobase in enumerate(infobases):
        lines += [
            f"[{_section_name(infobase.name)}]",
            f"Connect={connection_string(infobase)}",
            f"ID={uuid.uuid5(NAMESPACE, infobase.ref)}",
            f"OrderInList={order}",
            "Folder=/ONEbuh",
            f"OrderInTree={order}",
            "External=0",
            "ClientConnectionSpeed=Normal",
            "App=ThinClient",
            "WA=0",
            "Version=8.3",
            "",
        ]
    return ("\ufeff" + "\r\n".join(lines)).encode("utf-8")
