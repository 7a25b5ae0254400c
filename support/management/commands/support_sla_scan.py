from django.core.management.base import BaseCommand

from support.services import sla_scan


class Command(BaseCommand):
    help = "SLA timers: warn at 75% of the reaction time, mark and escalate breaches (each once)."

    def handle(self, *args, **options):
        result = sla_scan()
        self.stdout.write(f"warned: {result['warned']}, breached: {result['breached']}")
