"""The v1 shapes of audio: the description in an article's detail, and its word timings."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from content.audio.payload import REASONS


class AudioSerializer(serializers.Serializer):
    url = serializers.URLField(
        help_text="The MP3 file. Served with ETag and Accept-Ranges: bytes; a Range request gets 206 (players seek)."
    )
    content_type = serializers.CharField(help_text="`audio/mpeg`.")
    bytes = serializers.IntegerField(help_text="Size of the file, for a download or the offline bundle.")
    duration_ms = serializers.IntegerField(help_text="Length of the speech in milliseconds.")
    voice = serializers.CharField(help_text="The eSpeak NG voice that read it, e.g. `roa/es`.")
    words_url = serializers.URLField(help_text="The word timings, for read-along highlighting.")


def _nullable_object(serializer_class, description):
    """A nullable object schema written inline: OpenAPI 3.0 validators refuse null for `allOf: [$ref], nullable`."""
    fields = serializer_class().fields
    properties = {}
    for name, field in fields.items():
        kind = {"IntegerField": "integer"}.get(type(field).__name__, "string")
        properties[name] = {"type": kind, "description": str(field.help_text)}
        if type(field).__name__ == "URLField":
            properties[name]["format"] = "uri"
    return {"type": "object", "nullable": True, "description": description, "properties": properties,
            "required": sorted(fields)}


AUDIO_DESCRIPTION = (
    "The text served, read aloud; null while it is being made or when this server cannot read aloud (see "
    "`audio_unavailable_reason`)."
)


@extend_schema_field(_nullable_object(AudioSerializer, AUDIO_DESCRIPTION))
class AudioField(serializers.JSONField):
    """`audio` of an article: an object (AudioSerializer's fields) or null."""


AUDIO_UNAVAILABLE_REASON_CHOICES = [(reason, reason) for reason in REASONS]
AUDIO_UNAVAILABLE_HELP = (
    "Null when `audio` is given. Otherwise why there is none: `being_made` (the text was just published; the "
    "reading is made in the background within minutes), `synthesizer_missing` (this server has no eSpeak NG), "
    "`no_text` (nothing to read)."
)


class AudioWordSerializer(serializers.Serializer):
    block = serializers.IntegerField(allow_null=True, help_text="Index into `blocks`; null for the title.")
    item = serializers.IntegerField(allow_null=True, help_text="Index into the list block's `items`; else null.")
    start = serializers.IntegerField(help_text="Start offset of the word in the block's text, in code points.")
    end = serializers.IntegerField(help_text="End offset in code points, exclusive.")
    start_utf16 = serializers.IntegerField(help_text="`start` in UTF-16 code units (JavaScript, Kotlin, NSString).")
    end_utf16 = serializers.IntegerField(help_text="`end` in UTF-16 code units.")
    start_ms = serializers.IntegerField(help_text="When the word starts in the audio, from the synthesiser's word event.")
    end_ms = serializers.IntegerField(help_text="When the next word starts (or the part's speech ends).")


class AudioWordsSerializer(serializers.Serializer):
    words = AudioWordSerializer(many=True, help_text="Every word read, in reading order; times only grow.")


class PronunciationSerializer(serializers.Serializer):
    """How a glossary term's headword is said (content/audio/pronunciation.py)."""

    ipa = serializers.CharField(
        allow_null=True,
        help_text="The headword in IPA: an editor's correction when one is published, else eSpeak NG's; null when "
        "there is neither (no eSpeak NG on this server).",
    )
    source = serializers.ChoiceField(
        choices=[("editor", "editor"), ("espeak-ng", "espeak-ng")], allow_null=True,
        help_text="`editor` (an editor's correction, published by a Medical reviewer) or `espeak-ng`; null with `ipa`.",
    )
    language = serializers.CharField(
        help_text="The language of the headword said: the served language, or `en` when the term is not translated."
    )
    audio_url = serializers.URLField(
        allow_null=True,
        help_text="The headword spoken, as MP3 (served like an article's audio: ETag, Range, 206); null while it is "
        "being made or without eSpeak NG (see `audio_unavailable_reason`).",
    )
    audio_unavailable_reason = serializers.ChoiceField(
        choices=[("being_made", "being_made"), ("synthesizer_missing", "synthesizer_missing")], allow_null=True,
        help_text="Null when `audio_url` is given; else `being_made` (made in the background within minutes of "
        "publication) or `synthesizer_missing` (this server has no eSpeak NG).",
    )
