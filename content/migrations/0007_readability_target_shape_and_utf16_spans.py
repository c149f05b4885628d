"""Stored renditions take the API's consistent shapes.

- `readability.target` becomes {"kind", "score", "basis",
  "sentence_average_max", "sentence_longest_max"} in every language (it was
  {"max": n} or {"min": n} or only a basis), on published renditions and on
  the working-copy readability editors see.
- Each glossary span gains `start_utf16` and `end_utf16`.

Both are derived from what is stored, so nothing is re-measured.
"""

from django.db import migrations


def reshaped_target(measured):
    target = measured.get("target")
    if not isinstance(target, dict) or "kind" in target:
        return False
    sentences = measured.get("sentences") or {}
    kind = "max" if "max" in target else "min" if "min" in target else "none"
    measured["target"] = {
        "kind": kind,
        "score": target.get(kind),
        "basis": target.get("basis", ""),
        "sentence_average_max": sentences.get("limit_average"),
        "sentence_longest_max": sentences.get("limit_longest"),
    }
    return True


def utf16_offset(text, index):
    return index + sum(1 for character in text[:index] if ord(character) > 0xFFFF)


def span_text(blocks, span):
    block = blocks[span["block"]]
    return block["items"][span["item"]] if span.get("item") is not None else block.get("text", "")


def forward(apps, schema_editor):
    Rendition = apps.get_model("content", "Rendition")
    ArticleVariant = apps.get_model("content", "ArticleVariant")
    for rendition in Rendition.objects.only("id", "blocks", "glossary", "readability").iterator():
        changed = reshaped_target(rendition.readability) if rendition.readability else False
        for span in rendition.glossary:
            if "start_utf16" not in span:
                text = span_text(rendition.blocks, span)
                span["start_utf16"] = utf16_offset(text, span["start"])
                span["end_utf16"] = utf16_offset(text, span["end"])
                changed = True
        if changed:
            rendition.save(update_fields=["readability", "glossary"])
    for variant in ArticleVariant.objects.only("id", "readability").iterator():
        changed = [reshaped_target(measured) for measured in variant.readability.values() if isinstance(measured, dict)]
        if any(changed):
            variant.save(update_fields=["readability"])


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0006_offline_bundles"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
