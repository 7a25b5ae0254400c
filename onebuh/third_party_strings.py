"""Strings of installed packages that ship no Russian translation for them, or a faulty one
(allauth's verification page glues two sentences: «папку "Спам".Пожалуйста»; its no-email
warning says «адрес … и и т.д.»; its recovery-codes count has «Доступнен» and an empty plural).

Marked here so they land in onebuh's catalogue; onebuh is the first installed app, so its
catalogue takes precedence over the packages' own.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

THIRD_PARTY_STRINGS = (
    gettext_noop("crontab"),
    gettext_noop("crontabs"),
    gettext_noop(
        "We have sent an email to you for verification. Follow the link provided to "
        "finalize the signup process. If you do not see the verification email in "
        "your main inbox, check your spam folder. Please contact us if you do not "
        "receive the verification email within a few minutes."
    ),
    gettext_noop(
        "You currently do not have any email address set up. You should really add an email "
        "address so you can receive notifications, reset your password, etc."
    ),
    # Plural: lazy, so only extracted (never evaluated here).
    ngettext_lazy(
        "There is %(unused_count)s out of %(total_count)s recovery codes available.",
        "There are %(unused_count)s out of %(total_count)s recovery codes available.",
        "unused_count",
    ),
)
