"""`manage.py restore FILE`: load a backup into an empty, migrated database (all or nothing)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from bonecare import backup


class Command(BaseCommand):
    help = (
        "Load a backup made by `manage.py backup` into an empty database that `manage.py migrate` has just "
        "created (SQLite or PostgreSQL, whichever the backup came from). Refuses a database that holds data."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a file written by `manage.py backup`")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias (default: %(default)s)")

    def handle(self, *args, file, database, **options):
        say = self.stdout.write if options["verbosity"] > 0 else None
        if say:
            say(f"Restoring {file} into {database}...")
        try:
            counts = backup.restore(file, using=database, progress=say)
        except backup.RestoreRefused as refusal:
            raise CommandError(f"Nothing was restored. {refusal}") from refusal
        if say:
            say(self.style.SUCCESS(
                f"Restored {sum(counts.values())} rows of {len(counts)} tables. Stored answers are rendered again "
                "on first request; log-ins start afresh."
            ))
