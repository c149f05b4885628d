"""The article list's filters: the questions an editor asks every day.

Each filter is the query form of a rule the list's columns, the article page
or the dashboard already show row by row, so a filter never disagrees with
what the editor then sees: pending changes (`ArticleVariant.has_pending_changes`),
outdated translations (`TranslationReview.outdated_fields`), a missing language
(`translation_state` == "missing", the "—" in the languages column) and an old
source (`source_is_old`). Each is one EXISTS in the list's own query.
"""

from django.contrib import admin
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from content.languages import language_codes
from content.models import ArticleStatus, ArticleVariant, TranslationReview
from content.source_age import SOURCE_REVIEW_MAX_AGE_YEARS, old_sources
from content.translation import VARIANT_FIELDS

class YesNoFilter(admin.SimpleListFilter):
    """A filter answered by one condition on the article; subclasses name the condition and its two answers.

    The admin shows the title as "By <title>", so titles are nouns and the answers say the rest.
    """

    yes = no = ""

    def lookups(self, request, model_admin):
        return (("yes", self.yes), ("no", self.no))

    def condition(self):
        raise NotImplementedError

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(self.condition())
        if self.value() == "no":
            return queryset.exclude(self.condition())
        return queryset


class PendingChangesFilter(YesNoFilter):
    title = _("pending changes")
    parameter_name = "pending_changes"
    yes = _("Has pending changes")
    no = _("No pending changes")

    def condition(self):
        # ArticleVariant.has_pending_changes (content/models.py DraftOverLive): the working copy differs from what is
        # published, which includes a level added since the article's publication.
        pending = ArticleVariant.objects.filter(article=OuterRef("pk")).exclude(text_fingerprint=F("live_fingerprint"))
        return Q(status=ArticleStatus.PUBLISHED) & Q(Exists(pending))


class OutdatedTranslationsFilter(YesNoFilter):
    title = _("outdated translations")
    parameter_name = "outdated"
    yes = _("Has outdated translations")
    no = _("No outdated translations")

    def condition(self):
        return Q(Exists(TranslationReview.objects.filter(variant__article=OuterRef("pk")).exclude(outdated_fields=[])))


class MissingLanguageFilter(admin.SimpleListFilter):
    title = _("missing language")
    parameter_name = "missing_language"

    def lookups(self, request, model_admin):
        return [(code, get_language_info(code)["name_translated"]) for code in language_codes()]

    def queryset(self, request, queryset):
        language = self.value()
        if language not in language_codes():
            return queryset
        # translation_state's "missing": no variant has any text in the language's own columns (no fallback).
        any_text = Q()
        for name in VARIANT_FIELDS:
            any_text |= Q(**{f"{build_localized_fieldname(name, language)}__gt": ""})
        return queryset.exclude(Exists(ArticleVariant.objects.filter(any_text, article=OuterRef("pk"))))


class OldSourceFilter(YesNoFilter):
    title = _("source age")
    parameter_name = "old_source"
    yes = format_lazy(_("A source older than {years} years"), years=SOURCE_REVIEW_MAX_AGE_YEARS)
    no = _("No source older than that")

    def condition(self):
        return Q(Exists(old_sources(timezone.localdate()).filter(articles=OuterRef("pk"))))


ARTICLE_LIST_FILTERS = (PendingChangesFilter, OutdatedTranslationsFilter, MissingLanguageFilter, OldSourceFilter)


def title_search_fields():
    """The article search: its slug, and the title of either reading level in every language."""
    return ("slug", *(f"variants__{build_localized_fieldname('title', code)}" for code in language_codes()))
