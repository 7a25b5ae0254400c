from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InfobasesConfig(AppConfig):
    name = "infobases"
    verbose_name = _("1C applications")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import Release
        from .selectors import releases_changed

        post_save.connect(releases_changed, sender=Release, dispatch_uid="releases_changed_save")
        post_delete.connect(
            releases_changed, sender=Release, dispatch_uid="releases_changed_delete"
        )
