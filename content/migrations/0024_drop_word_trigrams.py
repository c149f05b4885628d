"""PostgreSQL: drop the index of each vocabulary word's trigrams (0023); typo candidates come from the held vocabulary.

Every process already holds the vocabulary per published version (content/delivery/search_memory.py), and on
SQLite its corrections always came from there. On PostgreSQL the pg_trgm query over this index gave the same
candidates at about 0.45 ms a new word, most of such a search's time (issue 19's benchmark: 14-15 % of the bare
view, against 21-27 % without it). Nothing on SQLite. The pg_trgm extension (0019) is left installed.
"""

from django.db import migrations

INDEX = "content_searchword_word_trigrams"


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


def restore_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON content_searchword USING gin (show_trgm(word)) WITH (fastupdate = off)"
        )


class Migration(migrations.Migration):

    dependencies = [
        ("content", "0023_word_trigrams"),
    ]

    operations = [
        migrations.RunPython(drop_index, restore_index),
    ]
