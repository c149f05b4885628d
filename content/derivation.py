"""What is computed from a variant's text when it is saved.

Requests never compute these: the API serves what `derive_variant` stored in
`ArticleVariant.derived`, one entry per language that has text.
"""

from modeltranslation.utils import build_localized_fieldname

from content.blocks import parse_body, plain_text
from content.glossary_matching import find_glossary_spans, glossary_entries
from content.languages import bcp47_tag, language_codes, text_direction
from content.readability import measure_readability
from content.reading_time import reading_time_minutes


def raw_translation(instance, field, language):
    """The stored text of one language, without modeltranslation's fallback."""
    return getattr(instance, build_localized_fieldname(field, language)) or ""


def derive_variant(variant, glossary=None):
    glossary = glossary_entries() if glossary is None else glossary
    derived = {}
    for language in language_codes():
        body = raw_translation(variant, "body", language)
        if not body.strip():
            continue
        blocks = parse_body(body)
        text = plain_text(blocks)
        derived[language] = {
            "tag": bcp47_tag(language),
            "direction": text_direction(language),
            "blocks": blocks,
            "glossary": find_glossary_spans(blocks, language, glossary),
            "readability": measure_readability(text, language, variant.level),
            "reading_time_minutes": reading_time_minutes(text, language),
        }
    return derived
