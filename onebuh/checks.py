"""System checks for facts the portal's deadlines rely on."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import checks

from onebuh import files

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


@checks.register("files", deploy=True)
def check_big_files_bypass_the_portal(app_configs=None, **kwargs):
    """Issue 16: the portal never streams multi-GB bodies itself. On object storage downloads
    are presigned URLs; on the file system only X-Accel-Redirect hands them to the front server
    (the embedded default, `make run`, streams them: fine for one person on one machine)."""
    if files.is_object_storage(files.storage_for("infobases")):
        return []
    if settings.ONEBUH_X_ACCEL_REDIRECT_PREFIX:
        return []
    return [
        checks.Warning(
            "Backups and uploaded .dt files are on this machine's disk and "
            "ONEBUH_X_ACCEL_REDIRECT_PREFIX is not set: downloads of backups stream through "
            "gunicorn.",
            hint="Set ONEBUH_S3_BUCKET (object storage) or put nginx in front with an internal "
            "location for ONEBUH_X_ACCEL_REDIRECT_PREFIX (README, Scaling out).",
            id="onebuh.W001",
        )
    ]
