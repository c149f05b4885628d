from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from content.editorial.importer.errors import ImportFailure
from content.editorial.importer.report import report_entries
from content.editorial.importer.service import ArticleAction, Outcome, import_document


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
        parser.add_argument(
            "--quiet", action="store_true", help="Print only the summary line, not each document and its defects."
        )

    def handle(self, *args, paths, recursive, quiet, verbosity, **options):
        targets = expand_paths(paths, recursive)
        counts = Counter()
        failures = []
        each_document = verbosity >= 1 and not quiet
        for position, (path, problem) in enumerate(targets, start=1):
            prefix = f"[{position}/{len(targets)}] {path.name or path}"
            try:
                if problem:
                    raise ImportFailure(problem)
                result = import_document(path)
            except ImportFailure as failure:
                failures.append(str(failure))
                if each_document:
                    self.stderr.write(f"{prefix}: failed — {failure}")
                continue
            counts[result.article_action] += 1
            counts["defects"] += result.defect_count
            if each_document:
                self.stdout.write(f"{prefix}: {describe(result)}")
                for line in defect_lines(result.defects):
                    self.stdout.write(line)

        if verbosity >= 1:
            self.stdout.write(summary_line(len(targets), counts, len(failures)))
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
    """The file's outcome and what became of its article, e.g. "imported — made the article 'x' (9 blocks), 1 defect"."""
    slug = result.article_slug
    article = {
        ArticleAction.MADE: f"made the article '{slug}' ({plural(result.block_count, 'block')})",
        ArticleAction.UPDATED: f"updated the article '{slug}' ({plural(result.block_count, 'block')})",
        ArticleAction.LEFT_ALONE: f"left the article '{slug}' alone",
        ArticleAction.NONE: "no article",
    }[result.article_action]
    text = f"{result.outcome} — {article}, {plural(result.defect_count, 'defect')}"
    if result.outcome == Outcome.UNCHANGED:
        text += "; same checksum as the last import, nothing written"
    return "; ".join([text, *result.notes])


def defect_lines(defects):
    """The import report as editors see it in the admin, one defect and its excerpt per pair of lines."""
    lines = []
    for kind, where, message, excerpt in report_entries(defects):
        lines.append(f"    {kind} ({where}): {message}")
        if excerpt:
            lines.append(f"        {excerpt}")
    return lines


def summary_line(documents, counts, failed):
    parts = [
        plural(documents, "document"),
        f"{plural(counts[ArticleAction.MADE], 'article')} made",
        f"{counts[ArticleAction.UPDATED]} updated",
        f"{counts[ArticleAction.LEFT_ALONE]} left alone",
        plural(counts["defects"], "defect"),
    ]
    if failed:
        parts.append(f"{failed} failed")
    return ", ".join(parts)


def plural(count, noun):
    return f"{count} {noun}{'' if count == 1 else 's'}"
