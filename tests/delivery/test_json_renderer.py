"""The API's JSON renderer writes what DRF's writes: clients, stored answers and their ETags see no change."""

import datetime
import decimal
import json
import uuid

import pytest
from django.utils.translation import gettext_lazy
from rest_framework import renderers

from content.delivery.json_renderer import JSONRenderer

SAMPLES = [
    {"title": "Chimiothérapie", "text": "关于骨癌 — علاج", "score": 2.562402, "count": 44, "next": None, "flag": True},
    {"control": "a\x00b\x1fc\x7f", "quote": 'say "hi" \\ there', "lines": "one\u2028two\u2029three\nfour"},
    {"when": datetime.datetime(2026, 12, 6, 15, 4, 5, 123456, tzinfo=datetime.timezone.utc), "day": datetime.date(2026, 12, 6)},
    {"lazy": gettext_lazy("Not found."), "amount": decimal.Decimal("1.50"), "id": uuid.UUID(int=7), "tags": ("a", "b")},
    {"nested": [[{"deep": [1, 2.5, -0.0, 1e16]}]], "empty": {}, "list": []},
    {1: "a dict with a number for a key"},
    {"big": 2**70},
]


@pytest.mark.parametrize("data", SAMPLES)
def test_the_api_writes_json_as_drf_does(data):
    assert JSONRenderer().render(data) == renderers.JSONRenderer().render(data)


def test_an_indented_answer_asked_for_is_indented_as_drf_indents_it():
    data = {"a": [1, {"b": "c"}]}
    media_type = "application/json; indent=4"
    assert JSONRenderer().render(data, media_type) == renderers.JSONRenderer().render(data, media_type)


def test_a_small_float_is_the_same_number_in_another_notation():
    written = JSONRenderer().render({"score": 1.2e-05})
    assert json.loads(written) == {"score": 1.2e-05}
