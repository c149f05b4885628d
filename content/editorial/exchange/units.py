"""What travels in an exchange file, whatever its format.

A unit is one translated field of one variant: its id is
`<slug>/<level>/<field>`, its source the English, its target the text in the
file's language. The checksums are those of the English and of the target as
they were in BoneCare at export time; the formats carry them in notes or
comments that translation tools keep.
"""

from dataclasses import dataclass, field

from content.languages import SOURCE_LANGUAGE, language_codes
from content.models import ReadingLevel
from content.delivery.negotiation import supported_language
from content.translation import VARIANT_FIELDS, raw_translation
from content.fingerprints import fingerprint

UNIT_ID_SEPARATOR = "/"
LEVEL_ORDER = [level for level, _label in ReadingLevel.choices]


class UnreadableFile(Exception):
    """The file is not an exchange file BoneCare can read (message says where, when it can)."""


@dataclass(frozen=True)
class ExchangeUnit:
    unit_id: str
    source: str
    target: str
    english_checksum: str = ""
    target_checksum: str = ""
    # The translator's tool marked the target as not finished (PO "fuzzy", XLIFF "needs-translation").
    unfinished: bool = False
    # Names of XML entity references in the target that the file's own DTD declares (&xxe;): never resolved, so
    # reading the text would silently drop them.
    unresolved_entities: tuple = ()


@dataclass
class ExchangeFile:
    language_tag: str
    units: list = field(default_factory=list)


def unit_id(slug, level, field_name):
    return UNIT_ID_SEPARATOR.join((slug, level, field_name))


def split_unit_id(text):
    """(slug, level, field) of a well-formed unit id, else None."""
    parts = text.split(UNIT_ID_SEPARATOR)
    if len(parts) != 3 or not all(parts):
        return None
    return tuple(parts)


def text_checksum(text):
    return fingerprint(text)


def target_languages():
    """The languages a file can translate into: all but English, which is the source."""
    return [code for code in language_codes() if code != SOURCE_LANGUAGE]


def language_from_tag(tag):
    """The BoneCare language code a file's language tag names, else None.

    Tools write tags their own way (zh_Hans, zh-Hans, es_ES); they are read the
    way the API reads Accept-Language, so a regional tag counts as its language.
    """
    return supported_language(tag)


def variant_units(variant, language):
    """The units of one variant for `language`: one per translated field that has English text."""
    units = []
    for name in VARIANT_FIELDS:
        english = raw_translation(variant, name, SOURCE_LANGUAGE)
        if not english:
            # Nothing to translate; an empty msgid would also read as a PO header.
            continue
        target = raw_translation(variant, name, language)
        units.append(
            ExchangeUnit(
                unit_id=unit_id(variant.article.slug, variant.level, name),
                source=english,
                target=target,
                english_checksum=text_checksum(english),
                target_checksum=text_checksum(target),
            )
        )
    return units


def article_units(articles, language):
    """Units of every variant of `articles` (variants prefetched), standard level first."""
    units = []
    for article in articles:
        variants = sorted(article.variants.all(), key=lambda variant: LEVEL_ORDER.index(variant.level))
        for variant in variants:
            units.extend(variant_units(variant, language))
    return units
