"""The remote SMTP peer cannot run here: a file backend that takes 20 ms per message, as a
mail server over the network does, so a test can kill a worker in the middle of a mailing."""

import time

from django.core.mail.backends.filebased import EmailBackend


class SlowFileBackend(EmailBackend):
    def write_message(self, message):
        time.sleep(0.02)
        super().write_message(message)
        self.stream.flush()
