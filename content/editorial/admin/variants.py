"""Article variants: one tab per language, readability beside the text, review records, history."""

from django.contrib import admin, messages
from django.http import JsonResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from content.editorial.admin.forms import OptimisticLockForm
from content.editorial.permissions import locked_translation_fields
from content.languages import language_codes
from content.editorial import services
from content.editorial.admin.history import RevisionsAdminMixin
from content.editorial.text_checks import length_problem
from content.models import ArticleStatus, ArticleVariant, ReviewStatus, TranslationReview
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
class ArticleVariantAdmin(RevisionsAdminMixin, TabbedTranslationAdmin):
    form = VariantForm
    change_form_template = "admin/content/articlevariant/change_form.html"
    list_display = ("__str__", "level", "publication_column", "review_column", "readability_column", "updated_at")
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
        body = request.POST.get("body", "")
        too_long = length_problem(ArticleVariant, "body", body)
        if too_long:
            return JsonResponse({"error": too_long}, status=400)
        try:
            measured = measure_readability(plain_text(parse_body(body)), language, level)
        except (ValueError, KeyError, LookupError):
            return JsonResponse({"error": "unknown language or level"}, status=400)
        return JsonResponse(measured)

    fieldsets = [
        (None, {"fields": ["article", "level", "title", "summary", "body", "loaded_version", "overwrite_newer_changes"]}),
        (_("Readability (as last saved, published or not)"), {"fields": ["readability_by_language"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # A variant stays with its article and level once created; moving it would mislabel reviewed text.
        fixed = ["article", "level"] if obj is not None else []
        return list(super().get_readonly_fields(request, obj)) + fixed + locked_translation_fields(request.user)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article").prefetch_related("reviews")

    def save_model(self, request, obj, form, change):
        services.save_variant(obj, user=request.user, reason=_("Edited in the admin"))
        if obj.article.status == ArticleStatus.PUBLISHED and obj.has_pending_changes:
            messages.info(request, _("Saved. Patients see the published text until a Medical reviewer publishes this change."))

    def save_formset(self, request, form, formset, change):
        """Reviews are recorded through the write path (a review recorded without a name or date gets the reviewer's and today's)."""
        for review in formset.save(commit=False):
                services.record_review(
                    review, status=review.status, reviewed_by=review.reviewed_by, reviewed_on=review.reviewed_on,
                    user=request.user,
                )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        variant = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if variant is not None:
            extra_context["changes_url"] = reverse("admin:content_articlevariant_changes", args=[variant.pk])
            extra_context["article_url"] = reverse("admin:content_article_change", args=[variant.article_id])
            extra_context["pending"] = variant.article.status == ArticleStatus.PUBLISHED and variant.has_pending_changes
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("publication"))
    def publication_column(self, variant):
        if not variant.live_fingerprint:
            return _("not published")
        return _("changes pending") if variant.has_pending_changes else _("published")

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
            ((language, "✓" if measured.get("meets_target") else "✗") for language, measured in variant.readability.items()),
        )

    @admin.display(description=_("readability by language"))
    def readability_by_language(self, variant):
        rows = []
        for language, measured in variant.readability.items():
            sentences = measured.get("sentences", {})
            rows.append(
                (
                    language,
                    measured.get("formula_name", measured.get("formula", "")),
                    measured.get("score"),
                    readability_target(language, variant.level)["basis"],
                    _("meets target") if measured.get("meets_target") else _("MISSES TARGET"),
                    sentences.get("average_length"),
                    sentences.get("longest"),
                )
            )
        if not rows:
            return _("Nothing measured yet: save a body first.")
        return format_html(
            '<div class="table-scroll"><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>{}</table></div>',
            _("language"), _("formula"), _("score"), _("target"), _("verdict"), _("average sentence"), _("longest sentence"),
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )
