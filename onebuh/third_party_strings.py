"""Strings of installed packages that ship no Russian translation for them, or a faulty one
(allauth's verification page glues two sentences: «папку "Спам".Пожалуйста»).

Marked here so they land in onebuh's catalogue; onebuh is the first installed app, so its
catalogue takes precedence over the packages' own.
"""

from django.utils.translation import gettext_noop

THIRD_PARTY_STRINGS = (
    gettext_noop("crontab"),
    gettext_noop("crontabs"),
    gettext_noop(
        "We have sent an email to you for verification. Follow the link provided to "
        "finalize the signup process. If you do not see the verification email in "
        "your main inbox, check your spam folder. Please contact us if you do not "
        "receive the verification email within a few minutes."
    ),
)
