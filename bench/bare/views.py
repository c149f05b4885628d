"""One view returning a fixed JSON body of exactly 5 KB (5,120 bytes), and its URL."""

import json

from django.http import HttpResponse
from django.urls import path

BODY_SIZE = 5 * 1024


def _fixed_body(size=BODY_SIZE):
    items = [{"id": n, "title": f"Item {n}", "summary": "x" * 40} for n in range(40)]
    document = {"count": len(items), "results": items, "padding": ""}
    shortfall = size - len(json.dumps(document, separators=(",", ":")).encode())
    if shortfall < 0:
        raise ValueError("the fixed items exceed the body size")
    document["padding"] = "x" * shortfall
    body = json.dumps(document, separators=(",", ":")).encode()
    assert len(body) == size
    return body


BODY = _fixed_body()


def bare(request):
    return HttpResponse(BODY, content_type="application/json")


urlpatterns = [path("bare/", bare)]
