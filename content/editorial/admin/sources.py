from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from content.editorial import services
from content.editorial.admin.forms import PlainTextForm
from content.models import ImportDefect, SourceDocument


class ImportDefectInline(admin.TabularInline):
    model = ImportDefect
    extra = 0
    can_delete = False
    fields = ("line", "kind", "message", "excerpt")
    readonly_fields = fields
    verbose_name_plural = _("import report")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    form = PlainTextForm
    list_display = ("file_name", "publisher", "title", "review_date", "defect_count", "imported_at")
    search_fields = ("file_name", "publisher", "title")
    list_filter = ("publisher",)
    readonly_fields = ("checksum", "imported_at", "raw_text")
    inlines = [ImportDefectInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(defect_total=Count("defects"))

    def save_model(self, request, obj, form, change):
        services.save_source(obj, user=request.user)

    @admin.display(description=_("review date"))
    def review_date(self, source):
        return source.review_date

    @admin.display(description=_("import defects"), ordering="defect_total")
    def defect_count(self, source):
        return source.defect_total
