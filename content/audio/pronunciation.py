"""How a glossary term's headword is said: IPA and a short MP3, per language (issue 18 point 3).

The headword is the published term served in a language (or the English one
it falls back to), said by that language's voice. The IPA is an editor's
override when one is published (the term's `ipa` field, published by a
Medical reviewer like its other text), else eSpeak NG's. The audio is made in
the task queue (tasks.pronounce_term), never in a request.
"""

import hashlib
import json
from functools import lru_cache

from django.db import transaction
from django.utils import timezone

from content.audio import encoding, speech
from content.audio.payload import BEING_MADE, SYNTHESIZER_MISSING, audio_path
from content.models import GlossaryTerm, TermPronunciation
from content.public_address import public_url
from content.term_text import published_text

EDITOR = "editor"
ESPEAK_NG = "espeak-ng"
SOURCES = (EDITOR, ESPEAK_NG)
# Part of the hash: a change in how a headword is said makes every pronunciation again.
PRONUNCIATION_VERSION = 1


def headword(term, language):
    """(published headword, its language): the served language's, else the English one served in its place."""
    return published_text(term, "term", language)


def spoken_hash(text, language):
    data = ["term", PRONUNCIATION_VERSION, speech.SPEAKING_RATE, speech.VOICES[language], text]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode("utf-8")).hexdigest()


@lru_cache(maxsize=4096)
def espeak_ipa(text, language):
    return speech.phonemes(text, speech.VOICES[language])


def pronunciation_report(term, language):
    """The `pronunciation` of a term served in `language`: {ipa, source, audio_url, audio_unavailable_reason}.

    Reads the term's pronunciations prefetched without their bytes (selectors.published_terms).
    """
    text, spoken_language = headword(term, language)
    override = term.live.get(spoken_language, {}).get("ipa", "").strip()
    report = {"ipa": None, "source": None, "language": spoken_language, "audio_url": None,
              "audio_unavailable_reason": None}
    if override:
        report.update(ipa=override, source=EDITOR)
    elif text and speech.available():
        try:
            report.update(ipa=espeak_ipa(text, spoken_language) or None, source=ESPEAK_NG)
        except speech.SynthesizerMissing:  # a voice missing from this installation: no IPA, the answer still served
            pass
        if report["ipa"] is None:
            report["source"] = None
    wanted = spoken_hash(text, spoken_language)
    made = next((row for row in term.pronunciations.all() if row.language == spoken_language), None)
    if made is not None and made.spoken_hash == wanted:
        report["audio_url"] = public_url(audio_path(made.spoken_hash))
    else:
        report["audio_unavailable_reason"] = BEING_MADE if speech.available() else SYNTHESIZER_MISSING
    return report


def make_pronunciations(term_id):
    """Say each published headword of the term (those already current are left); returns how many were made."""
    term = GlossaryTerm.objects.filter(pk=term_id).only("id", "live").first()
    if term is None or not term.live:
        return 0
    made = 0
    for language, texts in term.live.items():
        text = texts.get("term", "").strip()
        if not text or language not in speech.VOICES:
            continue
        wanted = spoken_hash(text, language)
        if TermPronunciation.objects.filter(term=term, language=language, spoken_hash=wanted).exists():
            continue
        spoken = speech.speak(text, speech.VOICES[language])
        data = encoding.mp3(spoken.pcm, spoken.sample_rate)
        values = {
            "spoken_hash": wanted, "voice": speech.voice_identifier(speech.VOICES[language]),
            "content_type": encoding.CONTENT_TYPE, "data": data, "size": len(data),
            "duration_ms": spoken.duration_ms, "made_at": timezone.now(),
        }
        with transaction.atomic():
            if not GlossaryTerm.objects.filter(pk=term.pk).exists():
                return made
            TermPronunciation.objects.update_or_create(term=term, language=language, defaults=values)
        made += 1
    return made
