"""The two exchange formats, and telling them apart when a file comes back."""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from content.editorial.exchange.po import read_po, write_po
from content.editorial.exchange.units import UnreadableFile
from content.editorial.exchange.xliff import read_xliff, write_xliff


@dataclass(frozen=True)
class ExchangeFormat:
    name: str
    label: str
    extension: str
    content_type: str
    write: Callable  # (units, language code) -> bytes
    read: Callable  # bytes -> ExchangeFile, or raises UnreadableFile


FORMATS = {
    "xliff": ExchangeFormat("xliff", "XLIFF 1.2", "xlf", "application/x-xliff+xml", write_xliff, read_xliff),
    "po": ExchangeFormat("po", "gettext PO", "po", "text/x-gettext-translation; charset=utf-8", write_po, read_po),
}
FORMAT_CHOICES = [(exchange_format.name, exchange_format.label) for exchange_format in FORMATS.values()]


def format_of(data):
    """XLIFF if the file is XML, else PO: extensions get renamed by mail and tools, content does not."""
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    return FORMATS["xliff"] if start.startswith(b"<") else FORMATS["po"]


# How a unit starts in each format, found in the raw bytes without parsing them.
# (A PO's header is the one msgid "" followed at once by msgstr: it is not a unit.)
PO_UNIT_START = re.compile(rb'^msgid[ \t]+(?!""[ \t]*\r?\nmsgstr)', re.MULTILINE)
XLIFF_UNIT_START = re.compile(rb"<(?:[\w.-]+:)?trans-unit[\s/>]")


def unit_count_problem(data, name):
    """A sentence when `data` holds more units than a file may, else None; counted before any parsing.

    Parsing costs many times a file's size in objects (a 4.3 MB PO of 100,000
    units took 8 s and 300 MB), and a file far over the limit is not an
    export of BoneCare's articles. The count errs on the high side (a unit
    start inside a comment counts too), never the low one.
    """
    pattern = XLIFF_UNIT_START if format_of(data).name == "xliff" else PO_UNIT_START
    limit = settings.BONECARE_MAX_EXCHANGE_UNITS
    count = sum(1 for _match in pattern.finditer(data))
    if count <= limit:
        return None
    return _("%(name)s holds %(count)s translation units; files of at most %(limit)s can be imported. "
             "Export fewer articles per file.") % {"name": name, "count": count, "limit": limit}


def read_exchange_file(data):
    """The ExchangeFile in `data` (bytes); raises UnreadableFile."""
    if not data.strip():
        raise UnreadableFile("the file is empty")
    return format_of(data).read(data)
