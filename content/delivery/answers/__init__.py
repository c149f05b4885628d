"""Stored answers: what each one depends on (scopes) and how they are rendered again after a change (refresh)."""
