"""Editors' overview pages beside the article admin: the translation dashboard and what changed in the English.

The admin wires these in (content/editorial/admin/articles.py, `extra_article_urls`),
wrapped in `admin_site.admin_view`, which requires a staff login; each view
also requires permission to view articles.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content.editorial.dashboard import INCOMPLETE, MISSING, OUTDATED, REVIEWED, UNREVIEWED, matrix_columns, matrix_csv, translation_matrix
from content.languages import bcp47_tag, text_direction
from content.models import Article, ArticleStatus, ArticleVariant, ReadingLevel, TranslationReview
from content.editorial.fact_check import open_counts
from content.editorial.revisions import field_label, word_diff
from content.translation import raw_translation
from content.languages import SOURCE_LANGUAGE

# The symbol helps sighted readers scan the table; the label carries the
# meaning, so neither colour nor symbol is needed to read a cell.
STATE_SYMBOLS = {MISSING: "—", INCOMPLETE: "½", OUTDATED: "⟳", UNREVIEWED: "?", REVIEWED: "✓"}
STATE_LABELS = {
    MISSING: gettext_lazy("Missing"),
    INCOMPLETE: gettext_lazy("Incomplete"),
    OUTDATED: gettext_lazy("Outdated"),
    UNREVIEWED: gettext_lazy("Unreviewed"),
    REVIEWED: gettext_lazy("Reviewed"),
}


@dataclass(frozen=True)
class DashboardCell:
    cell: object  # content.editorial.dashboard.Cell
    symbol: str
    label: str
    detail: str  # which fields, when the state concerns some fields only
    edit_url: str
    changes_url: str  # the outdated-translation page, for outdated cells only
    where: str  # "Spanish, Standard": read out with the link, whose label repeats down the table


def field_labels(names):
    return ", ".join(field_label(ArticleVariant, name) for name in names)


def dashboard_cell(cell, article_id):
    if cell.variant_id is None:
        edit_url = reverse("admin:content_article_change", args=[article_id])
    else:
        edit_url = reverse("admin:content_articlevariant_change", args=[cell.variant_id])
    detail = ""
    if cell.state == INCOMPLETE:
        detail = _("no %(fields)s") % {"fields": field_labels(cell.missing_fields)}
    elif cell.state == OUTDATED:
        detail = field_labels(cell.outdated_fields)
    changes_url = ""
    if cell.outdated and cell.review_id:
        changes_url = reverse("admin:content_outdated_translation", args=[cell.review_id])
    where = f"{dict(settings.LANGUAGES)[cell.language]}, {ReadingLevel(cell.level).label}"
    return DashboardCell(cell, STATE_SYMBOLS[cell.state], STATE_LABELS[cell.state], detail, edit_url, changes_url, where)


@dataclass(frozen=True)
class FactCheckCell:
    total: int
    per_language: tuple  # ((language, open mismatches), ...), languages with any
    url: str  # the article's page, at its fact-check section


def fact_check_cell(counts, article_id):
    per_language = tuple(sorted(counts.get(article_id, {}).items()))
    url = reverse("admin:content_article_change", args=[article_id]) + "#fact-check"
    return FactCheckCell(sum(count for _language, count in per_language), per_language, url)


def _require_view_permission(request):
    if not request.user.has_perm("content.view_article"):
        raise PermissionDenied


def dashboard_view(request):
    """Every article × language × level, filtered by `?status=` and `?problems=1`; `?format=csv` downloads it."""
    _require_view_permission(request)
    status = request.GET.get("status", "")
    if status not in ArticleStatus.values:
        status = ""
    problems_only = request.GET.get("problems") == "1"
    rows = translation_matrix(status=status or None)
    if problems_only:
        rows = [row for row in rows if row.has_problems]
    if request.GET.get("format") == "csv":
        response = HttpResponse(matrix_csv(rows), content_type="text/csv; charset=utf-8")
        filename = f"translation-dashboard-{timezone.localdate().isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    fact_counts = open_counts(Article.objects.filter(pk__in=[row.article_id for row in rows]).prefetch_related("variants"))
    csv_query = request.GET.copy()
    csv_query["format"] = "csv"
    context = {
        **admin.site.each_context(request),
        "title": _("Translation dashboard"),
        "rows": [
            (row, [dashboard_cell(cell, row.article_id) for cell in row.cells], fact_check_cell(fact_counts, row.article_id))
            for row in rows
        ],
        "languages": settings.LANGUAGES,
        "levels": ReadingLevel.choices,
        "column_count": 4 + len(matrix_columns()),
        "statuses": ArticleStatus.choices,
        "selected_status": status,
        "problems_only": problems_only,
        "csv_query": csv_query.urlencode(),
    }
    return TemplateResponse(request, "admin/content/dashboard.html", context)


@dataclass(frozen=True)
class OutdatedField:
    name: str
    old_english: str
    english_diff: str  # today's English with changes marked; safe HTML, every piece of text escaped
    translation: str


def outdated_translation_view(request, review_id):
    """Side by side, per outdated field: the English the translation was made from, today's English, the translation."""
    _require_view_permission(request)
    review = get_object_or_404(TranslationReview.objects.select_related("variant__article"), pk=review_id)
    variant = review.variant
    fields = []
    for name in review.outdated_fields:
        old = review.english_basis.get(name, "")
        new = raw_translation(variant, name, SOURCE_LANGUAGE)
        fields.append(OutdatedField(field_label(ArticleVariant, name), old, word_diff(old, new), raw_translation(variant, name, review.language)))
    context = {
        **admin.site.each_context(request),
        "title": _("What changed in the English: %(variant)s [%(language)s]") % {
            "variant": variant, "language": review.language,
        },
        "review": review,
        "variant": variant,
        "article": variant.article,
        "language_name": dict(settings.LANGUAGES).get(review.language, review.language),
        "language_tag": bcp47_tag(review.language),
        "direction": text_direction(review.language),
        "fields": fields,
    }
    return TemplateResponse(request, "admin/content/outdated_translation.html", context)
