"""The service terms shipped with the portal: a fresh install publishes the current version.

Each file is `<version date>.md` (Markdown, as the operator publishes it); the newest is the
current one. Later versions are published by staff in the admin (use after publication is
acceptance, with the banner).
"""

import datetime
from pathlib import Path

from onebuh.dates import day_start

FOLDER = Path(__file__).resolve().parent
TITLE = "Условия использования услуги «ONEbuh: Облачная бухгалтерия 1С»"


def shipped_version() -> tuple[datetime.date, str, str, datetime.datetime]:
    """(version date, title, Markdown text, publication time) of the newest shipped file."""
    path = sorted(FOLDER.glob("*.md"))[-1]
    version_date = datetime.date.fromisoformat(path.stem)
    # The version took effect on its date (Almaty), before any subscriber of this install joined.
    published_at = day_start(version_date)
    return version_date, TITLE, path.read_text(encoding="utf-8"), published_at
