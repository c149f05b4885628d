"""Exchange units as XLIFF 1.2, through translate-toolkit.

Why 1.2 and not 2.0: translate-toolkit 3.20.4's XLIFF 2 writer puts notes and
xml:space inside <segment>, which the XLIFF 2.0 schema forbids, and its reader
only finds notes there, so checksums written the valid way (in the unit's
<notes>) would be lost. Its XLIFF 1.x classes are solid but write version 1.1
and a placeholder file name "NoName" that ends up in every unit id; the
subclasses below only change the version and namespace, and the export names
its <file> so ids stay ours.
"""

from lxml import etree
from translate.storage import xliff

from content.editorial.exchange.units import ExchangeFile, ExchangeUnit, UnreadableFile
from content.languages import SOURCE_LANGUAGE, bcp47_tag

XLIFF_12_NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
FILE_NAME = "bonecare-articles"
ENGLISH_CHECKSUM_NOTE = "bonecare-english-checksum"
TARGET_CHECKSUM_NOTE = "bonecare-target-checksum"
# XLIFF 1.2 target states that mean "not translated yet".
UNFINISHED_STATES = {"new", "needs-translation", "needs-adaptation", "needs-l10n"}


class Xliff12Unit(xliff.xliffunit):
    namespace = XLIFF_12_NAMESPACE


class Xliff12File(xliff.xlifffile):
    UnitClass = Xliff12Unit
    namespace = XLIFF_12_NAMESPACE
    XMLskeleton = xliff.xlifffile.XMLskeleton.replace("version='1.1'", "version='1.2'").replace(
        xliff.xlifffile.namespace, XLIFF_12_NAMESPACE
    )


def write_xliff(units, language):
    """XLIFF 1.2 bytes for `units` into `language` (a BoneCare code; the file says its BCP 47 tag)."""
    store = Xliff12File(sourcelanguage=bcp47_tag(SOURCE_LANGUAGE), targetlanguage=bcp47_tag(language))
    store.switchfile(FILE_NAME, createifmissing=True)
    store.settargetlanguage(bcp47_tag(language))
    for exchange_unit in units:
        unit = store.UnitClass(exchange_unit.source)
        unit.setid(exchange_unit.unit_id)
        store.addunit(unit)
        if exchange_unit.target:
            unit.settarget(exchange_unit.target)
            # settarget also sets approved="yes", which some tools treat as locked.
            unit.markapproved(False)
        unit.addnote(exchange_unit.english_checksum, origin=ENGLISH_CHECKSUM_NOTE)
        unit.addnote(exchange_unit.target_checksum, origin=TARGET_CHECKSUM_NOTE)
    return bytes(store)


def read_xliff(data):
    try:
        store = xliff.xlifffile.parsestring(data)
    except SyntaxError as error:
        # lxml's XMLSyntaxError is a SyntaxError; its message names the line and column.
        raise UnreadableFile(f"XLIFF is not well-formed XML: {error.msg}") from error
    except ValueError as error:
        # translate-toolkit refuses XLIFF 2 this way; its advice ("use the XLIFF 2.0 parser") is for programmers.
        reason = str(error).partition(". ")[0]
        raise UnreadableFile(
            f"BoneCare exchanges XLIFF 1.2 and this file is not ({reason}); have the translation tool save "
            "XLIFF 1.2, or export the file again"
        ) from error
    except (AssertionError, StopIteration) as error:
        # The toolkit's ways of saying "the root is not <xliff>" or "there is no <file>".
        raise UnreadableFile("the file is XML but not XLIFF (no <xliff> root with a <file> in it)") from error
    return ExchangeFile(
        language_tag=store.gettargetlanguage() or "",
        units=[_exchange_unit(unit) for unit in store.units],
    )


def _exchange_unit(unit):
    target_node = unit.get_target_dom()
    state = target_node.get("state", "") if target_node is not None else ""
    target = (unit.target or "").replace("\r\n", "\n")
    return ExchangeUnit(
        # getid() prefixes the <file original="..."> name and \x04, which XML cannot contain otherwise.
        unit_id=unit.getid().rpartition("\x04")[2],
        source=unit.source or "",
        target=target,
        english_checksum=unit.getnotes(ENGLISH_CHECKSUM_NOTE).strip(),
        target_checksum=unit.getnotes(TARGET_CHECKSUM_NOTE).strip(),
        unfinished=bool(target) and state in UNFINISHED_STATES,
        unresolved_entities=_entity_references(target_node),
    )


def _entity_references(node):
    """The entities referenced in `node` that the parser kept as references.

    The five XML entities (&amp; &lt; &gt; &quot; &apos;) and character
    references (&#233;) are always replaced by their text. Any other entity
    comes from the file's own DTD: translate-toolkit's parser resolves none of
    them (so external ones cannot read a file, XXE), and the text of a
    target would lose it without a word, so the unit is refused instead.
    """
    if node is None:
        return ()
    return tuple(dict.fromkeys(entity.name for entity in node.iter(etree.Entity)))
