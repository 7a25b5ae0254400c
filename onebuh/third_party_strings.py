"""Admin labels of installed packages that ship no Russian translation for them.

Marked here so they land in onebuh's catalogue; onebuh is the first installed app, so its
catalogue takes precedence over the packages' own.
"""

from django.utils.translation import gettext_noop

THIRD_PARTY_STRINGS = (
    gettext_noop("crontab"),
    gettext_noop("crontabs"),
)
