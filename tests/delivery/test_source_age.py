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
    "This article uses a source last reviewed in %(year)s, %(years)d year ago. Some of this "
    "information may be out of date. Ask your care team about your own situation."
)
NOTICE_PLURAL = (
    "This article uses a source last reviewed in %(year)s, %(years)d years ago. Some of this "
    "information may be out of date. Ask your care team about your own situation."
)
REVIEW_DAY = datetime.date(2026, 12, 5)  # the second review's date: the 2012 source is 14 years old


@pytest.fixture
def review_day(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: REVIEW_DAY)


def expected_notice(language, year, years=14):
    with translation.override(language):
        return translation.ngettext(NOTICE, NOTICE_PLURAL, years) % {"year": year, "years": years}


@pytest.mark.parametrize("level", ["standard", "plain"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_2012_article_says_its_source_is_old_in_every_language_and_level(client, review_day, language, level):
    call_command("load_content", verbosity=0)

    body = client.get("/api/v1/articles/treating-bone-metastases/", {"lang": language, "level": level}).json()

    assert body["language"]["served"] == language and body["level"]["served"] == level
    assert [notice["code"] for notice in body["notices"]] == ["source_older_than_limit"]
    assert body["notices"][0]["message"] == expected_notice(language, 2012)
    if language != "en":
        assert body["notices"][0]["message"] != expected_notice("en", 2012), "the notice must be translated"
    (source,) = body["sources"]
    assert source["review_date"] == "2012-05-03"
    assert source["age"]["older_than_limit"] is True and source["age"]["years_since_review"] == 14


# What the reader reads: how old the source is, not only that it passed the limit (review finding X2).
SAYS_HOW_OLD = {
    "en": "last reviewed in 2012, 14 years ago.",
    "es": "revisada por última vez en 2012, hace 14 años.",
    "fr": "revue pour la dernière fois en 2012, il y a 14\u00a0ans.",
    "zh-hans": "最后一次审核是在2012年，距今已有14年。",
    "ar": "رُوجع آخر مرة في عام 2012، أي منذ 14 عامًا.",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_old_source_notice_says_how_many_years_ago_the_source_was_reviewed(client, review_day, language):
    call_command("load_content", verbosity=0)

    message = client.get("/api/v1/articles/treating-bone-metastases/", {"lang": language}).json()["notices"][0]["message"]

    assert SAYS_HOW_OLD[language] in message
    assert "3" not in message.replace("2012", "").replace("14", ""), "the limit is not the age"


def test_the_spanish_notice_names_the_care_team_as_the_articles_do(client, review_day):
    call_command("load_content", verbosity=0)

    message = client.get("/api/v1/articles/treating-bone-metastases/", {"lang": "es"}).json()["notices"][0]["message"]

    assert "su equipo médico" in message and "equipo de atención" not in message


REVIEW_DATE_IN = {
    "en": "reviewed or updated May 3, 2012.",
    "es": "revisada o actualizada el 3 de mayo de 2012.",
    "fr": "page relue ou mise à jour le 3 mai 2012.",
    "zh-hans": "审核或更新于2012年5月3日。",
    "ar": "رُوجعت أو حُدّثت في 3 مايو، 2012.",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_source_line_gives_its_review_date_as_the_language_writes_dates(client, language):
    call_command("load_content", verbosity=0)

    (source,) = client.get("/api/v1/articles/treating-bone-metastases/", {"lang": language}).json()["sources"]

    assert REVIEW_DATE_IN[language] in source["attribution"]
    assert source["review_date"] == "2012-05-03", "the data field stays ISO 8601"


@pytest.mark.parametrize("language", ["es", "fr", "zh-hans", "ar"])
def test_the_unnamed_publisher_is_described_in_the_served_language(client, language):
    from tests.text.test_typography import chinese_punctuation_problems

    call_command("load_content", verbosity=0)

    sources = client.get("/api/v1/articles/saving-the-leg-with-limb-salvage-surgery/", {"lang": language}).json()["sources"]
    (hospital,) = [source for source in sources if source["title"].startswith("Can I save my leg")]

    assert "publisher not named" not in hospital["attribution"] and "Hospital" not in hospital["attribution"]
    assert "publisher not named" not in hospital["publisher"]
    if language == "zh-hans":  # review finding Y2: one bracket width in the Chinese source line
        assert chinese_punctuation_problems(hospital["attribution"]) == [], hospital["attribution"]
        assert "(" not in hospital["attribution"] and "（" in hospital["attribution"], hospital["attribution"]


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
