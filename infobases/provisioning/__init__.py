"""The provisioning layer: `get_driver()` gives the configured driver (see base.Driver)."""

from django.conf import settings

from .base import CLIENT_NAMES, Driver, ProvisioningError, SessionInfo
from .cluster import ClusterDriver
from .local import LocalDriver

__all__ = ["CLIENT_NAMES", "Driver", "ProvisioningError", "SessionInfo", "get_driver"]


def get_driver() -> Driver:
    name = settings.ONEBUH_INFOBASES_DRIVER
    if name == "cluster":
        return ClusterDriver()
    if name == "local":
        return LocalDriver()
    raise ValueError(f"Unknown ONEBUH_INFOBASES_DRIVER: {name!r} (local or cluster)")
