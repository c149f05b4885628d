"""A full disk during an import: everything rolled back, and the person importing told "disk full".

The disk is made full the way SQLite itself reports it: `PRAGMA max_page_count`
caps the database file, so the next write that needs a new page fails with
SQLITE_FULL ("database or disk is full"), exactly as on a full file system.
Each test lets a few pages through first, so the import is cut off after some
of its writes succeeded (checked), and then checks that none of them stayed:
rows, history and reports are as before.

On PostgreSQL the disk is made full for real: the tables an import writes are
moved into a tablespace on a 2 MB tmpfs, which is then filled up but for a few
pages, so PostgreSQL fails to extend a table file with "No space left on
device" (SQLSTATE 53100). That needs root (to mount) and the database server on
this machine (CI has both); elsewhere those tests skip and say why.
"""

import os
import pwd
import random
import subprocess
import tempfile
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection
from django.urls import reverse

from content.editorial import services
from content.editorial.disk_full import is_disk_full
from content.editorial.exchange.exporting import export_articles
from content.editorial.importer.errors import ImportFailure
from content.editorial.importer.service import import_document
from content.models import Article, ArticleVariant, ImportDefect, SourceDocument, TranslationReview
from tests.factories import make_article
from tests.test_exchange import translated

pytestmark = pytest.mark.django_db(transaction=True)
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="the disk is made full with SQLite's max_page_count")
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL tablespace on a tmpfs")
WRITTEN_TABLES = (
    "content_articlevariant", "content_historicalarticlevariant", "content_translationreview",
    "content_historicaltranslationreview", "content_sourcedocument", "content_article", "content_historicalarticle",
    "content_importdefect",
)


def varied_words(seed, count):
    """Words that do not compress: PostgreSQL compresses repeated text so well that it would need no new page."""
    rng = random.Random(seed)
    syllables = ["os", "te", "ma", "ri", "lu", "ca", "ne", "bo", "si", "qua", "pe", "dro", "vi", "za"]
    words = ["".join(rng.choice(syllables) for _ in range(rng.randint(1, 4))) for _ in range(count)]
    return " ".join(f"{' '.join(words[index:index + 12])}." for index in range(0, count, 12))


ENGLISH_BODY = "## What it is\n\n" + varied_words(1, 700)
FRENCH_BODY = "## Ce que c'est\n\n" + varied_words(2, 700)


@contextmanager
def postgresql_disk_full(room_kb=24):
    """The tables an import writes live on a file system with `room_kb` KB left (PostgreSQL, as root, local server)."""
    if os.geteuid() != 0 or connection.settings_dict.get("HOST") not in ("127.0.0.1", "localhost", "", None):
        pytest.skip("needs root to mount a tmpfs, and the PostgreSQL server on this machine")
    try:
        owner = pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("no postgres user on this machine: the server is elsewhere")
    mount_point = tempfile.mkdtemp(prefix="bonecare-full-disk-")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount_point], capture_output=True)
    if mounted.returncode != 0:
        os.rmdir(mount_point)
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    os.chown(mount_point, owner.pw_uid, owner.pw_gid)
    tablespace = f"bonecare_full_{os.getpid()}"
    moved = []
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLESPACE {tablespace} LOCATION '{mount_point}'")
            for table in WRITTEN_TABLES:
                cursor.execute(f"ALTER TABLE {table} SET TABLESPACE {tablespace}")
                moved.append(table)
        free = os.statvfs(mount_point)
        with open(os.path.join(mount_point, "filler"), "wb") as filler:
            filler.write(b"\0" * max(0, free.f_bavail * free.f_frsize - room_kb * 1024))
        yield
    finally:
        filler_path = os.path.join(mount_point, "filler")
        if os.path.exists(filler_path):
            os.remove(filler_path)
        with connection.cursor() as cursor:
            for table in moved:
                cursor.execute(f"ALTER TABLE {table} SET TABLESPACE pg_default")
            cursor.execute(f"DROP TABLESPACE IF EXISTS {tablespace}")
        subprocess.run(["umount", mount_point], check=False)
        os.rmdir(mount_point)


