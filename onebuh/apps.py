from django.apps import AppConfig


class OnebuhConfig(AppConfig):
    name = "onebuh"
    verbose_name = "ONEbuh"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
        from .lookups import register

        register()  # field__any_of (onebuh/lookups.py)
