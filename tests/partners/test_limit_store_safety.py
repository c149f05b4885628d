"""No one else on the machine can make the server run code through the limit store (probe D2).

The store's folder is BoneCare's own (0700, the server's user); a folder another
user owns or may write is refused by `manage.py check` and by gunicorn at start;
and nothing read back from the store, in files or in Redis, is unpickled.
"""

import json
import os
import pickle
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from bench.servers import HOST, bench_env, free_port, gunicorn_command
from partners.limit_store import limit_store
from tests.partners.test_limits import redis_reachable

pytestmark = pytest.mark.django_db

ROOT = Path(django_settings.BASE_DIR)
API = "/api/v1/languages/"
NOBODY = 65534
PROBED_KEY = "zzzzzzzz.anything"  # the prefix the probe's planted file was named after


class Plant:
    """Creates the marker file when unpickled, as the probe's `os.system("id > ...")` ran a command."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def planted_pickle(marker):
    # The layout of Django's FileBasedCache files: a pickled expiry, then the zlib-compressed pickled value.
    return pickle.dumps(Plant(marker)) + zlib.compress(pickle.dumps("x"))


def file_store(settings, location):
    """The embedded store (the one used without REDIS_URL) in `location`, even where this run uses Redis."""
    settings.CACHES = {**settings.CACHES, "limits": {
        "BACKEND": "partners.limit_store.CountingFileCache", "LOCATION": str(location),
    }}
    return limit_store()


def test_a_pickle_planted_in_the_store_folder_is_never_run(client, settings, tmp_path):
    marker = tmp_path / "marker"
    store = file_store(settings, tmp_path / "limits")
    path = Path(store._key_to_file("api-key:zzzzzzzz"))
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.write_bytes(planted_pickle(marker))

    answer = client.get(API, HTTP_X_API_KEY=PROBED_KEY)

    assert answer.status_code == 401
    assert not marker.exists(), "the server unpickled a file from its limit store"


def test_a_pickle_planted_in_redis_is_never_run(client, settings, tmp_path):
    if not redis_reachable():
        pytest.skip("no Redis on 127.0.0.1:6379")
    marker = tmp_path / "marker"
    settings.CACHES = {**settings.CACHES, "limits": production_redis_store(tmp_path)}
    store = limit_store()
    key = store.make_and_validate_key("api-key:zzzzzzzz")
    redis = store._cache.get_client(key, write=True)
    redis.set(key, pickle.dumps(Plant(marker)), ex=60)
    try:
        answer = client.get(API, HTTP_X_API_KEY=PROBED_KEY)
    finally:
        redis.delete(key)

    assert answer.status_code == 401
    assert not marker.exists(), "the server unpickled a value from Redis"


def production_redis_store(tmp_path):
    """The `limits` cache settings.py builds when REDIS_URL is set: the test plants where production reads."""
    code = "import json; from django.conf import settings; print(json.dumps(settings.CACHES['limits']))"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code], cwd=ROOT, capture_output=True, text=True,
        env=clean_env(tmp_path, REDIS_URL="redis://127.0.0.1:6379/0", BONECARE_LIMITS_PREFIX=f"planted-{tmp_path.name}"),
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_checked_key_record_forged_in_the_store_does_not_let_a_key_in(client, settings, tmp_path):
    """Who can write the store must not be able to mint keys: a record naming a hash of their own is refused."""
    from django.core import signing

    from partners import keys

    store = file_store(settings, tmp_path / "limits")
    _, raw_key = keys.create_key("Partner")
    prefix = raw_key.partition(".")[0]
    assert client.get(API, HTTP_X_API_KEY=raw_key).status_code == 200  # the genuine record is now in the store
    genuine = store.get(keys._cache_key(prefix))
    assert isinstance(genuine, str), "a checked key is kept as signed text"
    payload, rest = genuine.split(":", 1)
    record = json.loads(signing.b64_decode(payload.encode()))
    forged_key = f"{prefix}.{'f' * 32}"
    assert record[1]["hashed_key"] == keys.PartnerKey.objects.get(prefix=prefix).hashed_key
    record[1]["hashed_key"] = keys.PartnerKey.objects.key_generator.hash(forged_key)
    store.set(keys._cache_key(prefix), f"{signing.b64_encode(json.dumps(record).encode()).decode()}:{rest}", 60)

    assert client.get(API, HTTP_X_API_KEY=forged_key).status_code == 401
    assert client.get(API, HTTP_X_API_KEY=raw_key).status_code == 200


def test_the_embedded_store_keeps_only_json_and_forgets_what_expired(tmp_path):
    from partners.limit_store import CountingFileCache

    store = CountingFileCache(str(tmp_path / "limits"), {})
    store.set("record", ["prefix", {"revoked": False}], timeout=60)
    store.set("gone", "x", timeout=0)

    assert store.get("record") == ["prefix", {"revoked": False}]
    assert json.loads(Path(store._key_to_file("record")).read_bytes()) == ["prefix", {"revoked": False}]
    assert store.get("gone") is None and not Path(store._key_to_file("gone")).exists()
    with pytest.raises(TypeError):
        store.set("object", Plant(tmp_path / "marker"))  # refused, never pickled
    assert store.get("object") is None


# --- The folder: BoneCare's own, or refused ---------------------------------------------------------------------


def unsafe(path, how):
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if how == "owned by another user":
        os.chown(path, NOBODY, NOBODY)
    elif how == "world-writable":
        path.chmod(0o777)
    elif how == "group-writable":
        path.chmod(0o770)
    return path


UNSAFE = ["owned by another user", "world-writable", "group-writable"]


@pytest.mark.parametrize("how", UNSAFE)
def test_check_refuses_a_limits_folder_another_user_owns_or_may_write(settings, tmp_path, how):
    folder = unsafe(tmp_path / "limits", how)
    file_store(settings, folder)

    with pytest.raises(SystemCheckError) as refused:
        call_command("check")

    assert "partners.E001" in str(refused.value)
    assert str(folder) in str(refused.value)


@pytest.mark.parametrize("how", ["owned by another user", "world-writable"])
def test_check_refuses_a_limits_folder_inside_a_folder_others_control(settings, tmp_path, how):
    """Whoever may rename entries of a parent folder can swap the store's folder for one of their own."""
    parent = unsafe(tmp_path / "shared", how)
    file_store(settings, parent / "limits")

    with pytest.raises(SystemCheckError) as refused:
        call_command("check")

    assert "partners.E001" in str(refused.value)
    assert str(parent) in str(refused.value)


