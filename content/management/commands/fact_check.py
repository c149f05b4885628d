from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from content.rendering import live_glossary_entries
from content.editorial.fact_check import check_texts, known_differences
from content.languages import SOURCE_LANGUAGE, language_codes
from content.models import Article


class Command(BaseCommand):
    help = (
        "Check every translation and plain text against its English (numbers, organisations, glossary terms, "
        "negation) and print what differs; exits with an error while any difference is unexplained."
    )

    def add_arguments(self, parser):
        parser.add_argument("--lang", action="append", choices=language_codes(),
                            help="Only texts in this language (repeatable; en = the English plain text).")
        parser.add_argument("--article", action="append", help="Only this article slug (repeatable).")
        parser.add_argument("--explained", action="store_true", help="Also print the explained differences.")

    def handle(self, *args, lang, article, explained, **options):
        translation.activate(SOURCE_LANGUAGE)
        articles = Article.objects.prefetch_related("variants").order_by("slug")
        if article:
            articles = articles.filter(slug__in=article)
            unknown = set(article) - set(articles.values_list("slug", flat=True))
            if unknown:
                raise CommandError(f"No such article: {', '.join(sorted(unknown))}")
        glossary, known = live_glossary_entries(), known_differences()
        totals = {}
        articles = list(articles)
        for number, item in enumerate(articles, 1):
            self.stdout.write(f"[{number}/{len(articles)}] {item.slug}")
            for result in check_texts(item, glossary, known, lang):
                row = totals.setdefault(result.language, [0, 0, 0])
                row[0] += 1
                row[1] += len(result.mismatches)
                row[2] += len(result.open)
                self.stdout.write(
                    f"  {result.language} {result.level} (vs en {result.english_level}): "
                    f"{len(result.mismatches)} differences, {len(result.open)} unexplained"
                )
                for mismatch in result.mismatches:
                    if mismatch.explained and not explained:
                        continue
                    label = "explained" if mismatch.explained else "UNEXPLAINED"
                    self.stdout.write(f"    [{label}] {mismatch.description}")
                    self.stdout.write(f"      en: {mismatch.english}")
                    self.stdout.write(f"      {mismatch.language}: {mismatch.translation}")
                    if mismatch.explained:
                        self.stdout.write(f"      why: {mismatch.reason}")
        self.stdout.write("")
        self.stdout.write(f"{'language':<10}{'texts':>7}{'differences':>13}{'explained':>11}{'unexplained':>13}")
        for code in language_codes():
            if code in totals:
                texts, found, unexplained = totals[code]
                self.stdout.write(f"{code:<10}{texts:>7}{found:>13}{found - unexplained:>11}{unexplained:>13}")
        unexplained = sum(row[2] for row in totals.values())
        if unexplained:
            raise CommandError(f"{unexplained} unexplained differences: correct the text or explain them in "
                               "content/shipped/fact_check_known.yaml.")
        self.stdout.write(self.style.SUCCESS("No unexplained differences."))
