"""Reading published renditions aloud and keeping the result; run by the task queue (content/audio/tasks.py).

A rendition is read again only when what it reads changes (script.spoken_hash):
a republication that leaves a language's text as it was costs nothing here.
"""

import logging
import time

from django.db import transaction
from django.utils import timezone

from content.audio import encoding, script, speech, timings
from content.models import ArticleStatus, AudioReading, Rendition

logger = logging.getLogger(__name__)


def read_aloud(parts):
    """(PCM, sample rate, word entries, duration in ms) of the parts read one after another with their pauses."""
    pcm = []
    words = []
    elapsed_ms = 0
    rate = speech.sample_rate()
    for part in parts:
        spoken = speech.speak(part.text, part.voice)
        timed = timings.timed_words(part.text, spoken.words, elapsed_ms, spoken.duration_ms)
        words.extend(timings.word_entries(part, timed))
        pause = encoding.silence(rate, part.pause_ms)
        pcm += [spoken.pcm, pause]
        elapsed_ms += spoken.duration_ms + part.pause_ms
    data = b"".join(pcm)
    return data, rate, words, len(data) // 2 * 1000 // rate


def make_reading(rendition):
    """Read the rendition aloud unless its reading is current; returns the AudioReading, or None for no text."""
    parts = script.script(rendition)
    if not parts:
        AudioReading.objects.filter(rendition=rendition).delete()
        return None
    wanted = script.spoken_hash(parts)
    current = AudioReading.objects.filter(rendition=rendition, spoken_hash=wanted).defer("data").first()
    if current is not None:
        return current
    began = time.perf_counter()
    pcm, rate, words, duration_ms = read_aloud(parts)
    data = encoding.mp3(pcm, rate)
    values = {
        "spoken_hash": wanted,
        "voice": speech.voice_identifier(script.voice_for(rendition.language)),
        "content_type": encoding.CONTENT_TYPE,
        "data": data,
        "size": len(data),
        "duration_ms": duration_ms,
        "words": words,
        "synthesis_ms": round((time.perf_counter() - began) * 1000),
        "made_at": timezone.now(),
    }
    with transaction.atomic():
        # The rendition may have been replaced or withdrawn meanwhile; then there is nothing to keep.
        if not Rendition.objects.filter(pk=rendition.pk).exists():
            return None
        reading, _created = AudioReading.objects.update_or_create(rendition=rendition, defaults=values)
    return reading


def make_article_readings(article_id):
    """Every published rendition of the article read aloud (those already current are left); returns how many were made."""
    renditions = Rendition.objects.filter(
        variant__article_id=article_id, variant__article__status=ArticleStatus.PUBLISHED, has_body=True
    ).order_by("id")
    made = 0
    for rendition in renditions:
        before = AudioReading.objects.filter(rendition=rendition).values_list("made_at", flat=True).first()
        reading = make_reading(rendition)
        if reading is not None and reading.made_at != before:
            made += 1
    return made
