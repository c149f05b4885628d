"""Which languages a person may edit: English needs `edit_english`, other languages a LanguageAssignment."""

from modeltranslation.utils import build_localized_fieldname

from content.languages import SOURCE_LANGUAGE, language_codes
from content.models import LanguageAssignment
from content.translation import VARIANT_FIELDS


def editable_languages(user):
    """English for those who may edit the source text, plus a translator's assigned languages."""
    if user is None:
        return set()
    if user.is_superuser:
        return set(language_codes())
    languages = set()
    if user.has_perm("content.edit_english"):
        languages.add(SOURCE_LANGUAGE)
    languages.update(
        LanguageAssignment.objects.filter(user=user).exclude(language=SOURCE_LANGUAGE).values_list("language", flat=True)
    )
    return languages


def locked_translation_fields(user, fields=VARIANT_FIELDS):
    """Translated field names (title_es, ...) the user may not change."""
    allowed = editable_languages(user)
    return [
        build_localized_fieldname(name, language)
        for language in language_codes()
        if language not in allowed
        for name in fields
    ]
