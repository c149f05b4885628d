"""Imports run one way (docs/architecture.md, Layers): a lower layer never imports a higher one."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ("content", "partners", "webhooks")
# Entry points, like manage.py itself: they may call the project package.
ENTRY_POINTS = ("content/management/commands/backup.py", "content/management/commands/restore.py")


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def importers(folder, *, of):
    """The modules under `folder` that import `of` or anything under it."""
    return sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / folder).rglob("*.py")
        if any(name == of or name.startswith(f"{of}.") for name in imported_modules(path))
    )


@pytest.mark.parametrize("app", APPS)
def test_no_app_imports_the_project_package(app):
    assert [path for path in importers(app, of="bonecare") if path not in ENTRY_POINTS] == []


@pytest.mark.parametrize("lower, higher", [
    ("content/audio", "content.delivery"),  # audio says what it made by signal (content/signals.py)
    ("content/delivery", "content.editorial"),  # the read side never reaches into the write side
    ("content/text", "content.models"),  # pure: no database
])
def test_a_lower_layer_imports_nothing_from_a_higher_one(lower, higher):
    assert importers(lower, of=higher) == []
