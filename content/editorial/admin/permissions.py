"""Which languages a person may edit in the admin."""

from content.languages import language_codes
from content.models import LanguageAssignment
from content.editorial.translation_status import SOURCE_LANGUAGE


def editable_languages(user):
    """English for those who may edit the source text, plus a translator's assigned languages."""
    if user.is_superuser:
        return set(language_codes())
    languages = set()
    if user.has_perm("content.edit_english"):
        languages.add(SOURCE_LANGUAGE)
    if user.has_perm("content.change_articlevariant"):
        languages.update(
            LanguageAssignment.objects.filter(user=user).exclude(language=SOURCE_LANGUAGE).values_list("language", flat=True)
        )
    return languages


def locked_translation_fields(user, fields=("title", "summary", "body")):
    """Translated field names (title_es, ...) the user may not change."""
    allowed = editable_languages(user)
    return [
        f"{name}_{language.replace('-', '_')}" for language in language_codes() if language not in allowed for name in fields
    ]
