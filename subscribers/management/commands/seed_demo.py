import importlib

from django.apps import apps
from django.core.management.base import BaseCommand

# The apps whose demo.seed() runs, in this order (later ones build on earlier ones' objects).
DEMO_APPS = ("subscribers", "billing", "infobases", "support", "operations")


class Command(BaseCommand):
    help = "Load the demo data (idempotent: running it again changes nothing) and print the logins."

    def handle(self, *args, **options):
        self.stdout.write("Demo logins:")
        for label in DEMO_APPS:
            if not apps.is_installed(label):
                continue
            try:
                module = importlib.import_module(f"{label}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{label}.demo":
                    raise
                continue
            module.seed(log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS("Demo data is ready: http://localhost:8000/"))
