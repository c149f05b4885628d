"""Where every article stands, per language and reading level: what editors must do next.

`translation_matrix` reads everything in a fixed number of queries (however
many articles there are) and returns one `ArticleRow` per article, holding a
`Cell` per language × level. A cell keeps each fact as its own flag (a text
can be complete, outdated and reviewed at once: a clinician reviewed it, then
the English changed) and derives one summary `state` for display, the most
urgent of them.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from content.languages import SOURCE_LANGUAGE, language_codes
from content.text.spreadsheet import spreadsheet_safe
from content.models import (
    Article,
    ArticleStatus,
    ArticleVariant,
    ReadingLevel,
    ReviewStatus,
    SourceDocument,
    TranslationReview,
)
from content.source_age import source_is_old
from content.translation import VARIANT_FIELDS, raw_translation
from content.editorial.translation_status import missing_fields

NEXT_REVIEW_PASSED = "next_review_passed"
SOURCES_TOO_OLD = "oldest_source_older_than_3_years"
OVERDUE_REASONS = {
    NEXT_REVIEW_PASSED: _("the next medical review date has passed"),
    SOURCES_TOO_OLD: _("the oldest cited source was last reviewed over 3 years ago"),
}

# Summary states, most urgent first: a cell shows the first that applies.
MISSING = "missing"
INCOMPLETE = "incomplete"
OUTDATED = "outdated"
UNREVIEWED = "unreviewed"
REVIEWED = "reviewed"
STATES = (MISSING, INCOMPLETE, OUTDATED, UNREVIEWED, REVIEWED)


@dataclass(frozen=True)
class Cell:
    """One language of one reading level of an article."""

    language: str
    level: str
    variant_id: int | None  # None: the article has no text at this level at all
    review_id: int | None
    filled_fields: tuple
    missing_fields: tuple  # fields the English has (or, for English, must have) that this language lacks
    outdated_fields: tuple  # fields whose English changed after this language's text was written
    reviewed: bool
    reviewed_by: str
    reviewed_on: date | None
    readability_met: bool | None  # None: not measured (no body in this language)

    @property
    def missing(self):
        return not self.filled_fields

    @property
    def complete(self):
        return bool(self.filled_fields) and not self.missing_fields

    @property
    def outdated(self):
        return bool(self.outdated_fields)

    @property
    def unreviewed(self):
        return not self.reviewed

    @property
    def state(self):
        if self.missing:
            return MISSING
        if not self.complete:
            return INCOMPLETE
        if self.outdated:
            return OUTDATED
        return UNREVIEWED if self.unreviewed else REVIEWED

    @property
    def has_problem(self):
        return self.state != REVIEWED or self.readability_met is False


@dataclass(frozen=True)
class ArticleRow:
    article_id: int
    slug: str
    title: str  # English title of the standard text (or of whichever level exists)
    status: str
    next_review: date | None
    oldest_source_review: date | None
    overdue_reason: str  # "" when not overdue, else a key of OVERDUE_REASONS
    cells: tuple
    pending_levels: tuple = ()  # levels whose working copy differs from what is published

    @property
    def status_label(self):
        return ArticleStatus(self.status).label

    @property
    def overdue(self):
        return bool(self.overdue_reason)

    @property
    def overdue_explanation(self):
        return OVERDUE_REASONS.get(self.overdue_reason, "")

    @property
    def has_problems(self):
        return self.overdue or any(cell.has_problem for cell in self.cells)


def matrix_columns():
    """(language, level) pairs in display order: languages as configured, standard before plain."""
    return [(language, level) for language in language_codes() for level in ReadingLevel.values]


def translation_matrix(today=None, status=None):
    """An ArticleRow for every article (of any status, or only of `status`), in the admin's order."""
    today = today or timezone.localdate()
    articles = Article.objects.prefetch_related(
        Prefetch("sources", queryset=SourceDocument.objects.only("id", "last_medical_review", "updated_on", "last_revised")),
        Prefetch(
            "variants",
            queryset=ArticleVariant.objects.prefetch_related(
                Prefetch(
                    "reviews",
                    queryset=TranslationReview.objects.only(
                        "id", "variant_id", "language", "status", "reviewed_by", "reviewed_on", "outdated_fields"
                    ),
                ),
            ),
        ),
    ).only("id", "slug", "status", "next_review")
    if status:
        articles = articles.filter(status=status)
    return [_article_row(article, today) for article in articles]


