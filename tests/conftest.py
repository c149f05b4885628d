import os
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from partners.limit_store import CountingFileCache, limit_store, reset_store_state

# Property tests (hypothesis): deterministic and bounded by default, so CI time stays small and a failure
# reproduces on every machine; HYPOTHESIS_PROFILE=explore searches longer with fresh random examples.
hypothesis_settings.register_profile(
    "ci",
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
hypothesis_settings.register_profile(
    "explore",
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

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


@pytest.fixture(autouse=True)
def no_answers_held_from_earlier_tests():
    """Searches are held in the process (stored.HeldAnswers) and checked against the latest change-log entry; ids
    start again in each test, so each test starts with none held, as a new worker does."""
    from content.delivery.stored import forget_held

    forget_held()


@pytest.fixture(autouse=True)
def fresh_request_limits(monkeypatch):
    """Every test starts with full request budgets: its own key prefix in the limit store.

    The limits stay on (tests that test them lower them with `settings`); a
    prefix, not a flush, so a shared Redis keeps everyone else's counters.
    """
    monkeypatch.setattr(limit_store(), "key_prefix", f"test-{uuid.uuid4().hex}")
    reset_store_state()
    yield
    reset_store_state()


@pytest.fixture(autouse=True, scope="session")
def limit_files_removed_after_the_run():
    yield
    if isinstance(limit_store(), CountingFileCache):
        limit_store().clear()


@pytest.fixture(autouse=True)
def speech_only_where_tested(request, settings):
    """Publication queues a reading aloud; only tests marked needs_speech (tests/audio/) let the worker make it,
    so a worker run elsewhere (the webhook tests) stays quick. tests/audio/test_audio_contract.py checks the
    answers with audio against the schema."""
    if request.node.get_closest_marker("needs_speech") is None:
        settings.BONECARE_SPEECH = False
