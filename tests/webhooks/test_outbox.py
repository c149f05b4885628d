"""Events are written with the change: a crash after the commit loses nothing, and every public change is logged.

The deliveries a change owes are rows written in the same transaction as its
change-log entry (an outbox), with the worker's task beside them in the same
database; sync and webhooks both read the change log, so a change patients
can see that is not logged reaches neither.
"""

import json

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from content.editorial import services
from content.models import ChangeLogEntry, SourceDocument
from content.signals import change_logged
from tests.admin_forms import post_change_form
from tests.factories import make_article, make_source, make_term, make_topic
from tests.webhooks.receiver import Receiver
from webhooks.models import Delivery, Endpoint

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def quick_retries(settings):
    settings.WEBHOOKS_RETRY_SCHEDULE = []
    settings.WEBHOOKS_TIMEOUT = 2


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0)


def events(receiver):
    return [(event["type"], event["data"]["slug"]) for event in (json.loads(body) for _headers, body in receiver.requests)]


def sync(client, cursor=None, **params):
    response = client.get("/api/v1/sync/", {**params, **({} if cursor is None else {"cursor": cursor})})
    assert response.status_code == 200, response.content[:500]
    return response.json()


def test_a_crash_right_after_the_commit_loses_no_delivery(monkeypatch):
    """What `kill -9` 0.3 s after the commit did (report D7): everything after the commit never ran."""
    with Receiver() as first, Receiver() as second:
        Endpoint.objects.create(name="First", url=first.url)
        Endpoint.objects.create(name="Second", url=second.url)
        article = make_article("a", languages=("en", "fr"))
        variant = article.variants.get(level="standard")
        variant.title_fr = "Un nouveau titre"
        services.save_variant(variant)

        def worker_killed(*args, **kwargs):
            raise SystemExit("the worker died after the commit")

        monkeypatch.setattr(change_logged, "send", worker_killed)
        with pytest.raises(SystemExit):
            services.publish_article(article)
        monkeypatch.undo()

        entry = ChangeLogEntry.objects.latest("id")
        assert entry.action == ChangeLogEntry.Action.REPUBLISHED  # the publication was committed
        assert Delivery.objects.filter(entry=entry).count() == 2
        run_worker()  # the worker already running (no restart, no requeue) finds them
    assert events(first) == events(second) == [("article.published", "a"), ("article.updated", "a")]


def test_a_delivery_that_cannot_be_written_rolls_the_publication_back(monkeypatch):
    """All or nothing: never a committed change without its events."""
    Endpoint.objects.create(name="Partner", url="http://127.0.0.1:9/")
    article = make_article("a", status="draft")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Delivery.objects, "get_or_create", broken)
    with pytest.raises(RuntimeError):
        services.publish_article(article)
    assert not ChangeLogEntry.objects.exists()
    article.refresh_from_db()
    assert article.status == "draft"


def test_a_source_edit_in_the_admin_reaches_sync_and_webhooks(client):
    """Report D9: the source's title shows with the article at once, so the change is logged for it."""
    source = make_source(title="Bone cancer basics")
    citing = make_article("citing", sources=[source], languages=("en", "es"))
    make_article("other")
    make_article("draft-citing", status="draft", sources=[source])
    with Receiver() as receiver:
        Endpoint.objects.create(name="Partner", url=receiver.url)
        cursor = sync(client)["cursor"]
        client.force_login(User.objects.create_superuser("admin", password="pw-for-tests-only"))
        post_change_form(client, f"/admin/content/sourcedocument/{source.pk}/change/", "sourcedocument_form",
                         title="Bone cancer basics (revised)")
        assert SourceDocument.objects.get(pk=source.pk).title == "Bone cancer basics (revised)"
        delta = sync(client, cursor)
        run_worker()
    assert [article["slug"] for article in delta["articles"]] == ["citing"]
    assert delta["articles"][0]["sources"][0]["title"] == "Bone cancer basics (revised)"
    assert events(receiver) == [("article.updated", "citing")]
    entry = ChangeLogEntry.objects.latest("id")
    # A cited source is shown with the article in every language and level (the untranslated ones in English).
    assert (entry.article_id, entry.languages, entry.levels) == (
        citing.pk, ["ar", "en", "es", "fr", "zh-hans"], ["plain", "standard"]
    )
    assert entry.by.username == "admin"


def test_saving_a_source_unchanged_logs_nothing(client):
    source = make_source(title="Bone cancer basics")
    make_article("citing", sources=[source])
    before = ChangeLogEntry.objects.count()
    services.save_source(SourceDocument.objects.get(pk=source.pk))  # as a re-import of the same file does
    assert ChangeLogEntry.objects.count() == before


def test_a_glossary_republication_reaches_sync_and_webhooks_for_each_article_showing_it(client):
    """Report D9: the articles embed the definition, so they changed too, not only the term."""
    term = make_term("biopsy", en=("biopsy", "A sample of tissue.", "A small piece."))
    make_article("uses-it")  # its body mentions a biopsy
    unrelated = make_article("unrelated", levels=("standard",))
    unrelated_variant = unrelated.variants.get(level="standard")
    unrelated_variant.body_en = "## Other\n\nNothing to look up here."
    services.save_variant(unrelated_variant)
    services.publish_article(unrelated)
    with Receiver() as receiver:
        Endpoint.objects.create(name="Partner", url=receiver.url)
        cursor = sync(client)["cursor"]
        term.definition_en = "A sample of tissue, looked at under a microscope."
        services.save_glossary_term(term)
        services.publish_glossary_term(term)
        delta = sync(client, cursor)
        run_worker()
    assert [article["slug"] for article in delta["articles"]] == ["uses-it"]
    assert [t["slug"] for t in delta["glossary"]] == ["biopsy"]
    assert sorted(events(receiver)) == [("article.updated", "uses-it"), ("glossary_term.updated", "biopsy")]


def test_a_topic_rename_reaches_sync(client):
    topic = make_topic(slug="treatment", name="Treatment")
    make_article("in-topic", topic=topic)
    make_article("elsewhere", topic=make_topic(slug="other", name="Other"))
    cursor = sync(client)["cursor"]
    topic.name_en = "Treatments"
    services.save_topic(topic)
    assert [article["slug"] for article in sync(client, cursor)["articles"]] == ["in-topic"]


def test_a_review_status_or_review_date_change_reaches_sync_only_for_what_it_touches(client):
    import datetime

    from content.models import Article, ReviewStatus, TranslationReview

    article = make_article("reviewed", languages=("en", "es"))
    make_article("untouched")
    cursor = sync(client)["cursor"]
    review = TranslationReview.objects.get(variant__article=article, variant__level="plain", language="es")
    services.record_review(review, status=ReviewStatus.CLINICIAN_REVIEWED, reviewed_by="Dr Ruiz")
    entry = ChangeLogEntry.objects.latest("id")
    assert (entry.slug, entry.scope) == ("reviewed", [["es", "plain"]])
    assert sync(client, cursor)["articles"] == [], "English standard readers see no change"
    delta = sync(client, cursor, lang="es", level="plain")
    assert [a["slug"] for a in delta["articles"]] == ["reviewed"]

    article = Article.objects.get(pk=article.pk)
    article.next_review = datetime.date(2030, 1, 1)
    services.save_article_details(article, reason="Next review planned")
    assert [a["slug"] for a in sync(client, delta["cursor"])["articles"]] == ["reviewed"]
    unchanged = ChangeLogEntry.objects.count()
    services.save_article_details(Article.objects.get(pk=article.pk), reason="Import fingerprint")
    assert ChangeLogEntry.objects.count() == unchanged
