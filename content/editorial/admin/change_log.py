"""The change log, read-only: what patients could see change, in order."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from content.editorial import reasons
from content.models import ChangeLogEntry


@admin.register(ChangeLogEntry)
class ChangeLogEntryAdmin(admin.ModelAdmin):
    list_display = ("id", "at", "action", "kind", "slug", "languages", "levels", "by", "reason")
    list_filter = ("action", "kind")
    search_fields = ("slug", "comment")
    readonly_fields = [field.name for field in ChangeLogEntry._meta.fields if field.name != "comment"] + ["reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("comment"))
    def reason(self, entry):
        return reasons.shown(entry.comment)
