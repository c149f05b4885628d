"""Signals sent when something patients can see changes: by the write path, and by the audio worker.

`change_recorded` is sent inside the transaction that writes the change-log
entry: what a receiver writes there (webhook deliveries) commits with the
change or not at all, so a process killed right after the commit loses
nothing, and a receiver that fails rolls the change back.

`change_logged` is sent from `transaction.on_commit`, for work that may be
lost without harm because it can be done again from the committed log
(rendering stored answers again); nothing is told about a change that was
rolled back.

`readings_made` and `pronunciations_made` are sent by the audio worker
(content/audio/tasks.py) once it has made audio for published text, so that
the read side, which alone knows which stored answers show that audio,
renders them again; the worker knows nothing of stored answers.
"""

from django.dispatch import Signal

# Sent with `entry`: the ChangeLogEntry just written, inside its transaction.
change_recorded = Signal()
# Sent with `entry_id`: the ChangeLogEntry just committed.
change_logged = Signal()
# Sent with `article_id`, in the audio worker, after new readings of that article were saved.
readings_made = Signal()
# Sent with `term_id`, in the audio worker, after new pronunciations of that glossary term were saved.
pronunciations_made = Signal()
