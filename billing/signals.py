"""What billing lets the apps above it do, without importing them (onebuh/signals.py).

Sent with `onebuh.signals.send_merged(signal, sender="billing", …)`, synchronously. The
writing ones are sent inside the billing service's transaction, the subscriber rows locked
(`subscribers.locks`), after the state change (`subscribers_transition`) is written; a
receiver's exception rolls the whole pass back. Receivers work set-based on the ids they are
given (a fixed number of queries whatever their number) and queue their slow work (cluster
calls, file deletions) as operations or outbox rows in the same transaction.

Why billing's own signals rather than one on the state machine: each carries what only billing
knows at that point — the block's message (the suspension reason, or "terminated"), the
suspension being lifted (non-payment or manual), the purge's rule (3.6 or 9.4) — and the purge
needs the infobase layer's summary back for its `PurgeRecord`.
"""

from django.dispatch import Signal

# Access ends: sent by the non-payment pass (3.5) after the suspension and the purge dates are
# written, by the staff's manual suspension, and by the termination (9.4), with
# `subscriber_ids` (a list) and `reason` (the suspension reason's value, or "terminated": the
# message 1C shows). Receivers return nothing: infobases blocks and unpublishes every live base.
subscribers_blocked = Signal()

# Access comes back: sent by the resume of the settled (3.5), the promised payment and the
# staff's lifting of their suspension, after the RESUMED transition, with `subscriber_ids` and
# `reason` (the value of the suspension reason that ended). Receivers return nothing: infobases
# unblocks and publishes again what the suspension blocked.
subscribers_unblocked = Signal()

# The data goes (3.6): sent by the purge pass once per rule, after the PURGED transitions and
# before the `PurgeRecord` rows, with `subscriber_ids` and `rule` (the rule's text). Receivers
# delete their data and return what they deleted, kept in the purge record: infobases
# `{"infobases": n, "infobase_rows": n, "backups": n, "infobase_users": n}`.
subscribers_purging = Signal()

# The purge pass is done (3.6): sent once with every purged `subscriber_ids`, after the
# `PurgeRecord` rows and the subscriptions' end. Receivers return nothing: api revokes the
# members' tokens.
subscribers_purged = Signal()

# Read for the downgrade check (4.4), outside any write, with `subscriber`. Receivers return
# what the subscriber uses against a tariff's limits: infobases `{"users": n, "infobases": n}`.
usage_requested = Signal()

# Read for the termination's confirmation page (billing's account admin), with `subscriber`.
# Receivers name what will be deleted 30 days on: infobases `{"infobases": [name, …]}`.
held_data_requested = Signal()
