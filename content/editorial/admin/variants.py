"""Article variants: one tab per language, readability beside the text, review records, history."""

from django.contrib import admin
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.http import require_POST
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from content.editorial.admin.forms import OptimisticLockForm
from content.editorial.admin.permissions import locked_translation_fields
from content.languages import language_codes
from content.models import ArticleVariant, Rendition, ReviewStatus, TranslationReview
from content.text.blocks import parse_body, plain_text
from content.text.readability import measure_readability, readability_target
from content.translation import raw_translation


class TranslationReviewInline(admin.TabularInline):
    model = TranslationReview
    extra = 0
    fields = ("language", "status", "outdated_fields", "translated_by", "translated_at", "reviewed_by", "reviewed_on")
    readonly_fields = ("language", "outdated_fields", "translated_by", "translated_at")
    verbose_name_plural = _("review status per language (unreviewed until a clinician records a review)")

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("content.review_translation")


class VariantForm(OptimisticLockForm):
    class Meta:
        model = ArticleVariant
        fields = "__all__"


@admin.register(ArticleVariant)
class ArticleVariantAdmin(SimpleHistoryAdmin, TabbedTranslationAdmin):
    form = VariantForm
    list_display = ("__str__", "level", "review_column", "readability_column", "updated_at")
    list_filter = ("level", "article__status", "article__topic")
    search_fields = ("article__slug", "title_en")
    readonly_fields = ("readability_by_language",)
    inlines = [TranslationReviewInline]

    class Media:
        js = ("content/admin/live_readability.js",)
        css = {"all": ("content/admin/live_readability.css",)}

    def get_urls(self):
        measure = self.admin_site.admin_view(require_POST(self.measure_view))
        return [path("measure/", measure, name="content_articlevariant_measure")] + super().get_urls()

    def measure_view(self, request):
        """Readability of the text being edited, so the editor sees it before saving."""
        if not request.user.has_perm("content.change_articlevariant"):
            return JsonResponse({"error": "forbidden"}, status=403)
        language, level = request.POST.get("language", ""), request.POST.get("level", "standard")
        try:
            measured = measure_readability(plain_text(parse_body(request.POST.get("body", ""))), language, level)
        except (ValueError, KeyError, LookupError):
            return JsonResponse({"error": "unknown language or level"}, status=400)
        return JsonResponse(measured)

    fieldsets = [
        (None, {"fields": ["article", "level", "title", "summary", "body", "loaded_version", "overwrite_newer_changes"]}),
        (_("Readability (as last saved)"), {"fields": ["readability_by_language"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # A variant stays with its article and level once created; moving it would mislabel reviewed text.
        fixed = ["article", "level"] if obj is not None else []
        return list(super().get_readonly_fields(request, obj)) + fixed + locked_translation_fields(request.user)

    def get_queryset(self, request):
        renditions = Rendition.objects.only("id", "variant_id", "language", "readability")
        return (
            super().get_queryset(request).select_related("article").prefetch_related("reviews", Prefetch("renditions", renditions))
        )

    def save_model(self, request, obj, form, change):
        obj.changed_by = request.user.get_username()
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        """A review recorded without a name or date gets the reviewer's and today's."""
        for review_form in formset.forms:
            review = review_form.instance
            if review.status == ReviewStatus.CLINICIAN_REVIEWED and "status" in review_form.changed_data:
                review.reviewed_by = review.reviewed_by or request.user.get_full_name() or request.user.get_username()
                review.reviewed_on = review.reviewed_on or timezone.localdate()
        super().save_formset(request, form, formset, change)

    @admin.display(description=_("clinician review"))
    def review_column(self, variant):
        reviewed = {r.language for r in variant.reviews.all() if r.status == ReviewStatus.CLINICIAN_REVIEWED}
        outdated = {r.language for r in variant.reviews.all() if r.outdated_fields}
        return format_html_join(
            " ",
            "<span>{}&nbsp;{}{}</span>",
            (
                (code, _("reviewed") if code in reviewed else _("UNREVIEWED"), _(" (outdated)") if code in outdated else "")
                for code in language_codes()
                if raw_translation(variant, "body", code)
            ),
        )

    @admin.display(description=_("readability"))
    def readability_column(self, variant):
        return format_html_join(
            " ",
            "<span>{}&nbsp;{}</span>",
            ((r.language, "✓" if r.readability.get("meets_target") else "✗") for r in variant.renditions.all()),
        )

    @admin.display(description=_("readability by language"))
    def readability_by_language(self, variant):
        rows = []
        for rendition in variant.renditions.all():
            measured = rendition.readability
            sentences = measured.get("sentences", {})
            rows.append(
                (
                    rendition.language,
                    measured.get("formula_name", measured.get("formula", "")),
                    measured.get("score"),
                    readability_target(rendition.language, variant.level).get("basis", ""),
                    _("meets target") if measured.get("meets_target") else _("MISSES TARGET"),
                    sentences.get("average_length"),
                    sentences.get("longest"),
                )
            )
        if not rows:
            return _("Nothing measured yet: save a body first.")
        return format_html(
            "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>{}</table>",
            _("language"), _("formula"), _("score"), _("target"), _("verdict"), _("average sentence"), _("longest sentence"),
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )
