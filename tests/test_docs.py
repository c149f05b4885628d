"""The README and the pages in docs/ say things that still work.

Every `manage.py` command they name exists, every `make` target is in the
Makefile, every /api/v1/ and /admin/ address resolves (and, when it is a GET
without parameters, answers without a server error), and every link between
the pages points at a page and a heading that exist.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands
from django.urls import Resolver404, resolve

from tests.factories import make_article

ROOT = Path(settings.BASE_DIR)
READERS = ("mobile-developers", "partners", "editors", "operators", "architecture")
PAGES = [ROOT / "README.md", *(ROOT / "docs" / f"{reader}.md" for reader in READERS)]
PAGE_IDS = [str(page.relative_to(ROOT)) for page in PAGES]

FENCED = re.compile(r"^[ \t]*```[^\n]*\n(.*?)^[ \t]*```", re.MULTILINE | re.DOTALL)
INDENTED = re.compile(r"^ {4,}\S.*$", re.MULTILINE)  # list items continue with 2 or 3 spaces; 4 or more is code
INLINE = re.compile(r"`([^`\n]+)`")
MANAGE_COMMAND = re.compile(r"manage\.py\s+([a-z_]+)")
MAKE_TARGET = re.compile(r"(?:^|[\s;&|(])make\s+([a-z][\w-]*)")
ADDRESS = re.compile(r"(?:https?://[^/\s`'\"]+)?(/(?:api/v1|admin)/[^\s`'\"()<>|\]]*)")
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$", re.MULTILINE)
SLUG = "metastatic-bone-cancer"


def text_of(page):
    return page.read_text(encoding="utf-8")


def code_of(text):
    """What the page shows as code: fenced and indented blocks and `inline` spans (prose says "make a key")."""
    return [*FENCED.findall(text), *INDENTED.findall(FENCED.sub("", text)), *INLINE.findall(text)]


def addresses_in(text):
    """(path, has query) for each /api/v1/ or /admin/ address the page gives, placeholders filled in."""
    found = set()
    for match in ADDRESS.finditer(text):
        address = match.group(1).rstrip(".,;:*")
        path, _sep, query = address.partition("?")
        found.add((PLACEHOLDER.sub(SLUG, path), bool(query)))
    return sorted(found)


def anchors_of(text):
    """GitHub's anchors for the page's headings: lower case, punctuation dropped, spaces to hyphens."""
    return {re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-") for heading in HEADING.findall(text)}


def test_the_readme_fits_on_one_screen_and_links_every_readers_page():
    readme = text_of(ROOT / "README.md")

    assert len(readme.splitlines()) <= 60
    assert "make run" in readme and "make test" in readme and "createsuperuser" in readme
    for reader in READERS:
        assert f"(docs/{reader}.md)" in readme
    assert sorted(path.stem for path in (ROOT / "docs").glob("*.md")) == sorted(READERS)


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_every_manage_py_command_mentioned_exists(page):
    named = set(MANAGE_COMMAND.findall(text_of(page)))

    assert named - set(get_commands()) == set()


def test_the_command_check_sees_commands_and_make_targets_that_do_not_exist():
    text = "Run `.venv/bin/python manage.py import_everything`, then\n\n    make deploy-now\n\nto make a key."

    assert set(MANAGE_COMMAND.findall(text)) - set(get_commands()) == {"import_everything"}
    assert {target for code in code_of(text) for target in MAKE_TARGET.findall(code)} == {"deploy-now"}


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_every_make_target_mentioned_is_in_the_makefile(page):
    makefile = text_of(ROOT / "Makefile")
    targets = set(re.findall(r"^([\w.-]+)\s*:(?!=)", makefile, re.MULTILINE))

    named = {target for code in code_of(text_of(page)) for target in MAKE_TARGET.findall(code)}

    assert named - targets == set()


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_every_api_and_admin_address_mentioned_resolves_and_answers(page, client, admin_client):
    make_article(SLUG)
    unresolved, failing = [], []

    for path, has_query in addresses_in(text_of(page)):
        try:
            resolve(path)
        except Resolver404:
            unresolved.append(path)
            continue
        if not has_query:
            status = (admin_client if path.startswith("/admin/") else client).get(path).status_code
            if status >= 500:
                failing.append((path, status))

    assert unresolved == [] and failing == []


def test_the_address_check_fills_placeholders_and_keeps_queries_apart():
    text = 'GET `/api/v1/articles/{slug}/` or http://127.0.0.1:8000/admin/content/article/?missing_language=ar.'

    assert addresses_in(text) == [
        ("/admin/content/article/", True),
        (f"/api/v1/articles/{SLUG}/", False),
    ]


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_every_link_between_the_pages_points_at_a_page_and_heading_that_exist(page):
    broken = []
    for target in LINK.findall(text_of(page)):
        if re.match(r"[a-z]+:", target):
            continue  # a web address, not a page of ours
        file_part, _sep, anchor = target.partition("#")
        linked = (page.parent / file_part).resolve() if file_part else page
        if not linked.is_file():
            broken.append(target)
        elif anchor and anchor not in anchors_of(text_of(linked)):
            broken.append(target)

    assert broken == []


def test_each_readers_page_carries_what_the_old_readme_told_that_reader():
    """Content moved, not lost: one landmark of each section the README used to hold, on its reader's page."""
    landmarks = {
        "mobile-developers": ["Offline apps.", "Stored answers.", "start_utf16", "quimioterapias"],
        "partners": ["openapi-python-client", "create_api_key", "Standard Webhooks", "Disabled endpoints."],
        "editors": ["Draft over live.", "import_documents", "Arabic address", "export_translations"],
        "operators": [
            "BONECARE_ENV=production", "Serving behind nginx", "db_worker", "rebuild_search_index",
            "makemigrations content", "restore", "pg_faults", "chromium-driver", "bench/soak.py", "REDIS_URL",
        ],
    }
    for reader, words in landmarks.items():
        text = text_of(ROOT / "docs" / f"{reader}.md")
        assert [word for word in words if word not in text] == [], reader
