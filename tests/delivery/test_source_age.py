"""Readers are told when an article relies on a source reviewed more than three years ago."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from content.models import SourceDocument
from content.source_age import source_is_old
from tests.factories import make_article, make_source

pytestmark = pytest.mark.django_db
LANGUAGES = ("en", "es", "fr", "zh-hans", "ar")
NOTICE = (
    "This article uses a source last reviewed in %(year)s, more than %(years)d years ago. Some of this "
    "information may be out of date. Ask your care team about your own situation."
)


def expected_notice(language, year):
    with translation.override(language):
        return translation.gettext(NOTICE) % {"year": year, "years": 3}


@pytest.mark.parametrize("level", ["standard", "plain"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_2012_article_says_its_source_is_old_in_every_language_and_level(client, language, level):
    call_command("load_content", verbosity=0)

    body = client.get("/api/v1/articles/treating-bone-metastases/", {"lang": language, "level": level}).json()

    assert body["language"]["served"] == language and body["level"]["served"] == level
    assert [notice["code"] for notice in body["notices"]] == ["source_older_than_limit"]
    assert body["notices"][0]["message"] == expected_notice(language, 2012)
    if language != "en":
        assert body["notices"][0]["message"] != expected_notice("en", 2012), "the notice must be translated"
    (source,) = body["sources"]
    assert source["review_date"] == "2012-05-03"
    assert source["age"]["older_than_limit"] is True and source["age"]["years_since_review"] >= 14


def test_an_article_with_recent_or_undated_sources_has_no_notice(client):
    today = timezone.localdate()
    make_article("fresh", sources=[make_source(updated_on=today - datetime.timedelta(days=365)), make_source()])

    body = client.get("/api/v1/articles/fresh/").json()

    assert body["notices"] == []
    assert [source["age"] and source["age"]["older_than_limit"] for source in body["sources"]] == [False, None]


def test_the_limit_is_three_whole_years():
    today = datetime.date(2026, 11, 25)
    assert not source_is_old(datetime.date(2023, 11, 25), today)
    assert source_is_old(datetime.date(2023, 11, 24), today)
    assert not source_is_old(None, today)


def test_a_source_that_turns_old_changes_the_etag_the_next_day(client, monkeypatch):
    source = make_source(updated_on=datetime.date(2023, 11, 26))
    make_article("ageing", sources=[source])
    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2026, 11, 25))
    first = client.get("/api/v1/articles/ageing/")
    assert first.json()["notices"] == []
    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2026, 11, 27))

    second = client.get("/api/v1/articles/ageing/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert second.status_code == 200
    assert second.json()["notices"][0]["source_review_date"] == "2023-11-26"
    assert SourceDocument.objects.count() == 1
