"""Byte ranges of a file, as players ask for them to seek (RFC 9110 §14)."""

import re

SINGLE_RANGE = re.compile(r"bytes=([0-9]{0,18})-([0-9]{0,18})")


class Unsatisfiable(Exception):
    """A well-formed range that starts beyond the end of the file: answered 416."""


def requested_range(header, size):
    """(first, last) inclusive for a Range header, or None to send the whole file.

    A header this server does not take (another unit, several ranges, a
    malformed one, `last` before `first`) is ignored, as RFC 9110 says, and
    the whole file is sent; a range beyond the end raises Unsatisfiable.
    """
    if not header:
        return None
    match = SINGLE_RANGE.fullmatch(header.strip())
    if match is None:
        return None
    first, last = match.groups()
    if first == "" and last == "":
        return None
    if first == "":  # the last N bytes
        length = int(last)
        if length == 0:
            raise Unsatisfiable
        return max(0, size - length), size - 1
    first = int(first)
    if last != "" and int(last) < first:
        return None
    if first >= size:
        raise Unsatisfiable
    return first, size - 1 if last == "" else min(int(last), size - 1)
