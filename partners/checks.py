"""`manage.py check`, and gunicorn's start (bonecare/wsgi.py), refuse a limit store folder anyone else could change.

The file limit store's folders are created 0700 by the server's user. One that
exists already and that another user owns, or that group or others may write
(or that sits in a folder someone else may rename entries of), is refused
rather than used: its files are read back by every worker (probe D2).
"""

from django.conf import settings
from django.core import checks

from partners.private_directory import make_private, problems


@checks.register(checks.Tags.security)
def check_limit_store_folders(app_configs=None, **kwargs):
    from partners.limit_store import CountingFileCache, limit_store

    store = limit_store()
    if not isinstance(store, CountingFileCache):
        return []  # Redis: nothing of ours on disk
    errors = []
    for folder in store.folders:
        try:
            make_private(folder)
        except OSError as error:
            errors.append(checks.Error(
                f"The limit store's folder {folder} cannot be created ({error.strerror}).",
                hint="Set BONECARE_STATE_DIR (or BONECARE_LIMITS_DIR) to a folder the server's user may create.",
                id="partners.E002",
            ))
            break
        found = problems(folder)
        if found:
            errors.append(checks.Error(
                f"The limit store's folder {folder} is not the server's alone: " + "; ".join(found) + ".",
                hint="Another user could plant or swap the files every worker reads. Point BONECARE_STATE_DIR "
                f"(or BONECARE_LIMITS_DIR, now {settings.CACHES[settings.BONECARE_LIMITS_CACHE]['LOCATION']}) "
                "at a folder only the server's user owns and may write (0700), or remove this one to have it "
                "made again.",
                id="partners.E001",
            ))
            break  # the folders inside it are no safer
    return errors
