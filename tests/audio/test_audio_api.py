"""An article's audio as an app meets it: described in the detail, served with ranges, remade only when its text changes."""

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from content.audio.tasks import read_article_aloud
from content.editorial import services
from content.models import Article, AudioReading
from tests.factories import make_article, set_texts

pytestmark = pytest.mark.django_db
DETAIL = "/api/v1/articles/a/"


def short_article(languages=("en",)):
    return make_article("a", languages=languages, levels=("standard",))


def audio_of(client, **params):
    body = client.get(DETAIL, params).json()
    return body["audio"], body["audio_unavailable_reason"]


def path_of(url):
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


@pytest.mark.needs_speech
def test_a_published_article_is_described_as_being_made_until_the_queue_reads_it(client):
    article = short_article(("en", "es"))
    assert audio_of(client, lang="es") == (None, "being_made")

    assert read_article_aloud.call(article.pk) == 2

    audio, reason = audio_of(client, lang="es")  # the stored answer was rendered again with it
    assert reason is None
    assert audio["content_type"] == "audio/mpeg" and audio["voice"] == "roa/es"
    file = client.get(path_of(audio["url"]))
    assert file.status_code == 200 and file["Content-Type"] == "audio/mpeg"
    assert len(file.content) == audio["bytes"]
    assert file.content[0] == 0xFF and file.content[1] & 0xE0 == 0xE0  # an MPEG audio frame starts the file
    words = client.get(path_of(audio["words_url"])).json()["words"]
    assert words[-1]["end_ms"] <= audio["duration_ms"]
    blocks = client.get(DETAIL, {"lang": "es"}).json()["blocks"]
    first_in_body = next(word for word in words if word["block"] == 0)
    assert blocks[0]["text"][first_in_body["start"]:first_in_body["end"]] == "Qué"


@pytest.mark.needs_speech
def test_the_file_is_served_in_ranges_with_etag_and_304(client):
    article = short_article()
    read_article_aloud.call(article.pk)
    audio, _reason = audio_of(client)
    path = path_of(audio["url"])
    whole = client.get(path)
    assert whole["Accept-Ranges"] == "bytes" and whole["ETag"]
    size = len(whole.content)

    part = client.get(path, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 100-199/{size}"
    assert part.content == whole.content[100:200]
    tail = client.get(path, HTTP_RANGE="bytes=-50")
    assert tail.status_code == 206 and tail.content == whole.content[-50:]
    open_ended = client.get(path, HTTP_RANGE=f"bytes={size - 10}-")
    assert open_ended.content == whole.content[-10:]

    beyond = client.get(path, HTTP_RANGE=f"bytes={size}-")
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{size}"
    assert beyond.json()["error"]["code"] == "range_not_satisfiable"
    assert client.get(path, HTTP_RANGE="bytes=0-1,5-9").status_code == 200  # several ranges: the whole file
    assert client.get(path, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"other"').status_code == 200

    assert client.get(path, HTTP_IF_NONE_MATCH=whole["ETag"]).status_code == 304
    words = client.get(path_of(audio["words_url"]))
    assert client.get(path_of(audio["words_url"]), HTTP_IF_NONE_MATCH=words["ETag"]).status_code == 304
    assert client.get("/api/v1/audio/" + "0" * 64 + ".mp3").json()["error"]["code"] == "audio_not_found"


@pytest.mark.needs_speech
def test_audio_is_remade_only_when_the_text_it_reads_changes(client, django_capture_on_commit_callbacks):
    article = short_article(("en", "fr"))
    read_article_aloud.call(article.pk)
    before = {r.rendition.language: (r.spoken_hash, r.made_at) for r in AudioReading.objects.select_related("rendition")}

    variant = Article.objects.get(pk=article.pk).variants.get(level="standard")
    set_texts(variant, "fr", body="## Ce que c'est\n\nLe cancer des os commence dans un os.")
    services.save_variant(variant)
    services.publish_article(variant.article)
    assert audio_of(client, lang="fr") == (None, "being_made")  # the old reading no longer reads the text served
    assert audio_of(client, lang="en")[0] is not None

    assert read_article_aloud.call(article.pk) == 1
    after = {r.rendition.language: (r.spoken_hash, r.made_at) for r in AudioReading.objects.select_related("rendition")}
    assert after["en"] == before["en"]
    assert after["fr"][0] != before["fr"][0]
    assert audio_of(client, lang="fr")[0]["url"].endswith(f"/{after['fr'][0]}.mp3")
    assert read_article_aloud.call(article.pk) == 0  # nothing changed: nothing read again


def test_without_a_synthesizer_audio_is_null_with_its_reason_and_the_rest_is_served(client, settings):
    settings.BONECARE_SPEECH = False
    article = short_article()
    assert read_article_aloud.call(article.pk) == "synthesizer_missing"
    response = client.get(DETAIL)
    assert response.status_code == 200 and response.json()["blocks"]
    assert audio_of(client) == (None, "synthesizer_missing")
    assert not AudioReading.objects.exists()


@pytest.mark.needs_speech
def test_the_offline_bundle_lists_each_audio_file_by_url_and_size_not_inline(client):
    article = short_article()
    read_article_aloud.call(article.pk)
    bundle = client.get("/api/v1/bundle/").json()
    [listed] = bundle["articles"]
    reading = AudioReading.objects.get()
    assert listed["audio"]["bytes"] == reading.size and listed["audio"]["url"].endswith(f"/{reading.spoken_hash}.mp3")
    assert "data" not in listed["audio"]


@pytest.mark.needs_speech
def test_a_withdrawn_articles_audio_is_not_served(client):
    article = short_article()
    read_article_aloud.call(article.pk)
    path = path_of(audio_of(client)[0]["url"])
    services.move_article(Article.objects.get(pk=article.pk), "archived", comment="withdrawn for review")
    assert client.get(path).status_code == 404


@pytest.mark.needs_speech
@pytest.mark.django_db(transaction=True)  # the worker opens its own transactions, as in production
def test_publication_queues_the_reading_and_the_worker_makes_it(client):
    article = short_article()
    task = DBTaskResult.objects.get(task_path="content.audio.tasks.read_article_aloud")
    assert task.args_kwargs["args"] == [article.pk]
    assert task.queue_name == "audio"  # not the webhook worker's queue: a delivery never waits behind a reading
    assert not AudioReading.objects.exists()  # nothing was read in the publication itself

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)  # the webhook worker
    assert not AudioReading.objects.exists()
    call_command("db_worker", "--queue-name", "audio", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    assert AudioReading.objects.filter(rendition__variant__article=article).count() == 1
    assert audio_of(client)[1] is None
