"""Request limits as a client meets them: the RateLimit headers on every API answer, then 429 with Retry-After."""

import logging
import os
import re
import socket
import time

import pytest
from django.core.cache import caches
from django.test import RequestFactory

from partners import limits
from partners.limit_store import limit_store
from tests.factories import make_article

pytestmark = pytest.mark.django_db

API = "/api/v1/languages/"


def redis_reachable():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_cache(url):
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "bonecare-limits-test",
        "OPTIONS": {
            "socket_connect_timeout": 0.25, "socket_timeout": 0.25,
            "serializer": "partners.limit_store.JsonSerializer",
        },
    }


@pytest.fixture(params=["files", "redis"])
def limit_store_kind(request, settings, monkeypatch):
    """The same behaviour with the embedded store and with Redis (skipped when no Redis listens on 6379)."""
    if request.param == "redis":
        if not redis_reachable():
            pytest.skip("no Redis on 127.0.0.1:6379")
        settings.CACHES = {**settings.CACHES, "limits": redis_cache("redis://127.0.0.1:6379/0")}
        monkeypatch.setattr(limit_store(), "key_prefix", f"test-{request.node.name}-{id(request)}")
    return request.param


def test_every_api_answer_says_the_policy_and_what_is_left(client):
    article = make_article(slug="bone-sarcoma")
    first = client.get(f"/api/v1/articles/{article.slug}/")
    stored = client.get(f"/api/v1/articles/{article.slug}/")
    not_modified = client.get(f"/api/v1/articles/{article.slug}/", HTTP_IF_NONE_MATCH=stored["ETag"])
    not_found = client.get("/api/v1/articles/no-such-article/")

    assert [r.status_code for r in (first, stored, not_modified, not_found)] == [200, 200, 304, 404]
    for response in (first, stored, not_modified, not_found):
        assert response["RateLimit-Policy"] == '"anonymous";q=120;w=60'
    remaining = [int(re.fullmatch(r'"anonymous";r=(\d+);t=\d+', r["RateLimit"]).group(1))
                 for r in (first, stored, not_modified, not_found)]
    assert remaining == [119, 118, 117, 116]


