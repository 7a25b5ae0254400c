from . import compensation, events, reports  # noqa: F401  (registers the ModelAdmins)
