from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from content.editorial.derivation import rederive_variants
from content.languages import language_codes
from content.models import GlossaryTerm
from content.translation import raw_translation


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_display = ("slug", "term", "languages_column", "updated_at")
    search_fields = ("slug", "term_en", "term_es", "term_fr", "term_zh_hans", "term_ar")

    @admin.display(description=_("languages"))
    def languages_column(self, term):
        return " ".join(f"{code} {'✓' if raw_translation(term, 'definition', code) else '—'}" for code in language_codes())

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Glossary links are computed when content is saved: relink every article now.
        changed = rederive_variants()
        if changed:
            messages.info(
                request,
                ngettext(
                    "Glossary links were updated in %(count)d article variant.",
                    "Glossary links were updated in %(count)d article variants.",
                    changed,
                )
                % {"count": changed},
            )
