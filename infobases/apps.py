from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InfobasesConfig(AppConfig):
    name = "infobases"
    verbose_name = _("1C applications")
