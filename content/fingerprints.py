"""Checksums of text, to tell cheaply whether two versions say the same thing."""

import hashlib
import json

from content.languages import language_codes
from content.translation import raw_translation, translated_fields


def fingerprint(value):
    """A short checksum of a string, or of any JSON-ready value."""
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def language_texts(instance, language):
    """{field: text} of one language of a translated row."""
    return {name: raw_translation(instance, name, language) for name in translated_fields(type(instance))}


def language_fingerprint(instance, language):
    return fingerprint(language_texts(instance, language))


def text_fingerprint(instance):
    """One checksum over every language of every translated field of the row."""
    return fingerprint({language: language_texts(instance, language) for language in language_codes()})
