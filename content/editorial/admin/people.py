from django.contrib import admin

from content.models import LanguageAssignment


@admin.register(LanguageAssignment)
class LanguageAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "language")
    list_filter = ("language",)
    autocomplete_fields = ("user",)
