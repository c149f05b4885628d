"""What is computed from text when it is saved or published, never when it is requested.

- `working_readability`: the readability of the working copy, for editors.
- `render_renditions`: the published form of a variant, one Rendition per
  language with any text (`rendered_languages`, which preview uses too), which is all the API reads.
- `live_glossary_entries`: the forms of every published glossary term, which
  published articles link.
"""

from django.core.serializers.json import DjangoJSONEncoder

from content.languages import language_codes
from content.models import GlossaryTerm, Rendition
from content.text.blocks import parse_body, plain_text
from content.text.glossary_matching import entry_forms, entry_senses, find_glossary_spans
from content.text.readability import measure_readability
from content.text.reading_time import reading_time_minutes
from content.translation import VARIANT_FIELDS, raw_translation
from content.fingerprints import language_fingerprint

REVIEW_SNAPSHOT_FIELDS = ("status", "translated_by", "reviewed_by", "reviewed_on", "translated_at", "outdated_fields")


def working_readability(variant):
    """{language: readability} of every language of the variant that has a body."""
    measured = {}
    for language in language_codes():
        body = raw_translation(variant, "body", language)
        if body.strip():
            measured[language] = measure_readability(plain_text(parse_body(body)), language, variant.level)
    return measured


def live_glossary_entries():
    """[(slug, {language: [form, ...]}, {language: [other sense, ...]})] of every published glossary term."""
    return [
        (slug, entry_forms(live), entry_senses(live))
        for slug, live in GlossaryTerm.objects.exclude(live={}).order_by("slug").values_list("slug", "live")
    ]


def review_snapshot(review):
    """A review record as JSON-ready data, as it is published with the text it concerns."""
    if review is None:
        return {"status": "unreviewed", "translated_by": "", "reviewed_by": "", "reviewed_on": None,
                "translated_at": None, "outdated_fields": []}
    encoder = DjangoJSONEncoder()
    snapshot = {}
    for name in REVIEW_SNAPSHOT_FIELDS:
        value = getattr(review, name)
        snapshot[name] = encoder.default(value) if hasattr(value, "isoformat") else value
    return snapshot


def rendition_values(variant, language, glossary, review):
    body = raw_translation(variant, "body", language)
    blocks = parse_body(body)
    text = plain_text(blocks)
    title, summary = raw_translation(variant, "title", language), raw_translation(variant, "summary", language)
    return {
        "title": title,
        "summary": summary,
        "search_text": "\n".join(part for part in (title, summary, text) if part),
        "text_fingerprint": language_fingerprint(variant, language),
        "has_body": bool(blocks),
        "review": review_snapshot(review),
        "blocks": blocks,
        "glossary": find_glossary_spans(blocks, language, glossary),
        "readability": measure_readability(text, language, variant.level),
        "reading_time_minutes": reading_time_minutes(text, language),
    }


def rendered_languages(variant):
    """The languages of the variant's working copy that get a rendition, for publication and preview alike.

    Every language with any text gets one; a translation of the title alone
    is served with the English body, and says so.
    """
    return [
        code for code in language_codes() if any(raw_translation(variant, name, code).strip() for name in VARIANT_FIELDS)
    ]


def render_renditions(variant, glossary, reviews):
    """Replace the variant's published renditions with its working copy; return the languages rendered.

    `reviews` maps language to its TranslationReview (or lacks it: unreviewed).
    """
    languages = rendered_languages(variant)
    Rendition.objects.filter(variant=variant).exclude(language__in=languages).delete()
    for language in languages:
        values = rendition_values(variant, language, glossary, reviews.get(language))
        Rendition.objects.update_or_create(variant=variant, language=language, defaults=values)
    return languages


def relink_rendition(rendition, glossary):
    """Recompute a published rendition's glossary spans; return whether they changed."""
    spans = find_glossary_spans(rendition.blocks, rendition.language, glossary)
    if spans == rendition.glossary:
        return False
    rendition.glossary = spans
    rendition.save(update_fields=["glossary"])
    return True


