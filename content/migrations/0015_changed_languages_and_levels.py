"""Each change-log entry records the (language, level) pairs whose served text changed.

Entries written before this were sent to every sync client whatever its
language and level: they get every pair, so a cursor from before the upgrade
still receives everything it would have.
"""

from django.conf import settings
from django.db import migrations, models

LEVELS = ("plain", "standard")


def every_pair_for_older_entries(apps, schema_editor):
    ChangeLogEntry = apps.get_model("content", "ChangeLogEntry")
    every_pair = sorted([language, level] for language, _name in settings.LANGUAGES for level in LEVELS)
    ChangeLogEntry.objects.update(scope=every_pair)


class Migration(migrations.Migration):

    dependencies = [
        ("content", "0014_clinical_codes"),
    ]

    operations = [
        migrations.AddField(
            model_name="changelogentry",
            name="scope",
            field=models.JSONField(
                default=list,
                help_text="Each [language, level] a reader asks for whose served text changed; languages and levels list them.",
                verbose_name="languages and levels changed",
            ),
        ),
        migrations.RunPython(every_pair_for_older_entries, migrations.RunPython.noop),
    ]
