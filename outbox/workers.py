"""Handing work to the Celery workers by task name: what a relay (the outbox dispatcher, the
infobases operations dispatch) uses to send a chunk.

Addressed by name, so no service or relay imports a tasks module: the one direction is
tasks → services (ARCHITECTURE.md, "Imports"). Every app's tasks.py is imported at start-up
(OutboxConfig.ready), so the name is known in any process; an unknown one raises KeyError
rather than going to the broker unrun.
"""

from celery import current_app


def task_send(name: str, args: tuple = (), **options):
    """`apply_async` of the registered task `name` (honours CELERY_TASK_ALWAYS_EAGER)."""
    return current_app.tasks[name].apply_async(args, **options)
