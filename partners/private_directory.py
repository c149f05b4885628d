"""Folders only the server's user can change: where BoneCare keeps what its processes read back from each other.

A folder that another user owns, or that group or others may write, lets that
user plant or swap files the server then trusts (probe D2: a pickle planted in
a predictable /tmp folder ran code as the server). The same goes for every
folder above it whose entries someone else may rename, except a sticky one
such as /tmp, where no one can rename what another user created. Folders
made here are 0700 and the server's own; an existing one is never "fixed"
silently, since who else wrote to it cannot be known: it is refused, and
`manage.py check` and gunicorn's start say why (partners/checks.py).
"""

import os
import stat
from pathlib import Path

GROUP_OR_OTHERS_MAY_WRITE = stat.S_IWGRP | stat.S_IWOTH
CODE_FOLDER = Path(os.path.realpath(Path(__file__).resolve().parent.parent))
CODE_FOLDERS = {CODE_FOLDER, *CODE_FOLDER.parents}


def make_private(path):
    """Create `path` and any missing folder above it, each 0700 (the umask cannot widen that)."""
    path = Path(path)
    missing = []
    while not path.exists() and path != path.parent:
        missing.append(path)
        path = path.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:  # another worker made it first: checked like any existing folder
            pass


def problems(path):
    """Why `path` cannot be trusted to hold only what the server wrote: [] when it can."""
    user = os.geteuid()
    path = Path(os.path.realpath(path))
    found = []
    try:
        info = path.stat()
    except OSError as error:
        return [f"{path} cannot be read ({error.strerror})"]
    if not stat.S_ISDIR(info.st_mode):
        return [f"{path} is not a folder"]
    if info.st_uid != user:
        found.append(f"{path} is owned by user id {info.st_uid}, not the server's user ({user})")
    if info.st_mode & GROUP_OR_OTHERS_MAY_WRITE:
        found.append(f"{path} may be written by {_who(info.st_mode)} (mode {stat.S_IMODE(info.st_mode):o})")
    for parent in path.parents:
        if parent in CODE_FOLDERS:
            # Whoever may change the folders that hold BoneCare's code can already change the code: refusing them
            # protects nothing, and would refuse every clone made under umask 002 (Ubuntu's, with a private group)
            # or mounted into a container as another user.
            continue
        info = parent.stat()
        if info.st_uid not in (user, 0):
            found.append(f"{parent}, which holds {path}, is owned by user id {info.st_uid}")
        if info.st_mode & GROUP_OR_OTHERS_MAY_WRITE and not info.st_mode & stat.S_ISVTX:
            found.append(f"{parent}, which holds {path}, may be written by {_who(info.st_mode)} and is not sticky")
    return found


def _who(mode):
    return " and ".join(who for who, bit in (("its group", stat.S_IWGRP), ("others", stat.S_IWOTH)) if mode & bit)
