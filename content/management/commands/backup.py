"""`manage.py backup FILE`: every table that holds data, in one gzip file that `manage.py restore` loads."""

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS

from bonecare import backup


class Command(BaseCommand):
    help = "Write a backup of the whole database (gzip JSON Lines) to FILE; restore it with `manage.py restore FILE`."

    def add_arguments(self, parser):
        parser.add_argument("file", help="where to write the backup, e.g. bonecare-2026-11-26.jsonl.gz")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias (default: %(default)s)")

    def handle(self, *args, file, database, **options):
        say = self.stdout.write if options["verbosity"] > 0 else None
        if say:
            say(f"Backing up {database} to {file}; left out: {', '.join(sorted(backup.EXCLUDED))}")
        counts = backup.backup(file, using=database, progress=say)
        if say:
            say(self.style.SUCCESS(f"Backed up {sum(counts.values())} rows of {len(counts)} tables to {file}."))
