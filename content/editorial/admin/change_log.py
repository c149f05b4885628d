"""The change log, read-only: what patients could see change, in order."""

from django.contrib import admin

from content.models import ChangeLogEntry


@admin.register(ChangeLogEntry)
class ChangeLogEntryAdmin(admin.ModelAdmin):
    list_display = ("id", "at", "action", "kind", "slug", "languages", "levels", "by", "comment")
    list_filter = ("action", "kind")
    search_fields = ("slug", "comment")
    readonly_fields = [field.name for field in ChangeLogEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