@contextmanager
def disk_full_after(pages):
    """The database may grow by `pages` pages, then every write that needs one more fails like a full disk."""
    writes = []

    def record_writes(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            writes.append(sql.split()[0:3])
        return result

    with connection.cursor() as cursor:
        cursor.execute("VACUUM")  # no free pages left to reuse: growth needs new ones
        cursor.execute("PRAGMA page_count")
        cursor.execute(f"PRAGMA max_page_count = {cursor.fetchone()[0] + pages}")
    try:
        with connection.execute_wrapper(record_writes):
            yield writes
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA max_page_count = 1073741823")


def snapshot():
    """Everything an import may write, history included."""
    return {
        "variants": sorted(ArticleVariant.objects.values_list("pk", "title_fr", "summary_fr", "body_fr", "text_fingerprint")),
        "variant history": ArticleVariant.history.count(),
        "reviews": sorted(TranslationReview.objects.values_list("pk", "status", "translated_by", "text_fingerprints")),
        "review history": TranslationReview.history.count() if hasattr(TranslationReview, "history") else None,
        "articles": sorted(Article.objects.values_list("pk", "slug", "import_fingerprint", "updated_at")),
        "article history": Article.history.count(),
        "sources": sorted(SourceDocument.objects.values_list("pk", "file_name", "checksum")),
        "defects": ImportDefect.objects.count(),
    }


def french_file(file_format="xliff"):
    units = {}
    for slug in ("osteo", "ewing"):
        article = make_article(slug, languages=("en",))
        for variant in article.variants.all():
            variant.body_en = ENGLISH_BODY
            services.save_variant(variant)
            units[f"{slug}/{variant.level}/title"] = f"Titre {slug} {variant.level}"
            units[f"{slug}/{variant.level}/summary"] = f"Résumé {slug} {variant.level}"
            units[f"{slug}/{variant.level}/body"] = FRENCH_BODY
    data = export_articles(Article.objects.filter(slug__in=["osteo", "ewing"]), "fr", file_format).content
    return translated(data, units)


def test_the_check_knows_each_engines_disk_full():
    class PostgresDiskFull(Exception):
        sqlstate = "53100"

    wrapped = DatabaseError("could not extend file")
    wrapped.__cause__ = PostgresDiskFull()
    assert is_disk_full(DatabaseError("database or disk is full"))
    assert is_disk_full(wrapped)
    assert is_disk_full(OSError(28, "No space left on device"))
    assert not is_disk_full(DatabaseError("no such table: content_article"))


@sqlite_only
def test_translation_upload_in_the_admin_rolls_back_and_says_disk_full(admin_client):
    data = french_file()
    url = reverse("admin:content_article_import_translations")
    before = snapshot()

    with disk_full_after(pages=8) as writes:
        response = admin_client.post(url, {"file": SimpleUploadedFile("fr.xlf", data)})

    assert writes, "the import was cut off before its first write: the test proves nothing"
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was imported" in html
    assert "disk full: the database could not store the import, so nothing was imported" in html
    assert "Traceback" not in html
    assert snapshot() == before


@sqlite_only
def test_translation_command_rolls_back_and_says_disk_full(tmp_path):
    path = tmp_path / "fr.po"
    path.write_bytes(french_file("po"))
    before = snapshot()

    with disk_full_after(pages=8) as writes, pytest.raises(CommandError) as refused:
        call_command("import_translations", str(path))

    assert writes
    assert "fr.po: nothing imported, 1 error(s):\n  disk full: the database could not store the import" in str(refused.value)
    assert snapshot() == before
    # With room again, the same file imports.
    call_command("import_translations", str(path), verbosity=0)
    assert ArticleVariant.objects.get(article__slug="osteo", level="standard").body_fr == FRENCH_BODY


@sqlite_only
def test_document_import_rolls_back_and_says_disk_full(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text("Bone cancer\n\n" + "\n\n".join(["Bone cancer starts in a bone and can spread. " * 30] * 8) + "\n")
    before = snapshot()

    with disk_full_after(pages=2) as writes:
        with pytest.raises(ImportFailure, match=r"page\.txt: disk full: the database could not store the import"):
            import_document(path)
        with pytest.raises(CommandError, match=r"1 of 1 path\(s\) could not be imported:\npage\.txt: disk full"):
            call_command("import_documents", str(path), verbosity=0)

    assert writes
    assert snapshot() == before
    call_command("import_documents", str(path), verbosity=0)
    assert SourceDocument.objects.filter(file_name="page.txt").exists()


@postgresql_only
def test_postgresql_translation_import_rolls_back_and_says_disk_full(tmp_path):
    path = tmp_path / "fr.po"
    path.write_bytes(french_file("po"))
    before = snapshot()

    with postgresql_disk_full(), pytest.raises(CommandError) as refused:
        call_command("import_translations", str(path))

    assert "nothing imported, 1 error(s):\n  disk full: the database could not store the import" in str(refused.value)
    assert snapshot() == before
    call_command("import_translations", str(path), verbosity=0)
    assert ArticleVariant.objects.get(article__slug="osteo", level="standard").body_fr == FRENCH_BODY


@postgresql_only
def test_postgresql_document_import_rolls_back_and_says_disk_full(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text("Bone cancer\n\n" + "\n\n".join(["Bone cancer starts in a bone and can spread. " * 30] * 8) + "\n")
    before = snapshot()

    with postgresql_disk_full(), pytest.raises(ImportFailure, match=r"page\.txt: disk full"):
        import_document(path)

    assert snapshot() == before
