"""Reading a file to import, and refusing what is not a text document."""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from content.editorial.importer.errors import ImportFailure
from content.editorial.upload_limit import FileRefused, read_within_limit

UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class SourceFile:
    path: Path
    file_name: str  # what identifies the source: the same name is the same document
    text: str
    checksum: str  # SHA-256 of the bytes, so a re-saved but identical file counts as unchanged


def read_source_file(path):
    """The file's text and checksum; ImportFailure saying why when it is not a UTF-8 text document."""
    path = Path(path)
    if not path.exists():
        raise ImportFailure(f"{path}: no such file")
    if path.is_dir():
        raise ImportFailure(f"{path}: is a directory, not a document")
    try:
        data = read_within_limit(path)
    except FileRefused as exc:
        raise ImportFailure(str(exc)) from exc
    except OSError as exc:
        raise ImportFailure(f"{path}: cannot be read ({exc.strerror})") from exc
    return SourceFile(path=path, file_name=path.name, text=decode_document(data, path.name), checksum=checksum_of(data))


def checksum_of(data):
    return hashlib.sha256(data).hexdigest()


def decode_document(data, name):
    if data.startswith(UTF16_MARKS):
        raise ImportFailure(f"{name}: is UTF-16 text; save it as UTF-8 and import it again")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ImportFailure(f"{name}: is a binary file, not a text document (NUL byte at byte offset {nul})")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ImportFailure(
            f"{name}: is not UTF-8 text (byte 0x{data[exc.start]:02X} at byte offset {exc.start}, line {line}); "
            "save it as UTF-8 and import it again"
        ) from exc
    if not text.strip():
        raise ImportFailure(f"{name}: is empty" if not data else f"{name}: contains only whitespace")
    return text
