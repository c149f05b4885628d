"""The one size limit on files BoneCare takes in (settings.BONECARE_MAX_UPLOAD_BYTES).

Every path checks the size the file system or the upload already knows
(`os.path.getsize`, `UploadedFile.size`) before reading a byte, so an
oversized file costs no memory: parsing XML or PO takes many times the
file's size.
"""

import os

from django.conf import settings
from django.utils.translation import gettext as _


class FileTooLarge(Exception):
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


def check_path_size(path):
    """Raise FileTooLarge when the file at `path` is over the limit (OSError when it cannot be read)."""
    problem = size_problem(os.path.getsize(path), os.path.basename(path))
    if problem:
        raise FileTooLarge(problem)
