"""Telling a full disk apart from other database failures, so an import can say so plainly.

An import writes in one transaction; when the database cannot grow (SQLite's
SQLITE_FULL "database or disk is full", PostgreSQL's SQLSTATE 53100
disk_full, or the operating system's ENOSPC) the transaction is rolled back
and the person importing is told what happened and what to do, instead of a
server error. Any other database error is still raised: it is a bug or an
outage, not something the importer can explain.
"""

import errno


POSTGRESQL_DISK_FULL = "53100"

DISK_FULL_MESSAGE = (
    "disk full: the database could not store the import, so nothing was imported (everything was rolled back). "
    "Free disk space on the database server, or ask its administrator to, then import the file again."
)


def is_disk_full(error):
    """True when `error` (a DatabaseError or OSError) says the storage under the database is full."""
    for candidate in (error, error.__cause__):
        if candidate is None:
            continue
        if getattr(candidate, "sqlstate", None) == POSTGRESQL_DISK_FULL:
            return True
        if isinstance(candidate, OSError) and candidate.errno == errno.ENOSPC:
            return True
        if "database or disk is full" in str(candidate).lower():
            return True
    return False
