from django.core.management.base import BaseCommand

from support.mail.imap import mail_poll


class Command(BaseCommand):
    help = "Import unseen messages of the support@ IMAP mailbox into tickets."

    def handle(self, *args, **options):
        self.stdout.write(str(mail_poll()))
