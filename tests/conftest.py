from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

SEEDS_DIR = Path(settings.BASE_DIR).parent / "shared" / "seeds"


@pytest.fixture(autouse=True)
def reset_active_language():
    """The request language leaks into the test thread; start every test in English."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def seeds_dir():
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"source documents not found at {SEEDS_DIR} (they live beside the repo, in ../shared/seeds)")
    return SEEDS_DIR
