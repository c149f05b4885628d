from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from content.editorial.importer.errors import ImportFailure
from content.editorial.importer.service import Outcome, import_document

SUMMARY_ORDER = (Outcome.IMPORTED, Outcome.UPDATED, Outcome.UNCHANGED, Outcome.CONFLICT)


class Command(BaseCommand):
    help = (
        "Import plain-text source documents as draft articles, each with an import report for editors. "
        "Each file is imported in its own transaction; importing an unchanged file writes nothing, and an "
        "article an editor has changed is never overwritten."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="Text files to import.")
        parser.add_argument(
            "--recursive", action="store_true", help="Import the .txt files inside directories given as PATH."
        )

    def handle(self, *args, paths, recursive, verbosity, **options):
        targets = expand_paths(paths, recursive)
        counts = Counter()
        failures = []
        for position, (path, problem) in enumerate(targets, start=1):
            prefix = f"[{position}/{len(targets)}] {path.name or path}"
            try:
                if problem:
                    raise ImportFailure(problem)
                result = import_document(path)
            except ImportFailure as failure:
                failures.append(str(failure))
                if verbosity >= 1:
                    self.stderr.write(f"{prefix}: failed — {failure}")
                continue
            counts[result.outcome] += 1
            if verbosity >= 1:
                self.stdout.write(f"{prefix}: {describe(result)}")

        if verbosity >= 1:
            self.stdout.write(summary_line(counts, len(failures)))
        if failures:
            raise CommandError(
                f"{len(failures)} of {len(targets)} path(s) could not be imported:\n" + "\n".join(failures)
            )


def expand_paths(paths, recursive):
    """[(path, problem or None)]: directories become their .txt files with --recursive, a problem without."""
    targets = []
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            targets.append((path, None))
        elif not recursive:
            targets.append((path, f"{path}: is a directory (name the files in it, or pass --recursive)"))
        else:
            files = sorted(candidate for candidate in path.rglob("*.txt") if candidate.is_file())
            targets.extend((file, None) for file in files)
            if not files:
                targets.append((path, f"{path}: is a directory with no .txt files in it"))
    return targets


def describe(result):
    if result.outcome == Outcome.UNCHANGED:
        text = "unchanged — same checksum as the last import, nothing written"
    else:
        blocks = f"{result.block_count} block{'s' if result.block_count != 1 else ''}"
        defects = f"{result.defect_count} defect{'s' if result.defect_count != 1 else ''}"
        text = f"{result.outcome} — {blocks}, {defects}"
        if result.article_slug and not result.notes:
            text += f", article '{result.article_slug}'"
    return "; ".join([text, *result.notes])


def summary_line(counts, failed):
    parts = [f"{counts[outcome]} {outcome}" for outcome in SUMMARY_ORDER if counts[outcome]]
    if counts[Outcome.CONFLICT] > 1:
        parts[-1] += "s"
    if failed:
        parts.append(f"{failed} failed")
    return ", ".join(parts) or "nothing imported"
