"""Signals the write path sends after a change patients can see is committed.

Sent from `transaction.on_commit`, with the change-log entry's id, so a
receiver reads the committed change log; nothing is told about a change
that was rolled back.
"""

from django.dispatch import Signal

# Sent with `entry_id`: the ChangeLogEntry just committed.
change_logged = Signal()
