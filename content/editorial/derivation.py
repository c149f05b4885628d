"""What is computed from a variant's text when it is saved.

Requests never compute these: the API serves the `Rendition` rows that
`sync_renditions` keeps in step with the text, one per language with a body.
"""

from content.text.blocks import parse_body, plain_text
from content.text.glossary_matching import find_glossary_spans, glossary_entries
from content.languages import language_codes
from content.text.readability import measure_readability
from content.text.reading_time import reading_time_minutes
from content.translation import raw_translation

RENDITION_FIELDS = ("blocks", "glossary", "readability", "reading_time_minutes")


def derive_variant(variant, glossary=None):
    """{language: rendition fields} for every language of the variant that has a body."""
    glossary = glossary_entries() if glossary is None else glossary
    derived = {}
    for language in language_codes():
        body = raw_translation(variant, "body", language)
        if not body.strip():
            continue
        blocks = parse_body(body)
        text = plain_text(blocks)
        derived[language] = {
            "blocks": blocks,
            "glossary": find_glossary_spans(blocks, language, glossary),
            "readability": measure_readability(text, language, variant.level),
            "reading_time_minutes": reading_time_minutes(text, language),
        }
    return derived


def stored_renditions(variant):
    return {
        rendition.language: {name: getattr(rendition, name) for name in RENDITION_FIELDS}
        for rendition in variant.renditions.all()
    }


def sync_renditions(variant, glossary=None):
    """Write the renditions that differ from the text; return whether any did."""
    from content.models import Rendition

    wanted = derive_variant(variant, glossary)
    stored = stored_renditions(variant)
    if wanted == stored:
        return False
    Rendition.objects.filter(variant=variant).exclude(language__in=wanted).delete()
    for language, values in wanted.items():
        if stored.get(language) != values:
            Rendition.objects.update_or_create(variant=variant, language=language, defaults=values)
    return True


def rederive_variants(glossary=None):
    """Recompute every variant's renditions (after a glossary edit); return how many changed."""
    from content.models import ArticleVariant

    glossary = glossary_entries() if glossary is None else glossary
    changed = 0
    for variant in ArticleVariant.objects.select_related("article").prefetch_related("renditions"):
        if sync_renditions(variant, glossary):
            variant.article.touch()
            changed += 1
    return changed
