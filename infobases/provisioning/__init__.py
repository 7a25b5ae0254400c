"""The provisioning layer: `get_driver()` gives the configured driver (see base.Driver)."""

from django.conf import settings

from .base import CLIENT_NAMES, Driver, ProvisioningError, SessionInfo

__all__ = ["CLIENT_NAMES", "Driver", "ProvisioningError", "SessionInfo", "get_driver"]


def get_driver() -> Driver:
    name = settings.ONEBUH_INFOBASES_DRIVER
    if name == "cluster":
        from .cluster import ClusterDriver

        return ClusterDriver()
    if name == "local":
        from .local import LocalDriver

        return LocalDriver()
    raise ValueError(f"Unknown ONEBUH_INFOBASES_DRIVER: {name!r} (local or cluster)")