def test_check_accepts_a_private_folder_inside_a_sticky_shared_one(settings, tmp_path):
    """/tmp itself is world-writable but sticky: no one else can rename what we create in it."""
    shared = tmp_path / "sticky"
    shared.mkdir()
    shared.chmod(0o1777)
    file_store(settings, shared / "limits")

    call_command("check")

    assert (shared / "limits").stat().st_mode & 0o777 == 0o700


def clean_env(tmp_path, **extra):
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("DJANGO_", "BONECARE_")) and name not in ("DATABASE_URL", "REDIS_URL")}
    env.update({"XDG_DATA_HOME": str(tmp_path / "data"), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    env.update(extra)
    return env


def test_by_default_the_store_is_a_private_folder_beside_the_database(tmp_path):
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=clean_env(tmp_path),
                            capture_output=True, text=True, timeout=120)

    assert result.returncode == 0, result.stderr
    for folder in (tmp_path / "state", tmp_path / "state" / "limits"):
        assert folder.stat().st_mode & 0o777 == 0o700, folder
        assert folder.stat().st_uid == os.geteuid()


def test_manage_py_check_names_an_unsafe_limits_dir(tmp_path):
    folder = unsafe(tmp_path / "limits", "world-writable")

    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT,
                            env=clean_env(tmp_path, BONECARE_LIMITS_DIR=str(folder)),
                            capture_output=True, text=True, timeout=120)

    assert result.returncode != 0
    assert "partners.E001" in result.stderr and str(folder) in result.stderr


def test_gunicorn_refuses_to_start_on_an_unsafe_limits_dir(tmp_path):
    folder = unsafe(tmp_path / "limits", "owned by another user")
    env = bench_env(tmp_path / "db.sqlite3", BONECARE_LIMITS_DIR=str(folder), REDIS_URL="")
    port = free_port()
    server = subprocess.Popen(gunicorn_command("bonecare.wsgi", port, workers=1), cwd=ROOT, env=env,
                              start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        output, _ = server.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        server.terminate()
        output, _ = server.communicate(timeout=10)
        pytest.fail(f"gunicorn served on {HOST}:{port} with a limit store folder another user owns:\n{output}")

    assert server.returncode != 0
    assert "partners.E001" in output and str(folder) in output


def test_a_clone_made_under_umask_002_keeps_its_state_folder_beside_the_code(settings, tmp_path, monkeypatch):
    """Ubuntu's umask (002, a private group) makes a clone's folders group-writable: `make run` must still start.

    Whoever may change the folders holding the code can change the code itself, so they are not refused.
    """
    from partners import private_directory

    clone = tmp_path / "clone"
    clone.mkdir()
    clone.chmod(0o775)
    monkeypatch.setattr(private_directory, "CODE_FOLDERS", {clone, *clone.parents})
    file_store(settings, clone / "state" / "limits")

    call_command("check")  # no partners.E001

    stranger = tmp_path / "elsewhere"
    stranger.mkdir()
    stranger.chmod(0o775)
    file_store(settings, stranger / "limits")
    with pytest.raises(SystemCheckError, match="partners.E001"):
        call_command("check")


def test_the_sweep_never_removes_a_value_another_process_is_still_writing(settings, tmp_path, monkeypatch):
    """A value file gets its expiry time only once written: the sweep must not take it before then."""
    import time

    from partners import limit_store as store_module

    store = file_store(settings, tmp_path / "limits")
    store.set("warm", 1, 60)
    writing = Path(store.values_dir) / f"{store_module.WRITING_PREFIX}half-written"
    writing.write_bytes(b"{")
    os.utime(writing, (time.time() - 5, time.time() - 5))  # created a moment ago, its time not yet set
    monkeypatch.setattr(store_module.CountingFileCache, "_next_value_sweep", 0)
    store.set("another", 2, 60)  # sweeps
    assert writing.exists()
    os.utime(writing, (time.time() - 3600, time.time() - 3600))  # its writer died long ago
    monkeypatch.setattr(store_module.CountingFileCache, "_next_value_sweep", 0)
    store.set("a third", 3, 60)
    assert not writing.exists()
    assert store.get("warm") == 1
