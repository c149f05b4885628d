"""Revisions of one translated object (a variant or a glossary term): its changes, and revert.

Each object is compared only with its own earlier records. Revert shows what
it would change first, restores only the languages the person may edit, and
saves through the write path: on published content it makes a pending
change, never a live one. simple-history's own revert form is not offered,
because it would bypass all of that.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from content.editorial import services
from content.editorial.permissions import editable_languages
from content.editorial.revisions import FieldChange, revisions
from content.languages import language_codes
from content.translation import raw_translation, translated_fields
from modeltranslation.utils import build_localized_fieldname


def object_revisions(obj, since=None):
    """The object's revisions, newest first, each with the URL that reverts to it."""
    opts = obj._meta
    history = revisions(type(obj).history.filter(id=obj.pk), language_codes(), since=since)
    for revision in history:
        revision.revert_url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_revert", args=[obj.pk, revision.record.history_id]
        )
    return history


def revert_preview(obj, record, user):
    """(changes the revert would make, languages left alone because the user may not edit them)."""
    allowed = editable_languages(user)
    changes, locked = [], set()
    for language in language_codes():
        for name in translated_fields(type(obj)):
            old = getattr(record, build_localized_fieldname(name, language)) or ""
            current = raw_translation(obj, name, language)
            if old == current:
                continue
            if language in allowed:
                changes.append(FieldChange(name, language, current, old, type(obj)))
            else:
                locked.add(language)
    return changes, sorted(locked)


class RevisionsAdminMixin:
    """Adds the object's Changes page and a confirmed revert that goes through the write path."""

    changes_template = "admin/content/object_changes.html"
    revert_template = "admin/content/revert.html"

    def get_urls(self):
        opts = self.model._meta
        own = [
            path(
                "<int:pk>/changes/",
                self.admin_site.admin_view(self.object_changes_view),
                name=f"{opts.app_label}_{opts.model_name}_changes",
            ),
            path(
                "<int:pk>/revert/<int:history_id>/",
                self.admin_site.admin_view(self.revert_view),
                name=f"{opts.app_label}_{opts.model_name}_revert",
            ),
        ]
        return own + super().get_urls()

    def _context(self, request, obj, **extra):
        return {**self.admin_site.each_context(request), "opts": self.model._meta, "original": obj, **extra}

    def object_changes_view(self, request, pk):
        obj = get_object_or_404(self.model, pk=pk)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        context = self._context(
            request, obj, title=_("Changes to %(object)s") % {"object": obj}, revisions=object_revisions(obj),
            can_revert=self.has_change_permission(request, obj),
        )
        return TemplateResponse(request, self.changes_template, context)

    def revert_view(self, request, pk, history_id):
        obj = get_object_or_404(self.model, pk=pk)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        record = get_object_or_404(type(obj).history.filter(id=obj.pk), history_id=history_id)
        changes, locked = revert_preview(obj, record, request.user)
        if request.method == "POST":
            try:
                changed = services.revert_to(obj, record, user=request.user)
            except services.EditRefused as refused:
                for reason in refused.reasons:
                    messages.error(request, reason)
            else:
                if changed:
                    messages.success(request, _("Reverted %(count)d field(s). %(note)s") % {
                        "count": len(changed), "note": self.pending_note(obj)})
                else:
                    messages.info(request, _("Nothing to revert: the text already matches that revision."))
            opts = self.model._meta
            return redirect(f"admin:{opts.app_label}_{opts.model_name}_change", obj.pk)
        context = self._context(
            request, obj, title=_("Revert %(object)s") % {"object": obj}, record=record, changes=changes,
            locked_languages=locked,
        )
        return TemplateResponse(request, self.revert_template, context)

    def pending_note(self, obj):
        return _("If this was published, patients keep seeing the published text until a Medical reviewer publishes the change.")
