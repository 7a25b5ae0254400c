"""What support lets the apps above it add, without importing them (onebuh/signals.py).

Sent with `onebuh.signals.send_merged(signal, sender="support", …)`, synchronously.
"""

from django.dispatch import Signal

# Sent by `support.admin.context.customer_context` (the customer beside a ticket, issue 13),
# a read outside any transaction, with `subscriber` and `user` (the member of staff viewing).
# Receivers return their part of the context, each entry a list of (object, admin URL or None
# when the user may not open it): operations `{"incidents": [...]}` (open and recent incidents
# touching the subscriber).
customer_context_requested = Signal()
