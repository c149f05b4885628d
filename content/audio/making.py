"""Reading published renditions aloud and keeping the result; run by the task queue (content/audio/tasks.py).

A rendition is read again only when what it reads changes (script.spoken_hash):
a republication that leaves a language's text as it was costs nothing here.
"""

import logging
import time
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from content.audio import encoding, script, speech, timings
from content.models import ArticleStatus, AudioReading, Rendition

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reading:
    pcm: bytes
    sample_rate: int
    words: list  # word entries, as served by the words URL
    duration_ms: int
    events: list  # (part index, code-point position, ms from the start): the synthesiser's word events as reported


def read_aloud(parts):
    """The parts read one after another, each followed by its pause."""
    pcm, words, events = [], [], []
    elapsed_ms = 0
    rate = speech.sample_rate()
    for index, part in enumerate(parts):
        spoken = speech.speak(part.text, part.voice)
        timed = timings.timed_words(part.text, spoken.words, elapsed_ms, spoken.duration_ms)
        words.extend(timings.word_entries(part, timed))
        events.extend((index, event.position, elapsed_ms + event.audio_ms) for event in spoken.words)
        pcm += [spoken.pcm, encoding.silence(rate, part.pause_ms)]
        elapsed_ms += spoken.duration_ms + part.pause_ms
    data = b"".join(pcm)
    return Reading(data, rate, words, len(data) // 2 * 1000 // rate, events)


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
    reading = read_aloud(parts)
    data = encoding.mp3(reading.pcm, reading.sample_rate)
    values = {
        "spoken_hash": wanted,
        "voice": speech.voice_identifier(script.voice_for(rendition.language)),
        "content_type": encoding.CONTENT_TYPE,
        "data": data,
        "size": len(data),
        "duration_ms": reading.duration_ms,
        "words": reading.words,
        "synthesis_ms": round((time.perf_counter() - began) * 1000),
        "made_at": timezone.now(),
    }
    with transaction.atomic():
        # The rendition may have been replaced or withdrawn meanwhile; then there is nothing to keep.
        if not Rendition.objects.filter(pk=rendition.pk).exists():
            return None
        kept, _created = AudioReading.objects.update_or_create(rendition=rendition, defaults=values)
    return kept


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
