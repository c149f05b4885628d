from django.core.management.base import BaseCommand, CommandError

from content.editorial.shipped import SHIPPED_DIR, ShippedContentError, load_shipped_content


class Command(BaseCommand):
    help = "Load the shipped articles, glossary, topics and sources (idempotent: unchanged rows are not written)."

    def add_arguments(self, parser):
        parser.add_argument("--path", default=str(SHIPPED_DIR), help="Folder of shipped content (default: %(default)s)")

    def handle(self, *args, path, **options):
        def progress(message):
            if options["verbosity"] >= 1:
                self.stdout.write(f"  {message}")

        try:
            summary = load_shipped_content(path, progress=progress)
        except ShippedContentError as exc:
            raise CommandError(f"Nothing was loaded: {exc}") from exc
        except FileNotFoundError as exc:
            raise CommandError(f"Nothing was loaded: {exc.filename} does not exist") from exc
        if options["verbosity"] >= 1:
            for label, reason in summary.skipped:
                self.stdout.write(self.style.WARNING(f"  skipped {label}: {reason}"))
            for label in summary.updated:
                self.stdout.write(f"  updated {label} (waits for a Medical reviewer where the article is published)")
            self.stdout.write(self.style.SUCCESS(f"Shipped content loaded: {summary}."))
