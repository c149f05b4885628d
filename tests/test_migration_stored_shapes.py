"""Renditions published before the consistent shapes are upgraded by migration 0007."""

import importlib

import pytest
from django.apps import apps

from content.models import ArticleVariant, Rendition
from tests.factories import make_article, make_term

pytestmark = pytest.mark.django_db

migration = importlib.import_module("content.migrations.0007_readability_target_shape_and_utf16_spans")


def test_old_targets_and_spans_get_the_new_shape():
    make_term("biopsy", en=("biopsy", "Removal of tissue.", "Taking a small piece."))
    make_article("a", languages=("en", "ar"))
    current = {r.pk: (r.readability["target"], r.glossary) for r in Rendition.objects.all()}
    for rendition in Rendition.objects.all():
        target = rendition.readability["target"]
        old = {"basis": target["basis"]}
        if target["kind"] != "none":
            old[target["kind"]] = target["score"]
        rendition.readability["target"] = old
        rendition.glossary = [{k: v for k, v in span.items() if not k.endswith("_utf16")} for span in rendition.glossary]
        rendition.save()

    migration.forward(apps, None)

    assert any(glossary for _target, glossary in current.values())
    assert {r.pk: (r.readability["target"], r.glossary) for r in Rendition.objects.all()} == current
    assert all("kind" in m["target"] for v in ArticleVariant.objects.all() for m in v.readability.values())
