"""Stored answers are keyed by path and query alone now (content/delivery/stored.py): drop the rows keyed by a URL.

Those rows would never be looked up again, yet every publication would still
replay them. Stored answers are rendered again on demand, so nothing is lost.
"""

from django.db import migrations


def drop_rows_keyed_by_url(apps, schema_editor):
    apps.get_model("content", "StoredPayload").objects.exclude(key__startswith="/").delete()


class Migration(migrations.Migration):
    dependencies = [("content", "0010_article_published_newest_index")]

    operations = [migrations.RunPython(drop_rows_keyed_by_url, migrations.RunPython.noop)]
