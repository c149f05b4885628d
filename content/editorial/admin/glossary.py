"""Glossary terms: language locks for translators, pending changes a Medical reviewer publishes."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from content.editorial import services
from content.editorial.admin.codes import ClinicalCodesAdminMixin
from content.editorial.admin.forms import OptimisticLockForm
from content.editorial.admin.history import RevisionsAdminMixin
from content.editorial.permissions import editable_languages, locked_translation_fields
from content.languages import language_codes
from content.models import GlossaryTerm
from content.translation import GLOSSARY_FIELDS, raw_translation
from modeltranslation.admin import TabbedTranslationAdmin


class GlossaryTermForm(OptimisticLockForm):
    class Meta:
        model = GlossaryTerm
        fields = "__all__"


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(ClinicalCodesAdminMixin, RevisionsAdminMixin, TabbedTranslationAdmin):
    form = GlossaryTermForm
    change_form_template = "admin/content/glossaryterm/change_form.html"
    list_display = ("slug", "term", "languages_column", "publication_column", "updated_at")
    search_fields = ("slug", "term_en", "term_es", "term_fr", "term_zh_hans", "term_ar")
    readonly_fields = ("published_at",)

    def get_readonly_fields(self, request, obj=None):
        fixed = ["slug"] if obj is not None else []
        locked = locked_translation_fields(request.user, GLOSSARY_FIELDS)
        return list(super().get_readonly_fields(request, obj)) + fixed + locked

    def has_change_permission(self, request, obj=None):
        # A Medical reviewer edits no language here (they publish), only the clinical codes: without either,
        # the page is theirs to read, not to save.
        return super().has_change_permission(request, obj) and (
            bool(editable_languages(request.user)) or request.user.has_perm("content.edit_clinical_codes")
        )

    def get_urls(self):
        publish = self.admin_site.admin_view(self.publish_view)
        return [path("<int:pk>/publish/", publish, name="content_glossaryterm_publish")] + super().get_urls()

    def save_model(self, request, obj, form, change):
        services.save_glossary_term(obj, user=request.user, reason=_("Edited in the admin"))
        if obj.live:
            messages.info(request, _("Saved. Patients see the published definition until a Medical reviewer publishes this change."))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        term = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if term is not None:
            extra_context["changes_url"] = reverse("admin:content_glossaryterm_changes", args=[term.pk])
            extra_context["pending"] = term.has_pending_changes
            if term.has_pending_changes and request.user.has_perm("content.publish_glossaryterm"):
                extra_context["publish_url"] = reverse("admin:content_glossaryterm_publish", args=[term.pk])
        return super().change_view(request, object_id, form_url, extra_context)

    def publish_view(self, request, pk):
        term = get_object_or_404(GlossaryTerm, pk=pk)
        if request.method != "POST":
            return redirect("admin:content_glossaryterm_change", pk)
        if not request.user.has_perm("content.publish_glossaryterm"):
            raise PermissionDenied
        try:
            services.publish_glossary_term(term, user=request.user, comment=request.POST.get("comment", ""))
        except services.EditRefused as refused:
            for reason in refused.reasons:
                messages.error(request, reason)
        else:
            messages.success(request, _("“%(term)s” is published.") % {"term": term.slug})
        return redirect("admin:content_glossaryterm_change", pk)

    @admin.display(description=_("languages"))
    def languages_column(self, term):
        return " ".join(f"{code} {'✓' if raw_translation(term, 'definition', code) else '—'}" for code in language_codes())

    @admin.display(description=_("publication"))
    def publication_column(self, term):
        if not term.live:
            return _("not published")
        return _("changes pending") if term.has_pending_changes else _("published")