def test_over_the_limit_is_429_with_retry_after_in_the_error_shape(client, settings, limit_store_kind):
    settings.BONECARE_ANONYMOUS_LIMIT = 3
    answers = [client.get(API, HTTP_ACCEPT_LANGUAGE="fr") for _ in range(4)]  # 2nd to 4th are stored answers

    assert [r.status_code for r in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    reset = int(refused["Retry-After"])
    assert 1 <= reset <= 60
    assert refused["RateLimit-Policy"] == '"anonymous";q=3;w=60'
    assert refused["RateLimit"] == f'"anonymous";r=0;t={reset}'
    assert refused["Cache-Control"] == "no-store"
    assert refused.json() == {
        "error": {"code": "throttled", "message": "Trop de requêtes\u00a0; réessayez plus tard.", "details": {"wait_seconds": reset}}
    }


def test_a_key_has_its_own_budget_apart_from_the_address(client, settings):
    from partners import keys

    settings.BONECARE_ANONYMOUS_LIMIT = 1
    _, raw_key = keys.create_key("Partner", request_limit=2)
    assert client.get(API).status_code == 200
    assert client.get(API).status_code == 429

    assert [client.get(API, HTTP_X_API_KEY=raw_key).status_code for _ in range(3)] == [200, 200, 429]


def test_a_wrong_key_is_401_and_spends_no_budget_of_its_address(client, settings):
    settings.BONECARE_ANONYMOUS_LIMIT = 2

    statuses = [client.get(API, HTTP_X_API_KEY=f"guess{n:03}.{'x' * 32}").status_code for n in range(5)]
    anonymous = [client.get(API) for _ in range(3)]

    assert statuses == [401] * 5
    assert [r.status_code for r in anonymous] == [200, 200, 429], "the address's budget is whole after the 401s"
    assert anonymous[0]["RateLimit"].startswith('"anonymous";r=1;')


@pytest.mark.parametrize("how", ["revoked", "unknown"])
def test_a_refused_key_is_401_even_when_its_address_spent_its_anonymous_budget(client, settings, how):
    """A partner whose key was revoked, behind an address others use, learns the key is the problem (not 429)."""
    from partners import keys

    settings.BONECARE_ANONYMOUS_LIMIT = 1
    partner_key, raw_key = keys.create_key("Partner")
    if how == "revoked":
        keys.revoke_key(partner_key)
    else:
        raw_key = raw_key[:-4] + "zzzz"
    make_article("a")
    assert client.get(API).status_code == 200
    assert client.get(API).status_code == 429  # the anonymous budget of this address is spent

    for path in (API, "/api/v1/articles/a/", "/api/v1/sync/"):  # stored answers and built ones alike
        refused = client.get(path, HTTP_X_API_KEY=raw_key, HTTP_ACCEPT_LANGUAGE="es")
        assert refused.status_code == 401, path
        assert refused.json()["error"]["code"] == "invalid_api_key"
        assert refused.json()["error"]["message"] == "La clave de API es desconocida, ha sido revocada o ha caducado."
        assert refused["WWW-Authenticate"] == 'ApiKey header="X-API-Key"'
        assert refused["Cache-Control"] == "no-store"


def test_paths_outside_the_api_are_not_limited(client, settings):
    settings.BONECARE_ANONYMOUS_LIMIT = 1
    client.get(API)
    client.get(API)

    admin = client.get("/admin/login/")
    assert admin.status_code == 200
    assert "RateLimit" not in admin and "RateLimit-Policy" not in admin


def test_a_store_that_is_down_fails_open_with_a_warning(client, settings, caplog):
    settings.CACHES = {**settings.CACHES, "limits": redis_cache(f"redis://127.0.0.1:{closed_port()}/0")}
    settings.BONECARE_ANONYMOUS_LIMIT = 1

    with caplog.at_level(logging.WARNING, logger="partners.limit_store"):
        answers = [client.get(API) for _ in range(3)]

    assert [r.status_code for r in answers] == [200, 200, 200]
    assert all(r["RateLimit-Policy"] == '"anonymous";q=1;w=60' and "RateLimit" not in r for r in answers)
    warnings = [r for r in caplog.records if r.name == "partners.limit_store"]
    assert len(warnings) == 1  # then the store is left alone for a few seconds, not retried per request
    assert "served without limits" in warnings[0].getMessage()


def test_a_key_still_works_while_the_store_is_down(client, settings):
    from partners import keys

    settings.CACHES = {**settings.CACHES, "limits": redis_cache(f"redis://127.0.0.1:{closed_port()}/0")}
    _, raw_key = keys.create_key("Partner")

    assert client.get(API, HTTP_X_API_KEY=raw_key).status_code == 200
    assert client.get(API, HTTP_X_API_KEY="wrong.key").status_code == 401


NGINX = ["127.0.0.1", "::1"]


@pytest.mark.parametrize(
    "remote, forwarded, proxies, caller",
    [
        ("203.0.113.7", "", [], "203.0.113.7"),
        ("203.0.113.7", "198.51.100.1", [], "203.0.113.7"),  # X-Forwarded-For is not trusted by default
        ("203.0.113.7", "198.51.100.1", NGINX, "203.0.113.7"),  # nor from a peer that is no proxy (probe D17)
        ("127.0.0.1", "198.51.100.9, 198.51.100.1", NGINX, "198.51.100.1"),  # what the proxy saw
        ("::1", "198.51.100.1", NGINX, "198.51.100.1"),
        ("10.0.0.2", "198.51.100.9, 10.0.0.1", ["10.0.0.0/24"], "198.51.100.9"),  # two proxies of one network
        ("127.0.0.1", "", NGINX, "127.0.0.1"),  # the proxy's own request
        ("127.0.0.1", "garbage", NGINX, "unknown"),
        ("2001:db8:1:2:aaaa::1", "", [], "2001:db8:1:2::/64"),  # one /64 is one home or phone network
        ("::ffff:203.0.113.7", "", [], "203.0.113.7"),
        ("garbage", "", [], "unknown"),
    ],
)
def test_the_caller_is_the_client_address(settings, remote, forwarded, proxies, caller):
    settings.BONECARE_TRUSTED_PROXIES = proxies
    request = RequestFactory().get(API, REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)

    assert limits.client_address(request) == caller


def test_the_embedded_store_counts_atomically_across_processes(tmp_path):
    """Four processes of four threads count 1,000 times into one counter: every number from 1 to 1,000 is seen once.

    That is what makes the budget exact across workers: no count is lost
    (Django's FileBasedCache loses counts) and no two requests are told the
    same number.
    """
    import multiprocessing

    context = multiprocessing.get_context("fork")
    seen = context.Queue()
    processes = [context.Process(target=_count_many, args=(str(tmp_path), 4, 250 // 4 + 1, seen)) for _ in range(4)]
    for process in processes:
        process.start()
    values = [value for _ in processes for value in seen.get(timeout=60)]
    for process in processes:
        process.join(60)

    assert [p.exitcode for p in processes] == [0, 0, 0, 0]
    assert sorted(values) == list(range(1, len(values) + 1))
    assert _store(str(tmp_path)).count("shared", 60) == len(values) + 1


def test_a_counter_idle_for_longer_than_its_window_is_removed(tmp_path, monkeypatch):
    from partners import limit_store as module

    store = _store(str(tmp_path))
    assert [store.count("old-window", 60) for _ in range(3)] == [1, 2, 3]
    counter_file = next(os.scandir(store.counters_dir)).path
    os.utime(counter_file, (time.time() - 62, time.time() - 62))
    monkeypatch.setattr(module.CountingFileCache, "_next_sweep", 0.0)

    assert store.count("new-window", 60) == 1
    assert not os.path.exists(counter_file)
    store.clear()
    assert not os.path.exists(store.counters_dir)


def _store(location):
    from partners.limit_store import CountingFileCache

    return CountingFileCache(location, {})


def _count_many(location, threads, times, seen):
    import threading

    from partners.limit_store import count

    store = _store(location)
    values = []

    def count_some():
        for _ in range(times):
            values.append(count(store, "shared", 60))

    workers = [threading.Thread(target=count_some) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    seen.put(values)


def test_the_default_cache_stays_per_process():
    assert caches["default"].__class__.__name__ == "LocMemCache"
