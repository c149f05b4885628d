"""Word timings from the synthesiser's word events, as offsets into the served text.

A word is a run of characters between spaces, without the punctuation at its
ends; in Chinese, which has no spaces, each Han character is a word (eSpeak NG
reports one event per character there). Each word starts when the first event
reported inside it starts, and ends when the next word starts. A word the
synthesiser reported no event for (it read it together with the one before,
as in "1 250") is joined to that word, so every word of the text has a time.
"""

import re
import unicodedata

from content.text.glossary_matching import utf16_offsets

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
TOKEN = re.compile(rf"[{HAN}]|[^\s{HAN}]+")


def words_in(text):
    """[(start, end)] code-point offsets of the words of `text`."""
    words = []
    for match in TOKEN.finditer(text):
        start, end = match.span()
        while start < end and unicodedata.category(text[start]).startswith("P"):
            start += 1
        while end > start and unicodedata.category(text[end - 1]).startswith("P"):
            end -= 1
        if start < end:
            words.append((start, end))
    return words


def timed_words(part_text, events, offset_ms, speech_ms):
    """[(start, end, start_ms, end_ms)] for one part spoken from `offset_ms`, lasting `speech_ms`."""
    words = words_in(part_text)
    starts = [None] * len(words)
    for event in events:
        index = _word_at(words, event.position)
        if index is not None and starts[index] is None:
            starts[index] = event.audio_ms
    timed = []
    for (start, end), started in zip(words, starts):
        if started is None or not timed or started < timed[-1][2]:
            if timed:  # read with the word before: one span
                timed[-1][1] = end
                continue
            started = 0 if started is None else started
        timed.append([start, end, started, None])
    for index, word in enumerate(timed):
        word[3] = timed[index + 1][2] if index + 1 < len(timed) else max(speech_ms, word[2])
    return [(start, end, offset_ms + start_ms, offset_ms + end_ms) for start, end, start_ms, end_ms in timed]


def _word_at(words, position):
    """The word holding the character at `position`, or the next one (an event on a space or a sign)."""
    for index, (start, end) in enumerate(words):
        if position < end:
            return index
    return None


def word_entries(part, timed):
    to_utf16 = utf16_offsets(part.text)
    return [
        {
            "block": part.block,
            "item": part.item,
            "start": start,
            "end": end,
            "start_utf16": to_utf16(start),
            "end_utf16": to_utf16(end),
            "start_ms": start_ms,
            "end_ms": end_ms,
        }
        for start, end, start_ms, end_ms in timed
    ]
