"""Stored answers were rendered without the `license` object every article and bundle now carries: drop them.

They are rendered again, with it, on the next request (content/delivery/stored.py).
"""

from django.db import migrations


def drop_stored_answers(apps, schema_editor):
    apps.get_model("content", "StoredPayload").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("content", "0012_field_labels_in_every_language")]

    operations = [migrations.RunPython(drop_stored_answers, migrations.RunPython.noop)]
