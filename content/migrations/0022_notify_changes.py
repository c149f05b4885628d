"""PostgreSQL: a statement trigger on every table a stored answer's validators read, notifying listeners of changes.

Each write to these tables calls pg_notify('bonecare_changes', <table>) in its transaction; PostgreSQL delivers one
notification per table and transaction when it commits (content/delivery/change_listener.py). Nothing on SQLite.
"""

from django.db import migrations

# The tables scopes' validators read, as scopes.tables_read() names them today; servers check at start that each has
# the trigger (content/delivery/change_listener.py).
TABLES = (
    "content_article",
    "content_articlevariant",
    "content_audioreading",
    "content_changelogentry",
    "content_glossaryterm",
    "content_rendition",
    "content_termpronunciation",
)
FUNCTION = "bonecare_notify_change"


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN PERFORM pg_notify('bonecare_changes', TG_TABLE_NAME); RETURN NULL; END $$"
    )
    for table in TABLES:
        schema_editor.execute(
            f'CREATE TRIGGER {FUNCTION} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
            f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
        )
        # Also in a session with session_replication_role = replica (pg_restore --disable-triggers, replication).
        schema_editor.execute(f'ALTER TABLE "{table}" ENABLE ALWAYS TRIGGER {FUNCTION}')


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f'DROP TRIGGER IF EXISTS {FUNCTION} ON "{table}"')
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")


class Migration(migrations.Migration):

    dependencies = [
        ("content", "0021_pronunciations"),
    ]

    operations = [
        migrations.RunPython(create_triggers, drop_triggers),
    ]
