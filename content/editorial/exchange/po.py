"""Exchange units as a gettext PO file, through translate-toolkit.

The unit id is the msgctxt (two fields can share the same English), the
checksums are extracted comments (`#.`), which PO editors and msgmerge keep,
and the language is the "Language" header in gettext's form (zh_Hans).
"""

from django.utils.translation import to_locale
from translate.storage import po
from translate.storage.poparser import PoParseError

from content.editorial.exchange.units import ExchangeFile, ExchangeUnit, UnreadableFile

ENGLISH_CHECKSUM_COMMENT = "bonecare-english-checksum: "
TARGET_CHECKSUM_COMMENT = "bonecare-target-checksum: "


def write_po(units, language):
    """PO bytes for `units` into `language` (a BoneCare code)."""
    store = po.pofile()
    store.updateheader(
        add=True,
        Project_Id_Version="BoneCare articles",
        Language=to_locale(language),
        Content_Type="text/plain; charset=UTF-8",
        X_Generator="BoneCare translation exchange",
    )
    for exchange_unit in units:
        unit = store.addsourceunit(exchange_unit.source)
        unit.setcontext(exchange_unit.unit_id)
        unit.target = exchange_unit.target
        unit.addnote(ENGLISH_CHECKSUM_COMMENT + exchange_unit.english_checksum, origin="developer")
        unit.addnote(TARGET_CHECKSUM_COMMENT + exchange_unit.target_checksum, origin="developer")
    return bytes(store)


def read_po(data):
    try:
        store = po.pofile.parsestring(data)
    except PoParseError as error:
        raise UnreadableFile(f"PO file cannot be read: {error}") from error
    except UnicodeDecodeError as error:
        raise UnreadableFile(f"PO file is not in the encoding its header declares: {error}") from error
    units = [_exchange_unit(unit) for unit in store.units if not unit.isheader() and not unit.isobsolete()]
    return ExchangeFile(language_tag=store.parseheader().get("Language", ""), units=units)


def _exchange_unit(unit):
    comments = unit.getnotes("developer").splitlines()
    target = (unit.target or "").replace("\r\n", "\n")
    return ExchangeUnit(
        unit_id=unit.getcontext(),
        source=unit.source or "",
        target=target,
        english_checksum=_comment_value(comments, ENGLISH_CHECKSUM_COMMENT),
        target_checksum=_comment_value(comments, TARGET_CHECKSUM_COMMENT),
        unfinished=unit.isfuzzy(),
    )


def _comment_value(comments, prefix):
    return next((line[len(prefix):].strip() for line in comments if line.startswith(prefix)), "")
