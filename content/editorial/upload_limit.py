"""The one size limit on files BoneCare takes in (settings.BONECARE_MAX_UPLOAD_BYTES).

Every path checks the size the file system or the upload already knows
(`os.fstat`, `UploadedFile.size`) before reading a byte, so an oversized file
costs no memory: parsing XML or PO takes many times the file's size. A path
is read only when it names a regular file: the size of a FIFO, a device
(/dev/zero) or a socket says nothing about what reading it costs (0 bytes,
then forever), and a file that grows after the check is read no further
than one byte past the limit.
"""

import os
import stat

from django.conf import settings
from django.utils.translation import gettext as _


class FileRefused(Exception):
    """The file cannot be taken in; the message says why, for the person importing."""


class FileTooLarge(FileRefused):
    """The file is over the limit; the message names its size and the limit."""


def max_upload_bytes():
    return settings.BONECARE_MAX_UPLOAD_BYTES


def megabytes(size):
    return f"{size / (1024 * 1024):.1f} MB"


def size_problem(size, name):
    """A sentence for the person importing when `size` bytes is over the limit, else None."""
    limit = max_upload_bytes()
    if size <= limit:
        return None
    return _("%(name)s is %(size)s; files of at most %(limit)s can be imported.") % {
        "name": name,
        "size": megabytes(size),
        "limit": megabytes(limit),
    }


def read_within_limit(path):
    """The bytes of the regular file at `path`; FileRefused when it is not one or is over the limit.

    OSError when it cannot be opened. The type is checked on the open
    descriptor (opened without blocking, so a FIFO with no writer cannot hang
    the import), so the file checked is the file read.
    """
    name = os.path.basename(path)
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(descriptor, "rb") as file:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise FileRefused(_("%(name)s is not a regular file (a device, pipe or socket); nothing was read.")
                              % {"name": name})
        problem = size_problem(status.st_size, name)
        if problem:
            raise FileTooLarge(problem)
        limit = max_upload_bytes()
        data = file.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(size_problem(len(data), name))
    return data
