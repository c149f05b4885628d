"""The fact check's mismatches as the publish screen shows them: both sentences side by side."""

from dataclasses import dataclass

from django.conf import settings

from content.languages import bcp47_tag, text_direction
from content.models import ReadingLevel


@dataclass(frozen=True)
class FactCheckRow:
    mismatch: object  # content.editorial.fact_check.Mismatch
    where: str  # "Spanish, Plain"
    compared_with: str  # "English, Standard"
    tag: str  # BCP 47 tag of the text, for lang=
    direction: str  # ltr / rtl, for dir=


def fact_check_rows(mismatches):
    """Unexplained mismatches first: they are what the reviewer must decide on."""
    languages = dict(settings.LANGUAGES)
    ordered = sorted(mismatches, key=lambda m: (m.explained, m.language != "en", m.language, m.level))
    return [
        FactCheckRow(
            mismatch,
            f"{languages[mismatch.language]}, {ReadingLevel(mismatch.level).label}",
            f"{languages['en']}, {ReadingLevel(mismatch.english_level).label}",
            bcp47_tag(mismatch.language),
            text_direction(mismatch.language),
        )
        for mismatch in ordered
    ]
