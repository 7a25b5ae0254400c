from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("Outbox")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Each app declares its kinds of side effect (and its dispatcher passes) in
        # <app>/outbox_handlers.py; importing them registers them. Every tasks.py too, so the
        # relays can send a task by its name in any process (onebuh.celery.task_send).
        autodiscover_modules("outbox_handlers", "tasks")
