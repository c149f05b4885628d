from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from content.editorial import services
from content.editorial.admin.forms import PlainTextForm
from content.models import Topic


@admin.register(Topic)
class TopicAdmin(TabbedTranslationAdmin):
    form = PlainTextForm
    list_display = ("slug", "name", "position")

    def save_model(self, request, obj, form, change):
        services.save_topic(obj, user=request.user)
