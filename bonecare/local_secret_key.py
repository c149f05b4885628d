"""The secret key for local use (never in production): made once per user, kept outside the code folder.

`BONECARE_ENV=production` refuses to start without DJANGO_SECRET_KEY, so this
key only signs a developer's own sessions. It lives in
`$XDG_DATA_HOME/bonecare/secret_key` (`~/.local/share/bonecare/secret_key`),
one per user and shared by that user's checkouts: each checkout has its own
database, so a shared key lets nothing through, and a read-only or throwaway
code folder still starts. The file is created readable by its owner only
(0600), all at once: a second process starting at the same moment reads the
complete key, never a half-written one.
"""

import os
import secrets
import warnings
from pathlib import Path


def key_path():
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "bonecare" / "secret_key"


def local_secret_key():
    path = key_path()
    try:
        return _read(path) or _create(path)
    except OSError as error:
        # A home without write access (some containers): serve, but sessions end with the process.
        warnings.warn(f"cannot keep a local secret key in {path} ({error}); using one for this process only")
        return secrets.token_urlsafe(50)


def _read(path):
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        return ""


def _create(path):
    """Write the key to a private temporary file, then link it into place: the name appears with the whole key."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(key)
            handle.flush()
            os.fsync(handle.fileno())
        os.link(temporary, path)
    except FileExistsError:
        return _read(path)  # another process won the race: use its key
    finally:
        temporary.unlink(missing_ok=True)
    return key
