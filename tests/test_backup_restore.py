"""`manage.py backup` / `manage.py restore` round-trip everything, SQLite → PostgreSQL → SQLite.

Built the way the product builds it (shipped content, editors' edits, a
publication, a review, a revert, a withdrawal, a glossary publication, users,
groups and permissions), backed up, restored into a fresh PostgreSQL
database, backed up there and restored into a fresh SQLite file. Every
backed-up table is compared row by row at each step, and the public API
answers the same bytes with the same ETags from all three.

The test makes its own databases, so it runs once: in the SQLite phase of
CI. It needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust), as CI has.
"""

import gzip
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PG_ADMIN_URL = os.environ.get("BONECARE_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")

pytestmark = [
    pytest.mark.backup_roundtrip,
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="makes its own SQLite and PostgreSQL databases, so it runs once, in the SQLite phase",
    ),
]


def run(database_url, *args, check=True):
    completed = subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=600,
        # The scenario compares hundreds of API answers from one address: far past the anonymous rate limit.
        env={**os.environ, "DATABASE_URL": database_url, "DJANGO_LOG_LEVEL": "ERROR", "BONECARE_ANONYMOUS_LIMIT": "1000000"},
    )
    if check and completed.returncode != 0:
        raise AssertionError(f"{args} failed ({completed.returncode}):\n{completed.stdout[-3000:]}\n{completed.stderr[-5000:]}")
    return completed


def manage(database_url, *args, check=True):
    return run(database_url, "manage.py", *args, check=check)


def snapshot(database_url, kind, tmp_path):
    out = tmp_path / f"{kind}-{uuid.uuid4().hex[:6]}.json"
    run(database_url, "-m", "tests.backup_scenario", kind, str(out))
    return json.loads(out.read_text())


def assert_same_rows(expected, actual, where):
    assert sorted(actual) == sorted(expected), f"{where}: tables differ"
    for table in expected:
        assert len(actual[table]) == len(expected[table]), f"{where}: {table} has {len(actual[table])} rows"
        for want, got in zip(expected[table], actual[table]):
            differing = {k: (want[k], got.get(k)) for k in want if want[k] != got.get(k)}
            assert not differing, f"{where}: {table} row {want.get('id', want.get('history_id'))} differs: {differing}"


