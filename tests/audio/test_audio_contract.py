"""The answers with audio match the published schema: the detail with `audio`, the words, the file and its errors."""

import pytest

from content.audio.tasks import read_article_aloud
from tests.factories import make_article
from tests.openapi_contract import assert_matches_schema, published_schema, resolve

pytestmark = [pytest.mark.django_db, pytest.mark.needs_speech]


def path_of(url):
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_the_detail_words_file_and_errors_match_the_schema(client):
    openapi = published_schema()
    article = make_article("a", languages=("en", "ar"), levels=("standard",))
    assert_matches_schema(openapi, client.get("/api/v1/articles/a/", {"lang": "ar"}), "/api/v1/articles/{slug}/")
    read_article_aloud.call(article.pk)
    detail = client.get("/api/v1/articles/a/", {"lang": "ar"})
    assert detail.json()["audio"] is not None
    assert_matches_schema(openapi, detail, "/api/v1/articles/{slug}/")

    audio = detail.json()["audio"]
    words_template = "/api/v1/audio/{spoken_hash}/words/"
    assert_matches_schema(openapi, client.get(path_of(audio["words_url"])), words_template)
    file_template = "/api/v1/audio/{spoken_hash}.mp3"
    path = path_of(audio["url"])
    assert_matches_schema(openapi, client.get(path, HTTP_RANGE=f"bytes={audio['bytes']}-"), file_template)
    assert_matches_schema(openapi, client.get("/api/v1/audio/" + "f" * 64 + ".mp3"), file_template)
    responses = openapi["paths"][file_template]["get"]["responses"]
    for status, headers in ((200, {}), (206, {"HTTP_RANGE": "bytes=0-99"})):
        response = client.get(path, **headers)
        assert response.status_code == status
        documented = resolve(openapi, responses[str(status)])
        assert response["Content-Type"] in documented["content"]
        assert {"ETag", "Accept-Ranges"} <= set(documented["headers"])
    assert "Content-Range" in resolve(openapi, responses["206"])["headers"]


def test_glossary_answers_with_a_pronunciation_match_the_schema(client, settings):
    from content.audio.tasks import pronounce_term
    from tests.factories import make_term

    openapi = published_schema()
    term = make_term("femur", en=("femur", "The thigh bone.", "The bone in your upper leg."))
    for speaking in (False, True):  # null with its reason, then the IPA and the file
        settings.BONECARE_SPEECH = speaking
        if speaking:
            pronounce_term.call(term.pk)
        detail = client.get("/api/v1/glossary/femur/", {"lang": "fr"})
        assert (detail.json()["pronunciation"]["audio_url"] is not None) == speaking
        assert_matches_schema(openapi, detail, "/api/v1/glossary/{slug}/")
        assert_matches_schema(openapi, client.get("/api/v1/glossary/", {"lang": "fr"}), "/api/v1/glossary/")
    file = client.get(path_of(detail.json()["pronunciation"]["audio_url"]), HTTP_RANGE="bytes=0-9")
    documented = resolve(openapi, openapi["paths"]["/api/v1/audio/{spoken_hash}.mp3"]["get"]["responses"]["206"])
    assert file.status_code == 206 and file["Content-Type"] in documented["content"]
