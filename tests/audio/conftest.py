import os

import pytest

from content.audio import speech


def pytest_collection_modifyitems(items):
    """Without eSpeak NG the audio tests skip, except in CI (BONECARE_REQUIRE_SPEECH=1), where they fail."""
    if speech.available() or os.environ.get("BONECARE_REQUIRE_SPEECH") == "1":
        return
    for item in items:
        if "needs_speech" in item.keywords:
            item.add_marker(pytest.mark.skip(reason="eSpeak NG (libespeak-ng) is not installed: apt-get install espeak-ng"))
