"""Which translations the English has outrun, field by field.

Each TranslationReview remembers, per field, the English text its language's
text was written from and a checksum of that text. When a language's text
changes, its basis moves to the current English and its review is reset (a
clinician reviewed the old words, not the new ones). When only the English
changes, the fields whose basis no longer matches are outdated.
"""

from django.utils import timezone

from content.models import ReviewStatus, TranslationReview

from content.languages import SOURCE_LANGUAGE, language_codes
from content.translation import VARIANT_FIELDS, raw_translation
from content.fingerprints import fingerprint


def missing_fields(variant, language):
    """Fields the language lacks: English needs all three; a translation needs what the English has."""
    if language == SOURCE_LANGUAGE:
        required = VARIANT_FIELDS
    else:
        # A translation cannot lack a field the English does not have yet.
        required = [name for name in VARIANT_FIELDS if raw_translation(variant, name, SOURCE_LANGUAGE).strip()]
    return tuple(name for name in required if not raw_translation(variant, name, language).strip())


def refresh_translation_reviews(variant, changed_by=""):
    """Bring every language's review record in step with the variant's text (called by the write path only)."""

    reviews = {review.language: review for review in TranslationReview.objects.filter(variant=variant)}
    english = {name: raw_translation(variant, name, SOURCE_LANGUAGE) for name in VARIANT_FIELDS}
    now = timezone.now()
    for language in language_codes():
        texts = {name: raw_translation(variant, name, language) for name in VARIANT_FIELDS}
        prints = {name: fingerprint(text) for name, text in texts.items() if text}
        review = reviews.get(language)
        if review is None:
            if not prints:
                continue
            review = TranslationReview(variant=variant, language=language)
        before = (review.text_fingerprints, review.english_basis, review.outdated_fields, review.status)
        changed = [name for name in prints if review.text_fingerprints.get(name) != prints[name]]
        if changed:
            review.english_basis = {**review.english_basis, **{name: english[name] for name in changed}}
            review.translated_at = now
            if changed_by:
                review.translated_by = changed_by
            if review.pk and review.status != ReviewStatus.UNREVIEWED:
                review.status = ReviewStatus.UNREVIEWED
                review.reviewed_by = ""
                review.reviewed_on = None
        review.text_fingerprints = prints
        review.outdated_fields = outdated_fields(review, english, prints) if language != SOURCE_LANGUAGE else []
        if review.pk is None or before != (review.text_fingerprints, review.english_basis, review.outdated_fields, review.status):
            review.save()


def outdated_fields(review, english, prints):
    return sorted(name for name in prints if review.english_basis.get(name, english[name]) != english[name])
