"""What BoneCare knows about each content language.

The list itself is `settings.LANGUAGES`; names come from Django's locale data
and the text direction from the language's script, so adding a language is a
settings change only.
"""

from functools import cache

import langcodes
from django.conf import settings
from django.utils.translation import get_language_info

# Scripts written right to left (ISO 15924). Direction follows the script, not
# the language: ar-Latn is left to right.
RTL_SCRIPTS = frozenset({"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg", "Mand", "Samr"})

LANGUAGE_CODE_CHOICES = [(code, code) for code, _name in settings.LANGUAGES]

# The language content is written in first and translated from; also what the
# API serves when a text has no translation. Named once, in settings.
SOURCE_LANGUAGE = settings.MODELTRANSLATION_DEFAULT_LANGUAGE


def language_codes():
    return [code for code, _name in settings.LANGUAGES]


@cache
def script_of(code):
    return langcodes.Language.get(code).maximize().script


def text_direction(code):
    return "rtl" if script_of(code) in RTL_SCRIPTS else "ltr"


@cache
def bcp47_tag(code):
    """The standard form of a Django language code: zh-hans -> zh-Hans."""
    return langcodes.standardize_tag(code)


def base_language(language):
    """Our code for a Django code or BCP 47 tag: es-ES -> es, zh-Hans-CN -> zh-hans.

    textstat would silently score `es-ES` with English constants; here a
    language we do not publish in is an error rather than a wrong number.
    """
    tag = langcodes.Language.get(language.replace("_", "-"))
    code = "zh-hans" if tag.language == "zh" else tag.language
    if code not in language_codes():
        raise ValueError(f"No content language for {language!r}")
    return code


def describe_language(code):
    info = get_language_info(code)
    return {
        "code": code,
        "tag": bcp47_tag(code),
        "name": info["name"],
        "native_name": info["name_local"],
        "direction": text_direction(code),
    }
