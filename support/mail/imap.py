"""The IMAP poller of support@1b.kz (beat, every minute): unseen messages go to the importer."""

import logging

from django.conf import settings

from .importer import mail_import

log = logging.getLogger(__name__)


def mail_poll(*, limit: int = 200) -> dict:
    """Import unseen messages and mark them seen. A crash between the two is harmless: the
    importer recognises a message it has seen by its Message-ID."""
    if not settings.ONEBUH_SUPPORT_IMAP_HOST:
        return {"skipped": "IMAP is not configured"}
    from imap_tools import AND, MailBox, MailMessageFlags

    imported = duplicates = 0
    mailbox = MailBox(settings.ONEBUH_SUPPORT_IMAP_HOST, port=settings.ONEBUH_SUPPORT_IMAP_PORT)
    with mailbox.login(
        settings.ONEBUH_SUPPORT_IMAP_USER,
        settings.ONEBUH_SUPPORT_IMAP_PASSWORD,
        initial_folder=settings.ONEBUH_SUPPORT_IMAP_FOLDER,
    ) as box:
        for message in box.fetch(AND(seen=False), mark_seen=False, limit=limit, bulk=True):
            _record, created = mail_import(raw=message.obj.as_bytes())
            imported += created
            duplicates += not created
            box.flag(message.uid, MailMessageFlags.SEEN, True)
    log.info("support mail poll: %s new, %s seen before", imported, duplicates)
    return {"imported": imported, "duplicates": duplicates}