@pytest.fixture
def postgres_database():
    """A fresh, empty PostgreSQL database on the shared server, dropped afterwards."""
    psycopg = pytest.importorskip("psycopg")
    name = f"bonecare_restore_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg.connect(PG_ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        if os.environ.get("BONECARE_REQUIRE_PG"):
            raise
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {error}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_and_restore_round_trip_sqlite_postgresql_sqlite(tmp_path, postgres_database):
    source = f"sqlite:///{tmp_path / 'source.sqlite3'}"
    manage(source, "migrate", "--noinput", "-v0")
    manage(source, "load_content", "-v0")
    run(source, "-m", "tests.backup_scenario", "build")
    rows = snapshot(source, "rows", tmp_path)
    api = snapshot(source, "api", tmp_path)
    # The scenario left something in every kind of table that matters.
    for table in ("auth.user", "auth.group", "content.changelogentry", "content.historicalarticlevariant",
                  "content.translationreview", "content.languageassignment", "admin.logentry", "content.rendition"):
        assert rows[table], f"the scenario wrote no {table}"
    assert any(row["action"] == "withdrawn" for row in rows["content.changelogentry"])
    if "webhooks.delivery" in rows:  # an app added after the backup command was written is in it too
        assert rows["webhooks.endpoint"] and rows["webhooks.delivery"]
    if "partners.partnerkey" in rows:  # partners' API keys: their hashes, limits and revocations come back
        assert sorted((row["name"], row["revoked"]) for row in rows["partners.partnerkey"]) == [
            ("Former partner", True), ("Hospital portal", False),
        ]
    assert any(row["title"] != row["title_en"] for row in rows["content.articlevariant"]), (
        "the scenario should leave an untranslated column in another language than English"
    )

    first = tmp_path / "from-sqlite.jsonl.gz"
    output = manage(source, "backup", str(first)).stdout
    assert "content.changelogentry:" in output and "Backed up" in output
    with gzip.open(first, "rt") as backup_file:
        header = json.loads(backup_file.readline())
    assert (header["format"], header["format_version"], header["vendor"]) == ("bonecare-backup", 1, "sqlite")
    assert first.stat().st_mode & 0o777 == 0o600, "a backup holds password hashes: its owner's eyes only"

    # Into PostgreSQL: same rows, same answers, and the next insert does not collide with a restored id.
    manage(postgres_database, "migrate", "--noinput", "-v0")
    output = manage(postgres_database, "restore", str(first)).stdout
    assert "Restored" in output
    assert_same_rows(rows, snapshot(postgres_database, "rows", tmp_path), "SQLite → PostgreSQL")
    assert snapshot(postgres_database, "api", tmp_path) == api

    # Restoring again into a database that now holds data is refused and changes nothing.
    refused = manage(postgres_database, "restore", str(first), check=False)
    assert refused.returncode != 0
    assert "empty database" in refused.stderr and "Nothing was restored" in refused.stderr

    # And back to SQLite, from a backup made on PostgreSQL.
    second = tmp_path / "from-postgresql.jsonl.gz"
    manage(postgres_database, "backup", str(second))
    target = f"sqlite:///{tmp_path / 'target.sqlite3'}"
    manage(target, "migrate", "--noinput", "-v0")
    manage(target, "restore", str(second))
    assert_same_rows(rows, snapshot(target, "rows", tmp_path), "PostgreSQL → SQLite")
    assert snapshot(target, "api", tmp_path) == api

    # After a restore the product keeps working: a new publication gets the next change-log id.
    next_id = max(row["id"] for row in rows["content.changelogentry"]) + 1
    for database in (postgres_database, target):
        published = run(database, "-c", PUBLISH_AGAIN).stdout.strip().splitlines()[-1]
        assert published == str(next_id)


PUBLISH_AGAIN = """
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bonecare.settings")
django.setup()
from content.editorial import services
from content.models import Article, ArticleVariant
variant = ArticleVariant.objects.get(article__slug="metastatic-bone-cancer", level="plain")
variant.summary_en = variant.summary_en + " More."
services.save_variant(variant)
print(services.publish_article(Article.objects.get(slug="metastatic-bone-cancer")).id)
"""


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    manage(database, "migrate", "--noinput", "-v0")
    not_backup = tmp_path / "notes.gz"
    with gzip.open(not_backup, "wt") as notes:
        notes.write('{"hello": "world"}\n')

    refused = manage(database, "restore", str(not_backup), check=False)

    assert refused.returncode != 0
    assert "is not a BoneCare backup" in refused.stderr


def test_a_failed_restore_writes_nothing(tmp_path):
    """A file cut short (the header promises more rows than follow) is refused after loading, and rolled back."""
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    manage(database, "migrate", "--noinput", "-v0")
    manage(database, "load_content", "-v0")
    whole = tmp_path / "whole.jsonl.gz"
    manage(database, "backup", str(whole), "-v0")
    with gzip.open(whole, "rt") as source:
        lines = source.readlines()
    cut = tmp_path / "cut.jsonl.gz"
    with gzip.open(cut, "wt") as target:
        target.writelines(lines[: len(lines) // 2])
    empty = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    manage(empty, "migrate", "--noinput", "-v0")

    refused = manage(empty, "restore", str(cut), check=False)

    assert refused.returncode != 0
    assert "incomplete" in refused.stderr
    counted = run(empty, "-c", COUNT_ARTICLES).stdout.strip().splitlines()[-1]
    assert counted == "0 3"  # no article; the three role groups migrate made are still there


COUNT_ARTICLES = """
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bonecare.settings")
django.setup()
from django.contrib.auth.models import Group
from content.models import Article
print(Article.objects.count(), Group.objects.count())
"""
