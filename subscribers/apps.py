from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SubscribersConfig(AppConfig):
    name = "subscribers"
    verbose_name = _("Subscribers")

    def ready(self):
        from .roles import sync_staff_groups

        # Staff groups follow the code: after every migrate the groups get exactly the
        # permissions the apps' roles.py files declare.
        post_migrate.connect(sync_staff_groups, dispatch_uid="subscribers.sync_staff_groups")
