"""The editors' workspace.

Translated fields get one tab per language (modeltranslation's tabbed admin,
with jQuery UI served locally). Lists show at a glance which languages are
complete and whether a clinician reviewed them; the importer's report is shown
on the article and on its source.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.db.models import Count, Prefetch
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline

from content.derivation import rederive_variants
from content.languages import language_codes
from content.publishing import publication_problems
from content.models import (
    Article,
    ArticleStatus,
    ArticleVariant,
    GlossaryTerm,
    ImportDefect,
    Rendition,
    ReviewStatus,
    SourceDocument,
    Topic,
    TranslationReview,
)
from content.translation import raw_translation


def translation_state(variants, language):
    """'complete', 'partial' or 'missing' for one language across an article's variants."""
    filled = [bool(raw_translation(v, "title", language) and raw_translation(v, "body", language)) for v in variants]
    if filled and all(filled):
        return "complete"
    return "partial" if any(filled) else "missing"


STATE_SYMBOLS = {"complete": "✓", "partial": "½", "missing": "—"}


def render_import_report(defects):
    if not defects:
        return _("No defects were found.")
    return format_html(
        "<ul>{}</ul>",
        format_html_join(
            "",
            "<li><strong>{}</strong> ({}): {}<br><code>{}</code></li>",
            (
                (defect.get_kind_display(), _("line %s") % defect.line if defect.line else "–", defect.message, defect.excerpt)
                for defect in defects
            ),
        ),
    )


class ArticleVariantFormSet(BaseInlineFormSet):
    """Refuses to publish an article whose text is not fit to publish, saying why."""

    def clean(self):
        super().clean()
        if self.instance.status != ArticleStatus.PUBLISHED:
            return
        variants = [
            form.instance for form in self.forms
            if form.has_changed() or form.instance.pk
            if not (self.can_delete and self._should_delete_form(form))
        ]
        problems = publication_problems(self.instance, variants)
        if problems:
            raise ValidationError(problems)


class ArticleVariantInline(TranslationStackedInline):
    model = ArticleVariant
    formset = ArticleVariantFormSet
    extra = 0
    max_num = 2
    fields = ("level", "title", "summary", "body")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("slug", "english_title", "topic", "status", "languages_column", "next_review", "updated_at")
    list_filter = ("status", "topic")
    search_fields = ("slug", "variants__title_en", "variants__summary_en")
    readonly_fields = ("published_at", "updated_at", "created_at", "import_report")
    filter_horizontal = ("sources",)
    inlines = [ArticleVariantInline]
    fieldsets = (
        (None, {"fields": ("slug", "topic", "status")}),
        (_("Provenance"), {"fields": ("sources", "imported_from", "import_report")}),
        (_("Medical review"), {"fields": ("last_reviewed", "next_review")}),
        (_("Dates"), {"fields": ("published_at", "created_at", "updated_at")}),
    )

    class Media:
        js = ("admin/js/jquery.init.js", "modeltranslation/js/force_jquery.js", "jquery_ui/jquery-ui.min.js",
              "modeltranslation/js/tabbed_translation_fields.js")
        css = {"all": ("modeltranslation/css/tabbed_translation_fields.css",)}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("topic").prefetch_related("variants")

    @admin.display(description=_("title (English)"))
    def english_title(self, article):
        variants = [v for v in article.variants.all() if v.level == "standard"] or list(article.variants.all())
        return raw_translation(variants[0], "title", "en") if variants else "—"

    @admin.display(description=_("languages (✓ complete, ½ partial, — missing)"))
    def languages_column(self, article):
        variants = list(article.variants.all())
        return format_html_join(
            " ",
            '<span title="{}">{}&nbsp;{}</span>',
            ((translation_state(variants, code), code, STATE_SYMBOLS[translation_state(variants, code)]) for code in language_codes()),
        )

    @admin.display(description=_("import report"))
    def import_report(self, article):
        sources = [article.imported_from] if article.imported_from_id else list(article.sources.all())
        defects = [defect for source in sources for defect in source.defects.all()]
        return render_import_report(defects)


class TranslationReviewInline(admin.TabularInline):
    model = TranslationReview
    extra = 0
    fields = ("language", "status", "translated_by", "reviewed_by", "reviewed_on")


@admin.register(ArticleVariant)
class ArticleVariantAdmin(TabbedTranslationAdmin):
    list_display = ("__str__", "level", "review_column", "readability_column", "updated_at")
    list_filter = ("level", "article__status", "article__topic")
    search_fields = ("article__slug", "title_en")
    readonly_fields = ("readability_by_language",)
    inlines = [TranslationReviewInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("article")
            .prefetch_related("reviews", Prefetch("renditions", queryset=Rendition.objects.only("id", "variant_id", "language", "readability")))
        )

    @admin.display(description=_("clinician review"))
    def review_column(self, variant):
        reviewed = {r.language for r in variant.reviews.all() if r.status == ReviewStatus.CLINICIAN_REVIEWED}
        return format_html_join(
            " ",
            "<span>{}&nbsp;{}</span>",
            ((code, _("reviewed") if code in reviewed else _("UNREVIEWED")) for code in language_codes()
             if raw_translation(variant, "body", code)),
        )

    @admin.display(description=_("readability"))
    def readability_column(self, variant):
        return format_html_join(
            " ",
            "<span>{}&nbsp;{}</span>",
            ((r.language, "✓" if r.readability.get("meets_target") else "✗") for r in variant.renditions.all()),
        )

    @admin.display(description=_("readability by language (as last saved)"))
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
                    measured.get("target", {}),
                    _("meets target") if measured.get("meets_target") else _("MISSES TARGET"),
                    sentences.get("average_length"),
                    sentences.get("longest"),
                )
            )
        if not rows:
            return _("Nothing measured yet: save a body first.")
        return format_html(
            "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>{}</table>",
            _("language"), _("formula"), _("score"), _("target"), _("verdict"), _("avg sentence"), _("longest"),
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )


class ImportDefectInline(admin.TabularInline):
    model = ImportDefect
    extra = 0
    can_delete = False
    fields = ("line", "kind", "message", "excerpt")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ("file_name", "publisher", "title", "review_date", "defect_count", "imported_at")
    search_fields = ("file_name", "publisher", "title")
    list_filter = ("publisher",)
    readonly_fields = ("checksum", "imported_at", "raw_text")
    inlines = [ImportDefectInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(defect_total=Count("defects"))

    @admin.display(description=_("review date"))
    def review_date(self, source):
        return source.review_date

    @admin.display(description=_("import defects"), ordering="defect_total")
    def defect_count(self, source):
        return source.defect_total


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(TabbedTranslationAdmin):
    list_display = ("slug", "term", "languages_column", "updated_at")
    search_fields = ("slug", "term_en", "term_es", "term_fr", "term_zh_hans", "term_ar")

    @admin.display(description=_("languages"))
    def languages_column(self, term):
        return " ".join(f"{code} {'✓' if raw_translation(term, 'definition', code) else '—'}" for code in language_codes())

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Glossary links are computed when content is saved: relink every article now.
        changed = rederive_variants()
        Article.objects.update(updated_at=obj.updated_at)
        if changed:
            messages.info(request, _("Glossary links were updated in %(count)d article variants.") % {"count": changed})


@admin.register(Topic)
class TopicAdmin(TabbedTranslationAdmin):
    list_display = ("slug", "name", "position")
