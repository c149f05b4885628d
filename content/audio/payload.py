"""An article's audio as the detail payload describes it: the reading of the text served, or why there is none."""

from content.audio import script, speech
from content.models import AudioReading
from content.public_address import public_url

BEING_MADE = "being_made"
SYNTHESIZER_MISSING = "synthesizer_missing"
NO_TEXT = "no_text"
REASONS = (BEING_MADE, SYNTHESIZER_MISSING, NO_TEXT)


def audio_path(spoken_hash):
    return f"/api/v1/audio/{spoken_hash}.mp3"


def words_path(spoken_hash):
    return f"/api/v1/audio/{spoken_hash}/words/"


def audio_report(rendition):
    """{"audio": {...} or None, "audio_unavailable_reason": None or a reason} for the served body's rendition.

    A reading is served only while it reads exactly the text served: after
    an edit is published the old one is withheld until the new one is made.
    """
    parts = script.script(rendition) if rendition is not None else []
    if not parts:
        return _unavailable(NO_TEXT)
    reading = _reading(rendition)
    if reading is not None and reading.spoken_hash == script.spoken_hash(parts):
        return {
            "audio": {
                "url": public_url(audio_path(reading.spoken_hash)),
                "content_type": reading.content_type,
                "bytes": reading.size,
                "duration_ms": reading.duration_ms,
                "voice": reading.voice,
                "words_url": public_url(words_path(reading.spoken_hash)),
            },
            "audio_unavailable_reason": None,
        }
    return _unavailable(BEING_MADE if speech.available() else SYNTHESIZER_MISSING)


def _reading(rendition):
    try:
        return rendition.audio  # selected with the rendition (without its bytes) by the read-side queries
    except AudioReading.DoesNotExist:
        return None


def _unavailable(reason):
    return {"audio": None, "audio_unavailable_reason": reason}