def _article_row(article, today):
    variants = {variant.level: variant for variant in article.variants.all()}
    title_variant = variants.get(ReadingLevel.STANDARD) or next(iter(variants.values()), None)
    oldest_source_review = min(
        (source.review_date for source in article.sources.all() if source.review_date), default=None
    )
    return ArticleRow(
        article_id=article.pk,
        slug=article.slug,
        title=raw_translation(title_variant, "title", SOURCE_LANGUAGE) if title_variant else "",
        status=article.status,
        next_review=article.next_review,
        oldest_source_review=oldest_source_review,
        overdue_reason=overdue_reason(article.next_review, oldest_source_review, today),
        cells=tuple(_cell(variants.get(level), language, level) for language, level in matrix_columns()),
        pending_levels=tuple(
            variant.get_level_display() for level, variant in sorted(variants.items())
            if article.status == ArticleStatus.PUBLISHED and variant.has_pending_changes
        ),
    )


def overdue_reason(next_review, oldest_source_review, today):
    """Why an article's medical review is overdue, as a key of OVERDUE_REASONS; "" if it is not.

    An old source makes the article overdue whatever `next_review` says: a
    date set in the future does not make a 2012 page any younger.
    """
    if source_is_old(oldest_source_review, today):
        return SOURCES_TOO_OLD
    if next_review is not None and next_review < today:
        return NEXT_REVIEW_PASSED
    return ""


def _cell(variant, language, level):
    if variant is None:
        return Cell(language, level, None, None, (), (), (), False, "", None, None)
    texts = {name: raw_translation(variant, name, language).strip() for name in VARIANT_FIELDS}
    review = next((review for review in variant.reviews.all() if review.language == language), None)
    measured = variant.readability.get(language)
    return Cell(
        language=language,
        level=level,
        variant_id=variant.pk,
        review_id=review.pk if review else None,
        filled_fields=tuple(name for name in VARIANT_FIELDS if texts[name]),
        missing_fields=missing_fields(variant, language),
        outdated_fields=tuple(review.outdated_fields) if review else (),
        reviewed=bool(review and review.status == ReviewStatus.CLINICIAN_REVIEWED),
        reviewed_by=review.reviewed_by if review else "",
        reviewed_on=review.reviewed_on if review else None,
        readability_met=bool(measured.get("meets_target")) if measured else None,
    )


CSV_HEADER = (
    "article", "title_en", "status", "next_review", "overdue", "overdue_reason", "oldest_source_review",
    "language", "level", "state", "complete", "missing_fields", "outdated_fields",
    "reviewed", "reviewed_by", "reviewed_on", "readability_met",
)


def matrix_csv(rows):
    """The matrix as CSV: a header, then one line per article × language × level."""
    out = io.StringIO()
    # Every cell quoted and guarded: editors open this file in spreadsheets set to any separator.
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    writer.writerow(CSV_HEADER)
    for row in rows:
        for cell in row.cells:
            writer.writerow(spreadsheet_safe(value) for value in (
                row.slug, row.title, row.status, _date(row.next_review), _yes_no(row.overdue),
                row.overdue_reason, _date(row.oldest_source_review),
                cell.language, cell.level, cell.state, _yes_no(cell.complete),
                " ".join(cell.missing_fields), " ".join(cell.outdated_fields),
                _yes_no(cell.reviewed), cell.reviewed_by, _date(cell.reviewed_on),
                "" if cell.readability_met is None else _yes_no(cell.readability_met),
            ))
    return out.getvalue()


def _yes_no(flag):
    return "yes" if flag else "no"


def _date(day):
    return day.isoformat() if day else ""

