from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from content.models import Topic


@admin.register(Topic)
class TopicAdmin(TabbedTranslationAdmin):
    list_display = ("slug", "name", "position")
