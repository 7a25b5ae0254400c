from django.core.management.base import BaseCommand


def periodic_command(task, help_text: str) -> type[BaseCommand]:
    """A management command that runs a periodic task's code in this process, as beat would."""

    class Command(BaseCommand):
        help = help_text

        def handle(self, *args, **options):
            self.stdout.write(f"{task.name}: {task()}")

    return Command
