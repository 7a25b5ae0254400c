from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = _("Operations and compensation")

    def ready(self):
        from .banner import works_banner_forget
        from .models import TechnicalWork

        # The panel's works banner is cached (operations/banner.py): any write of a work, from
        # the services or the admin, makes it stale.
        post_save.connect(works_banner_forget, sender=TechnicalWork, dispatch_uid="works-banner")
        post_delete.connect(works_banner_forget, sender=TechnicalWork, dispatch_uid="works-banner")
        for through in (TechnicalWork.subscribers.through, TechnicalWork.solutions.through):
            m2m_changed.connect(works_banner_forget, sender=through, dispatch_uid="works-banner")

        # The ticket page's customer context lists the incidents (onebuh/signals.py).
        from support.signals import customer_context_requested

        from .receivers import incidents_beside_ticket

        customer_context_requested.connect(
            incidents_beside_ticket, dispatch_uid="operations.incidents_beside_ticket"
        )
