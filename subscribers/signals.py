"""What subscribers lets the apps above it do, without importing them (onebuh/signals.py).

Every signal is sent with `onebuh.signals.send_merged(signal, sender="subscribers", …)`,
synchronously, inside the sending service's transaction (the subscriber row locked where the
service says so); a receiver's exception rolls the change back. Receivers work set-based on the
ids they are given and return a dict of their own keys (or None), merged for the sender.
"""

from django.dispatch import Signal

# Sent by `membership_remove` after the subscriber row is locked and before the membership row
# is deleted, with `membership_ids` (a list) and `actor` (the User removing, or None).
# Receivers end what the memberships granted and return what they ended, as counts for the
# removal's audit row: infobases `{"infobase_users": n}` (1C users removed through the driver,
# licence terminations recorded), api `{"api_tokens": n}` (tokens revoked).
memberships_removing = Signal()

# Sent by `membership_change_role` when a manager's role is lowered below manager, after the
# new role is saved (subscriber row locked), with `membership_ids`, `to_role` (the 1C role the
# accesses become, "user") and `actor`. Receivers return counts for the audit row: infobases
# `{"infobase_users_lowered": n}`; a zero count is left out of the row.
memberships_lowered = Signal()

# Sent by `user_password_changed` (a change, a set or a reset) before its audit row, with `user`
# and `how` ("change", "set", "reset", "admin"). Receivers end what the old password could have handed
# out and return counts: api `{"api_tokens": n}` (every token of the person revoked).
password_changed = Signal()

# Sent by `subscribers.selectors.first_steps` (the dashboard's checklist, issue 14) with no
# arguments, outside any transaction. Receivers return expressions over a queryset of
# subscribers (`OuterRef("pk")` is the subscriber), read in the checklist's one query:
# billing `{"has_tariff": …}` (the tariff's pk, NULL without one), infobases
# `{"has_infobase": …, "people_with_access": …, "has_backup": …}`.
first_steps_requested = Signal()
