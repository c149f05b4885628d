"""What is read aloud for one published rendition, and the hash that says when it must be read again.

The title, then each block as it is served (a heading, a paragraph, each list
item, a figure's alt text), each spoken on its own, so every word event's
position is an offset into exactly the text an app shows, and followed by a
pause, so a heading or a list item ends as a reader would end it.
"""

import hashlib
import json
from dataclasses import dataclass

from content.audio import speech
from content.languages import base_language

# Silence after each part, in ms: longer after a heading, shorter between list items.
PAUSES = {"title": 700, "heading": 600, "paragraph": 450, "list": 300, "figure": 450}
# Part of the hash: a change in how text is read (voices, rate, pauses, tokens) reads every text again.
READING_VERSION = 1


@dataclass(frozen=True)
class Part:
    block: int | None  # None for the title
    item: int | None  # the list item, for a list
    text: str
    voice: str
    pause_ms: int


def voice_for(language):
    return speech.VOICES[language]


def script(rendition):
    """The parts read for a rendition, in reading order."""
    voice = voice_for(rendition.language)
    parts = []
    if rendition.title.strip():
        parts.append(Part(None, None, rendition.title, voice, PAUSES["title"]))
    for index, block in enumerate(rendition.blocks):
        block_voice = _block_voice(block, voice)
        kind = block.get("type")
        if kind == "list":
            parts.extend(
                Part(index, item, text, block_voice, PAUSES["list"]) for item, text in enumerate(block["items"]) if text.strip()
            )
        elif kind == "figure":
            if block.get("alt", "").strip():
                parts.append(Part(index, None, block["alt"], block_voice, PAUSES["figure"]))
        elif block.get("text", "").strip():
            parts.append(Part(index, None, block["text"], block_voice, PAUSES.get(kind, PAUSES["paragraph"])))
    return parts


def _block_voice(block, voice):
    """A block marked as in another language is read by that language's voice when eSpeak NG has one."""
    if not block.get("lang"):
        return voice
    try:
        return speech.VOICES[base_language(block["lang"])]
    except ValueError:  # a language we do not publish in: the article's voice reads it
        return voice


def spoken_hash(parts):
    """What the reading depends on: the parts' text, voices and pauses, and how reading is done."""
    data = [READING_VERSION, speech.SPEAKING_RATE, [[p.block, p.item, p.text, p.voice, p.pause_ms] for p in parts]]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode("utf-8")).hexdigest()
