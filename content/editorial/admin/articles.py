"""Articles: list with language completeness, tabbed variants, workflow, history, preview."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationStackedInline

from content.editorial.admin.codes import ClinicalCodesAdminMixin
from content.editorial.admin.article_filters import ARTICLE_LIST_FILTERS, title_search_fields
from content.editorial.admin.forms import ArticleForm
from content.editorial.admin.media import TABBED_TRANSLATION_MEDIA
from content.editorial.permissions import locked_translation_fields
from content.editorial.admin.reports import STATE_SYMBOLS, render_import_report, translation_state
from content.editorial.admin.overview_views import dashboard_view, outdated_translation_view
from content.editorial.admin.exchange_views import export_for_translation, import_translations_view
from content.languages import language_codes
from content.models import Article, ArticleStatus, ArticleVariant, ReviewStatus, StatusChange
from content.delivery.preview import preview_token
from content.editorial import services
from content.editorial.admin.history import object_revisions
from content.editorial.revisions import revisions
from content.translation import raw_translation
from content.editorial.workflow import TransitionRefused, available_transitions, change_status
from content.editorial.fact_check import check_article, open_mismatches
from content.editorial.admin.fact_check_rows import fact_check_rows


class ArticleVariantInline(TranslationStackedInline):
    model = ArticleVariant
    extra = 0
    can_delete = False
    max_num = 2
    fields = ("level", "title", "summary", "body")

    def get_readonly_fields(self, request, obj=None):
        return list(super().get_readonly_fields(request, obj)) + locked_translation_fields(request.user)


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    fields = ("changed_at", "from_status", "to_status", "changed_by", "comment")
    readonly_fields = fields
    verbose_name_plural = _("workflow history")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(ClinicalCodesAdminMixin, admin.ModelAdmin):
    form = ArticleForm
    change_form_template = "admin/content/article/change_form.html"
    list_display = (
        "slug", "english_title", "topic", "status", "languages_column", "review_column", "next_review", "updated_at"
    )
    list_filter = ("status", "topic", *ARTICLE_LIST_FILTERS)
    search_fields = (*title_search_fields(), "variants__summary_en")
    readonly_fields = ("status", "published_at", "updated_at", "created_at", "import_report")
    filter_horizontal = ("sources",)
    inlines = [ArticleVariantInline, StatusChangeInline]
    actions = [export_for_translation]
    change_list_template = "admin/content/article/change_list.html"
    fieldsets = (
        (None, {"fields": ("slug", "topic", "status", "loaded_version", "overwrite_newer_changes")}),
        (_("Provenance"), {"fields": ("sources", "imported_from", "import_report")}),
        (_("Medical review"), {"fields": ("last_reviewed", "next_review", "codes")}),
        (_("Dates"), {"fields": ("published_at", "created_at", "updated_at")}),
    )
    Media = TABBED_TRANSLATION_MEDIA

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("topic").prefetch_related("variants__reviews")

    def get_urls(self):
        own = [
            path("<int:pk>/transition/", self.admin_site.admin_view(self.transition_view), name="content_article_transition"),
            path("<int:pk>/changes/", self.admin_site.admin_view(self.changes_view), name="content_article_changes"),
            path("<int:pk>/preview/", self.admin_site.admin_view(self.preview_view), name="content_article_preview"),
        ]
        return own + extra_article_urls(self.admin_site) + super().get_urls()

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            return  # Save pressed with nothing changed: no revision, no new "updated" date
        # The sources go with the details, so the write path sees a change of cited sources and logs it.
        services.save_article_details(
            obj, user=request.user, reason=_("Edited in the admin"), sources=form.cleaned_data.get("sources"),
        )

    def save_formset(self, request, form, formset, change):
        # save(commit=False) writes nothing, but records what changed for the admin's change message;
        # the read-only workflow history then has nothing to save.
        changed = formset.save(commit=False)
        if formset.model is ArticleVariant:
            for variant in changed:
                services.save_variant(variant, user=request.user, reason=_("Edited in the admin"))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if article is not None:
            extra_context["transitions"] = available_transitions(request.user, article)
            extra_context["transition_url"] = reverse("admin:content_article_transition", args=[article.pk])
            extra_context["changes_url"] = reverse("admin:content_article_changes", args=[article.pk])
            extra_context["preview_url"] = reverse("admin:content_article_preview", args=[article.pk])
            if any(t.target == ArticleStatus.PUBLISHED for t in extra_context["transitions"]):
                # The Medical reviewer reads what the fact check found before pressing publish.
                mismatches = check_article(article)
                extra_context["fact_check"] = fact_check_rows(mismatches)
                extra_context["fact_check_open"] = len(open_mismatches(mismatches))
            extra_context["pending_levels"] = [
                variant.get_level_display() for variant in article.variants.all()
                if article.status == ArticleStatus.PUBLISHED and variant.has_pending_changes
            ]
            if article.status == ArticleStatus.PUBLISHED and article.has_pending_codes:
                extra_context["pending_levels"].append(_("clinical codes"))
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("title (English)"))
    def english_title(self, article):
        variants = sorted(article.variants.all(), key=lambda v: v.level != "standard")
        return raw_translation(variants[0], "title", "en") if variants else "—"

    @admin.display(description=_("languages (✓ complete, ½ partial, — missing)"))
    def languages_column(self, article):
        variants = list(article.variants.all())
        states = [(translation_state(variants, code), code) for code in language_codes()]
        return format_html_join(" ", '<span title="{}">{}&nbsp;{}</span>', ((s, c, STATE_SYMBOLS[s]) for s, c in states))

    @admin.display(description=_("clinician review"))
    def review_column(self, article):
        reviews = [review for variant in article.variants.all() for review in variant.reviews.all()]
        reviewed = sum(review.status == ReviewStatus.CLINICIAN_REVIEWED for review in reviews)
        outdated = sum(bool(review.outdated_fields) for review in reviews)
        summary = _("%(reviewed)d of %(total)d texts reviewed") % {"reviewed": reviewed, "total": len(reviews)}
        if outdated:
            summary += " · " + _("%(count)d outdated") % {"count": outdated}
        return summary if reviewed == len(reviews) else format_html("<strong>{}</strong>", summary)

    @admin.display(description=_("import report"))
    def import_report(self, article):
        sources = [article.imported_from] if article.imported_from_id else list(article.sources.all())
        return render_import_report([defect for source in sources for defect in source.defects.all()])

    def transition_view(self, request, pk):
        if request.method != "POST":
            return redirect("admin:content_article_change", pk)
        article = get_object_or_404(Article, pk=pk)
        try:
            change_status(
                article, request.POST.get("target", ""), request.user, request.POST.get("comment", ""),
                fact_check_reason=request.POST.get("fact_check_reason", ""),
            )
        except TransitionRefused as refused:
            for reason in refused.reasons:
                messages.error(request, reason)
        else:
            messages.success(
                request,
                _("“%(article)s” is now %(status)s.") % {"article": article.slug, "status": article.get_status_display()},
            )
        return redirect("admin:content_article_change", pk)

    def changes_view(self, request, pk):
        """The article's details and each reading level's text, each with its own revisions."""
        article = get_object_or_404(Article, pk=pk)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        can_revert = request.user.has_perm("content.change_articlevariant")
        sections = [(_("Article details (topic, sources, review dates, status)"),
                     revisions(Article.history.filter(id=pk), language_codes()), False)]
        for variant in article.variants.order_by("level"):
            sections.append((variant.get_level_display(), object_revisions(variant), can_revert))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Changes to %(article)s") % {"article": article.slug},
            "original": article,
            "sections": sections,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/content/article/changes.html", context)

    def preview_view(self, request, pk):
        article = get_object_or_404(Article, pk=pk)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        query = {"preview": preview_token(article)}
        for name in ("lang", "level"):
            if request.GET.get(name):
                query[name] = request.GET[name]
        return redirect(f"/api/v1/articles/{article.slug}/?{urlencode(query)}")


def extra_article_urls(admin_site):
    """Editors' pages that live beside the article admin (dashboard, translation exchange)."""
    return [
        path(
            "import-translations/",
            admin_site.admin_view(import_translations_view),
            name="content_article_import_translations",
        ),
        path("dashboard/", admin_site.admin_view(dashboard_view), name="content_dashboard"),
        path(
            "outdated/<int:review_id>/",
            admin_site.admin_view(outdated_translation_view),
            name="content_outdated_translation",
        ),
    ]
