"""The IMAP poller of support@1b.kz (beat, every minute): unseen messages go to the importer.

TLS is verified: against the system CAs, or only against `ONEBUH_SUPPORT_IMAP_CA_FILE` when set;
`ONEBUH_SUPPORT_IMAP_VERIFY_TLS=false` turns verification off and says so in the log at every
poll. Each message is imported in isolation (a bad one is quarantined by the importer) and then
marked seen, so one message can never stop the mailbox.
"""

import logging
import ssl

from django.conf import settings
from imap_tools import AND, MailBox, MailMessageFlags

from .importer import mail_import

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 60


def imap_ssl_context() -> ssl.SSLContext:
    if not settings.ONEBUH_SUPPORT_IMAP_VERIFY_TLS:
        log.warning(
            "support mail poll: TLS certificate of %s is NOT verified "
            "(ONEBUH_SUPPORT_IMAP_VERIFY_TLS is off)",
            settings.ONEBUH_SUPPORT_IMAP_HOST,
        )
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    return ssl.create_default_context(cafile=settings.ONEBUH_SUPPORT_IMAP_CA_FILE or None)


def _raw_message(box, uid: str) -> bytes | None:
    """The message's bytes exactly as stored (BODY.PEEK leaves it unseen until imported)."""
    status, data = box.client.uid("fetch", uid, "(BODY.PEEK[])")
    if status != "OK":
        return None
    for item in data or ():
        if isinstance(item, tuple) and len(item) == 2:
            return item[1]
    return None


def mail_poll(*, limit: int = 200) -> dict:
    """Import unseen messages and mark them seen. A crash between the two is harmless: the
    importer recognises a message it has seen by its Message-ID."""
    if not settings.ONEBUH_SUPPORT_IMAP_HOST:
        return {"skipped": "IMAP is not configured"}

    counts = {"imported": 0, "duplicates": 0, "quarantined": 0}
    mailbox = MailBox(
        settings.ONEBUH_SUPPORT_IMAP_HOST,
        port=settings.ONEBUH_SUPPORT_IMAP_PORT,
        timeout=TIMEOUT_SECONDS,
        ssl_context=imap_ssl_context(),
    )
    with mailbox.login(
        settings.ONEBUH_SUPPORT_IMAP_USER,
        settings.ONEBUH_SUPPORT_IMAP_PASSWORD,
        initial_folder=settings.ONEBUH_SUPPORT_IMAP_FOLDER,
    ) as box:
        for uid in box.uids(AND(seen=False))[:limit]:
            raw = _raw_message(box, uid)
            if raw is not None:
                # Only a failure of our own (the database gone) escapes: then the message
                # stays unseen and the next poll takes it again.
                record, created = mail_import(raw=raw)
                counts["imported"] += created
                counts["duplicates"] += not created
                counts["quarantined"] += record.outcome == record.Outcome.QUARANTINED
            box.flag(uid, MailMessageFlags.SEEN, True)
    log.info(
        "support mail poll: %(imported)s new, %(duplicates)s seen before, "
        "%(quarantined)s quarantined",
        counts,
    )
    return counts
