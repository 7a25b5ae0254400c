import importlib
import time

from django.core.management.base import BaseCommand

from subscribers.load import generate_subscribers

# Apps that add their own synthetic objects for the new subscribers (a `load.generate` function).
LOAD_APPS = ("billing", "infobases", "support", "operations")


class Command(BaseCommand):
    help = "Create realistic synthetic subscribers (and what later apps add) with bulk inserts."

    def add_arguments(self, parser):
        parser.add_argument("--subscribers", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options):
        started = time.perf_counter()
        ids = generate_subscribers(count=options["subscribers"], seed=options["seed"])
        self.stdout.write(f"subscribers: {len(ids)} in {time.perf_counter() - started:.2f} s")
        for label in LOAD_APPS:
            try:
                module = importlib.import_module(f"{label}.load")
            except ModuleNotFoundError as error:
                if error.name != f"{label}.load":
                    raise
                continue
            step = time.perf_counter()
            summary = module.generate(subscriber_ids=ids, seed=options["seed"])
            self.stdout.write(f"{label}: {summary} in {time.perf_counter() - step:.2f} s")
        self.stdout.write(f"total {time.perf_counter() - started:.2f} s")
