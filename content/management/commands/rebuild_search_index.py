from django.db import transaction
from django.core.management.base import BaseCommand

from content.editorial.search_index import rebuild_search_index


class Command(BaseCommand):
    help = (
        "Derive the search index again from published articles and glossary terms (safe to repeat; publication "
        "keeps it current, so this is for a database restored from a backup or changed outside BoneCare)."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            count = rebuild_search_index()
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {count} entries."))
