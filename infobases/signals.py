"""What infobases lets the apps above it do, without importing them (onebuh/signals.py).

Sent with `onebuh.signals.send_merged(signal, sender="infobases", …)`, synchronously, inside
the sending service's transaction; a receiver's exception rolls the change back.
"""

from django.dispatch import Signal

# 6.1: sent by `placement_request_record` after the placement request row is created, with
# `request` (the PlacementRequest), `subscriber`, `opened_by` (the User who uploaded), `subject`
# and `text` (the request described for the operator, in the uploader's language). Receivers
# return the ticket that tracks it: support `{"ticket": Ticket}` (category access, web channel);
# the request keeps its id.
placement_requested = Signal()
