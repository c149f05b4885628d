"""PostgreSQL: index each vocabulary word's trigrams, so a word's typo corrections read only its neighbours.

Corrections are the words of a near length sharing a pg_trgm trigram with the typed one
(content/delivery/search_words.py). Over the older index (word gin_trgm_ops) PostgreSQL compared the typed word
with every word of its language: about 1 ms a word. An index of each word's trigrams (`show_trgm`) finds those
sharing one directly: about 0.1 ms. Nothing on SQLite.

Without `fastupdate`: words a publication adds go into the index itself, not a pending list. With it, an index
created before the content was loaded held every word in that list, which each query read in full, so
PostgreSQL rightly preferred reading the table: 8 ms a word until autovacuum came by.
"""

from django.db import migrations

OLD_INDEX = "content_searchword_trigrams"
INDEX = "content_searchword_word_trigrams"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON content_searchword USING gin (show_trgm(word)) WITH (fastupdate = off)"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")


def restore_old_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON content_searchword USING gin (word gin_trgm_ops)")
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("content", "0022_notify_changes"),
    ]

    operations = [
        migrations.RunPython(create_index, restore_old_index),
    ]
