from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from content.editorial.exchange.exporting import ExportRefused, export_articles
from content.editorial.exchange.units import target_languages
from content.editorial.exchange.formats import FORMATS
from content.models import Article


class Command(BaseCommand):
    help = (
        "Export articles for translation into one language, as XLIFF 1.2 or PO: one unit per article, level and "
        "field, with the English as source and the current translation as target. Translate the file, then bring "
        "it back with import_translations."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="SLUG", help="Articles to export (default: all).")
        parser.add_argument("--lang", required=True, help=f"Target language: {', '.join(target_languages())}.")
        parser.add_argument("--format", dest="format_name", choices=list(FORMATS), default="xliff")
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")

    def handle(self, *args, slugs, lang, format_name, output, verbosity, **options):
        articles = Article.objects.all()
        if slugs:
            missing = sorted(set(slugs) - set(Article.objects.filter(slug__in=slugs).values_list("slug", flat=True)))
            if missing:
                raise CommandError(f"no article with slug: {', '.join(missing)}")
            articles = articles.filter(slug__in=slugs)
        try:
            exported = export_articles(articles, lang, format_name)
        except ExportRefused as refusal:
            raise CommandError(str(refusal)) from refusal

        # With the file on stdout, progress must not end up inside it.
        progress = self.stdout if output else self.stderr
        if output:
            Path(output).write_bytes(exported.content)
            destination = output
        else:
            self.stdout.write(exported.content.decode("utf-8"), ending="")
            destination = "standard output"
        if verbosity >= 1:
            progress.write(
                f"Exported {exported.unit_count} units from {exported.article_count} "
                f"article{'s' if exported.article_count != 1 else ''} for {lang} to {destination}"
            )
