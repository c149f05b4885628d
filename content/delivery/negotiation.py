"""Which language and reading level a request gets.

`?lang=` wins. It takes exactly one of our codes, spelt as the schema's
enum spells them (lowercase, like `level`), and anything else is the
client's mistake: a client that can set a parameter can send the code itself,
and one spelling per language keeps one URL, one stored answer and one cache
entry per representation. Otherwise the
Accept-Language header, which browsers and phones fill in for the reader, is
read with Django's own parser (q-values, regional tags: fr-CA -> fr, zh-CN
and zh-Hans-CN -> zh-hans); otherwise English. A tag
whose script differs from ours (zh-Hant, zh-TW) is not served as zh-hans:
those readers would get a different writing system than they asked for.
"""

from dataclasses import dataclass
from functools import lru_cache

import langcodes
from django.conf import settings
from django.dispatch import receiver
from django.test.signals import setting_changed
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import get_supported_language_variant, parse_accept_lang_header

from content.languages import language_codes, script_of
from content.models import ReadingLevel


class NegotiationError(Exception):
    def __init__(self, code, message, details):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details


@dataclass(frozen=True)
class Negotiated:
    requested_language: str | None
    language: str
    language_source: str  # "query", "header" or "default"
    requested_level: str | None
    level: str


def supported_language(tag):
    """Our language code for a BCP 47 tag, or None when we do not serve it."""
    tag = (tag or "").strip().replace("_", "-")
    if not tag or len(tag) > 35:
        return None
    try:
        code = get_supported_language_variant(tag.lower())
        requested_script = langcodes.Language.get(tag).maximize().script
    except (LookupError, ValueError, langcodes.tag_parser.LanguageTagError):
        return None
    if code not in language_codes() or requested_script != script_of(code):
        return None
    return code


def negotiate(query_params, accept_language_header):
    requested_language, language, source = _negotiate_language(query_params, accept_language_header)
    requested_level, level = _negotiate_level(query_params)
    return Negotiated(requested_language, language, source, requested_level, level)


def _negotiate_language(query_params, header):
    if "lang" in query_params:
        requested = query_params.get("lang", "")
        code = requested
        if code not in language_codes():
            raise NegotiationError(
                "unsupported_language",
                _("The language '%(lang)s' is not supported. Use one of: %(codes)s.")
                % {"lang": requested[:35], "codes": ", ".join(language_codes())},
                {"lang": requested[:35], "supported": language_codes()},
            )
        return requested, code, "query"
    code, source = language_by_header(header or "")
    return (header[:200] if header else None), code, source


@lru_cache(maxsize=4096)
def language_by_header(header):
    """(our language code, "header" or "default") for an Accept-Language header: what the view and the front serve.

    Phones send the same few headers over and over, so each is read once per process.
    """
    accepts_any = False
    for tag, quality in parse_accept_lang_header(header):
        if quality <= 0:
            continue
        if tag == "*":
            accepts_any = True
            continue
        code = supported_language(tag)
        if code:
            return code, "header"
    # "*" accepts any language, so English then is what was asked for, not a fallback.
    return settings.LANGUAGE_CODE, "header" if accepts_any else "default"


@receiver(setting_changed)
def _forget_headers_read(setting, **kwargs):
    if setting in ("LANGUAGES", "LANGUAGE_CODE"):
        language_by_header.cache_clear()


def _negotiate_level(query_params):
    requested = query_params.get("level")
    if requested is None:
        return None, ReadingLevel.STANDARD
    if requested not in ReadingLevel.values:
        raise NegotiationError(
            "unsupported_level",
            _("The reading level '%(level)s' is not supported. Use one of: %(levels)s.")
            % {"level": requested[:35], "levels": ", ".join(ReadingLevel.values)},
            {"level": requested[:35], "supported": list(ReadingLevel.values)},
        )
    return requested, requested
