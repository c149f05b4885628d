"""Signals the write path sends when it logs a change patients can see.

`change_recorded` is sent inside the transaction that writes the change-log
entry: what a receiver writes there (webhook deliveries) commits with the
change or not at all, so a process killed right after the commit loses
nothing, and a receiver that fails rolls the change back.

`change_logged` is sent from `transaction.on_commit`, for work that may be
lost without harm because it can be done again from the committed log
(rendering stored answers again); nothing is told about a change that was
rolled back.
"""

from django.dispatch import Signal

# Sent with `entry`: the ChangeLogEntry just written, inside its transaction.
change_recorded = Signal()
# Sent with `entry_id`: the ChangeLogEntry just committed.
change_logged = Signal()
