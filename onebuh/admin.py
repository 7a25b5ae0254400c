"""Rights for the actions of third-party admins (issue 18: every admin action declares one).

allauth's "make verified" and django-celery-beat's enable/disable/toggle/run declare no
permission, so anyone who may view their lists could run them. They change the rows, so they
need the change right. This module is the first admin module autodiscovery imports (onebuh is
first in INSTALLED_APPS); importing the third-party admins here registers them as usual.
"""

from allauth.account.admin import EmailAddressAdmin
from django_celery_beat.admin import PeriodicTaskAdmin

for action in (
    EmailAddressAdmin.make_verified,
    PeriodicTaskAdmin.enable_tasks,
    PeriodicTaskAdmin.disable_tasks,
    PeriodicTaskAdmin.toggle_tasks,
    PeriodicTaskAdmin.run_tasks,
):
    action.allowed_permissions = ("change",)
