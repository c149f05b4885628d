from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from content.editorial.exchange.units import target_languages
from content.editorial.exchange.importing import import_translations
from content.editorial.upload_limit import FileRefused, read_within_limit


class Command(BaseCommand):
    help = (
        "Import a translated XLIFF or PO file made by export_translations. Everything is checked first and "
        "written in one transaction, or not at all. Units whose translation was changed in BoneCare after the "
        "export are reported as conflicts and left alone; imported text is marked unreviewed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="FILE")
        parser.add_argument(
            "--lang", help=f"Refuse the file unless it is in this language ({', '.join(target_languages())})."
        )
        parser.add_argument("--dry-run", action="store_true", help="Check and report, write nothing.")

    def handle(self, *args, path, lang, dry_run, verbosity, **options):
        file = Path(path)
        try:
            data = read_within_limit(file)
        except FileRefused as error:
            raise CommandError(f"nothing imported: {error}") from error
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from error

        report = import_translations(data, file.name, language=lang, dry_run=dry_run)

        if not report.ok:
            raise CommandError(
                f"{file.name}: nothing imported, {len(report.errors)} error(s):\n"
                + "\n".join(f"  {error}" for error in report.errors)
            )
        if verbosity >= 2:
            for unit_id in report.applied:
                self.stdout.write(f"  {'would apply' if dry_run else 'applied'}: {unit_id}")
        if verbosity >= 1:
            for unit_id in report.english_changed:
                self.stdout.write(f"  English changed since export: {unit_id} (imported, marked outdated)")
            for conflict in report.conflicts:
                self.stdout.write(f"  conflict: {conflict}")
            prefix = "Dry run, nothing written: " if dry_run else ""
            self.stdout.write(f"{prefix}{file.name} ({report.language}): {report.summary()}")
