"""The change log, read-only: what patients could see change, in order."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from content.editorial import reasons
from content.models import ChangeLogEntry, ReadingLevel


@admin.register(ChangeLogEntry)
class ChangeLogEntryAdmin(admin.ModelAdmin):
    list_display = ("id", "at", "action", "kind", "slug", "changed_for", "by", "reason")
    list_filter = ("action", "kind")
    search_fields = ("slug", "comment")
    readonly_fields = [field.name for field in ChangeLogEntry._meta.fields if field.name != "comment"] + [
        "changed_for", "reason"
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("comment"))
    def reason(self, entry):
        return reasons.shown(entry.comment)

    @admin.display(description=_("changed for readers of"))
    def changed_for(self, entry):
        """Each language with the levels whose served text changed, e.g. "es: plain; fr: plain, standard"."""
        levels = {}
        for language, level in entry.scope:
            levels.setdefault(language, []).append(str(ReadingLevel(level).label))
        if not levels:
            return _("nothing patients see")
        return "; ".join(f"{language}: {', '.join(names)}" for language, names in sorted(levels.items()))
