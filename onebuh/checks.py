"""System checks for facts the portal's deadlines rely on."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core import checks

ALMATY_OFFSET_SINCE_2024_03 = timedelta(hours=5)


def almaty_offset(moment: datetime, zone: str = "Asia/Almaty") -> timedelta:
    """The UTC offset of the zone at an aware moment, from the zone data in use."""
    return moment.astimezone(ZoneInfo(zone)).utcoffset()


@checks.register(checks.Tags.compatibility)
def check_almaty_is_utc_plus_5(app_configs=None, **kwargs):
    return zone_offset_errors("Asia/Almaty")


def zone_offset_errors(zone: str) -> list[checks.CheckMessage]:
    # Kazakhstan moved to a single zone, UTC+5, on 2024-03-01. zoneinfo reads the OS zone
    # files before the tzdata package, so old OS data would silently shift every SLA deadline
    # and planned-works window by an hour.
    offset = almaty_offset(datetime(2024, 4, 15, 7, 0, tzinfo=UTC), zone)
    if offset != ALMATY_OFFSET_SINCE_2024_03:
        hours = offset.total_seconds() / 3600
        return [
            checks.Error(
                f"{zone} is UTC{hours:+g} in April 2024 in this zone database, expected UTC+5.",
                hint="Update the OS tzdata package or remove stale zone files so the tzdata>=2024.1 "
                "Python package is used.",
                id="onebuh.E001",
            )
        ]
    return []
