"""The two exchange formats, and telling them apart when a file comes back."""

from collections.abc import Callable
from dataclasses import dataclass

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


def read_exchange_file(data):
    """The ExchangeFile in `data` (bytes); raises UnreadableFile."""
    if not data.strip():
        raise UnreadableFile("the file is empty")
    return format_of(data).read(data)
