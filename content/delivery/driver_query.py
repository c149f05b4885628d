"""The first row of one SELECT, through the database driver's own cursor, prepared on PostgreSQL: for a query
every request of a kind runs (the stored-answer lookup), where Django's cursor wrappers and PostgreSQL's
planning cost as much as the query.

Runs on Django's connection for this thread, so errors still come out as
Django's own (callers catch django.db.OperationalError as ever). While
queries are logged (DEBUG, a test counting them) or wrapped
(connection.execute_wrapper), Django's cursor runs it instead, so it is seen
and counted like any other query.
"""

from functools import lru_cache

from django.db import DEFAULT_DB_ALIAS, connections


def first_row(sql, params):
    """The first row of one SELECT, or None."""
    database = connections[DEFAULT_DB_ALIAS]  # this thread's connection, looked up once
    if database.queries_logged or database.execute_wrappers:
        with database.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
    database.ensure_connection()
    with database.wrap_database_errors:
        # PostgreSQL: a server-binding cursor, whose query psycopg prepares on its first run unless prepared statements
        # are off (prepare_threshold None in settings, behind a pooler); Django's cursors bind client-side and are
        # never prepared. At once, not after psycopg's threshold of runs: where answers are kept in memory
        # (change_listener) a connection runs the lookup only after each change, and planning it took 2 ms.
        if database.vendor != "postgresql":
            cursor, prepare = database.connection.cursor(), {}
        else:
            cursor, prepare = _prepared_cursor(database), {"prepare": database.connection.prepare_threshold is not None}
        try:
            cursor.execute(_native_placeholders(sql, database.vendor), params, **prepare)
            return cursor.fetchone()
        finally:
            cursor.close()


def _prepared_cursor(database):
    import psycopg  # only on PostgreSQL

    return psycopg.Cursor(database.connection)


@lru_cache(maxsize=4096)
def _native_placeholders(sql, vendor):
    """The driver's placeholders: SQLite's sqlite3 takes `?` where Django writes `%s` (no `%%` in these queries)."""
    if vendor != "sqlite":
        return sql
    if "%%" in sql:
        raise ValueError("a literal % in a query run on the driver's cursor")
    return sql.replace("%s", "?")
