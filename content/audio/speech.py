"""eSpeak NG, the synthesiser the NVDA screen reader ships, through libespeak-ng and ctypes.

Speech comes with the synthesiser's own word events: for each word, where it
starts in the text (`text_position`, 1-based, in characters of the UTF-8 input)
and when it starts in the audio (`audio_position`, in ms from the start of the
text spoken). Nothing here estimates a timing from the length of a word.

The library keeps one voice and one callback per process and is not
thread-safe: every call holds `_lock`.
"""

import ctypes
import ctypes.util
import threading
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings

AUDIO_OUTPUT_SYNCHRONOUS = 2
espeakINITIALIZE_DONT_EXIT = 0x8000
espeakCHARS_UTF8 = 1
espeakPHONEMES_IPA = 0x02
POS_CHARACTER = 1
espeakEVENT_LIST_TERMINATED = 0
espeakEVENT_WORD = 1
espeakRATE = 1
# Words per minute: eSpeak's default is 175; a little slower is easier to follow for a patient reading along.
SPEAKING_RATE = 160

# The eSpeak NG voice that speaks each served language (`espeak-ng --voices`).
VOICES = {"en": "en-us", "es": "es", "fr": "fr", "zh-hans": "cmn", "ar": "ar"}


class _Event(ctypes.Structure):
    """espeak_EVENT of speak_lib.h."""

    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", ctypes.c_char * 8),
    ]


_Callback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event))


@dataclass(frozen=True)
class WordEvent:
    """A word event as the synthesiser reported it: code-point offset into the text spoken, time in ms."""

    position: int  # 0-based (the library's text_position less one)
    audio_ms: int


@dataclass(frozen=True)
class Speech:
    pcm: bytes  # 16-bit signed little-endian mono samples
    sample_rate: int
    words: tuple  # WordEvent, in the order spoken

    @property
    def duration_ms(self):
        return len(self.pcm) // 2 * 1000 // self.sample_rate


class SynthesizerMissing(RuntimeError):
    pass


_lock = threading.Lock()
_state = {}


def available():
    """Whether speech can be made here: allowed by BONECARE_SPEECH and libespeak-ng is installed."""
    return bool(settings.BONECARE_SPEECH) and _library_path() is not None


@lru_cache(maxsize=1)
def _library_path():
    return ctypes.util.find_library("espeak-ng")


def _library():
    """The initialised library and its sample rate; raises SynthesizerMissing when it cannot be used."""
    if "lib" in _state:
        return _state["lib"], _state["rate"]
    if not available():
        raise SynthesizerMissing("libespeak-ng is not installed (apt-get install espeak-ng), or BONECARE_SPEECH is off")
    lib = ctypes.CDLL(_library_path())
    lib.espeak_Initialize.restype = ctypes.c_int
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_Synth.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
                                 ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
    lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
    lib.espeak_TextToPhonemes.argtypes = [ctypes.POINTER(ctypes.c_char_p), ctypes.c_int, ctypes.c_int]
    # DONT_EXIT: a missing voice is an error code, never the library ending the process.
    rate = lib.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, None, espeakINITIALIZE_DONT_EXIT)
    if rate <= 0:
        raise SynthesizerMissing("espeak_Initialize failed (is espeak-ng-data installed?)")
    callback = _Callback(_collect)
    lib.espeak_SetSynthCallback(callback)
    lib.espeak_SetParameter(espeakRATE, SPEAKING_RATE, 0)
    _state.update(lib=lib, rate=rate, callback=callback)  # the callback object must outlive every synthesis
    return lib, rate


def _collect(wav, count, events):
    chunks, words = _state["collecting"]
    if wav and count > 0:
        chunks.append(ctypes.string_at(wav, count * 2))
    index = 0
    while events[index].type != espeakEVENT_LIST_TERMINATED:
        event = events[index]
        # A word event at position 0 names no character: eSpeak NG 1.51 sends one at the end of the first text
        # read after a change of voice. It is no word of the text.
        if event.type == espeakEVENT_WORD and event.text_position > 0:
            words.append(WordEvent(event.text_position - 1, event.audio_position))
        index += 1
    return 0


def _select(lib, voice):
    if lib.espeak_SetVoiceByName(voice.encode()) != 0:
        raise SynthesizerMissing(f"eSpeak NG has no voice {voice!r}")


def speak(text, voice):
    """The text read aloud by `voice`, with the synthesiser's word events."""
    with _lock:
        lib, rate = _library()
        _select(lib, voice)
        lib.espeak_SetParameter(espeakRATE, SPEAKING_RATE, 0)
        chunks, words = [], []
        _state["collecting"] = (chunks, words)
        encoded = text.encode("utf-8")
        try:
            # espeakCHARS_UTF8: text_position then counts characters (code points), not bytes.
            lib.espeak_Synth(encoded, len(encoded) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, None, None)
            lib.espeak_Synchronize()
        finally:
            _state.pop("collecting", None)
        return Speech(b"".join(chunks), rate, tuple(words))


def sample_rate():
    with _lock:
        return _library()[1]


def phonemes(text, voice):
    """The text in IPA as eSpeak NG would say it with `voice` (clauses joined by a space)."""
    with _lock:
        lib, _rate = _library()
        _select(lib, voice)
        pointer = ctypes.c_char_p(text.encode("utf-8"))
        parts = []
        # Each call returns one clause and moves the pointer on; NULL at the end of the text.
        while pointer.value:
            result = lib.espeak_TextToPhonemes(ctypes.byref(pointer), espeakCHARS_UTF8, espeakPHONEMES_IPA)
            if result:
                parts.append(result.decode("utf-8").strip())
        return " ".join(part for part in parts if part)


def voice_identifier(voice):
    """The voice file eSpeak NG selected for `voice`, e.g. "roa/es": its family and language."""
    with _lock:
        lib, _rate = _library()
        _select(lib, voice)
        lib.espeak_GetCurrentVoice.restype = ctypes.POINTER(_Voice)
        return lib.espeak_GetCurrentVoice().contents.identifier.decode()


class _Voice(ctypes.Structure):
    """espeak_VOICE of speak_lib.h (only the fields read here)."""

    _fields_ = [("name", ctypes.c_char_p), ("languages", ctypes.c_void_p), ("identifier", ctypes.c_char_p)]
