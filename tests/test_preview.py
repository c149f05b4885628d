import pytest
from django.core import signing

from content.models import ArticleStatus
from content.delivery.preview import PREVIEW_SALT, preview_token
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_editor_previews_a_draft_as_the_app_would_receive_it(admin_client, client):
    article = make_article("draft-a", status=ArticleStatus.DRAFT, languages=("en", "es"))

    redirect = admin_client.get(f"/admin/content/article/{article.pk}/preview/", {"lang": "es", "level": "plain"})
    response = client.get(redirect["Location"])

    assert response.status_code == 200
    assert response.json()["status"] == "draft"
    assert response.json()["title"] == "draft-a plain title [es]"
    assert response["Cache-Control"] == "private, no-store"
    assert "ETag" not in response


def test_the_draft_stays_invisible_without_a_valid_token(client):
    article = make_article("draft-a", status=ArticleStatus.DRAFT)
    other = make_article("other", status=ArticleStatus.DRAFT)

    assert client.get("/api/v1/articles/draft-a/").status_code == 404
    assert client.get("/api/v1/articles/draft-a/", {"preview": "forged"}).status_code == 403
    assert client.get("/api/v1/articles/draft-a/", {"preview": preview_token(other)}).status_code == 403
    assert client.get("/api/v1/articles/").json()["count"] == 0
    assert article.status == ArticleStatus.DRAFT


def test_an_expired_token_is_refused(client, monkeypatch):
    article = make_article("draft-a", status=ArticleStatus.DRAFT)
    token = preview_token(article)
    monkeypatch.setattr("content.delivery.preview.PREVIEW_MAX_AGE_SECONDS", -1)
    monkeypatch.setattr(
        "content.delivery.preview.previewed_article_id.__defaults__", (-1,)
    )

    response = client.get("/api/v1/articles/draft-a/", {"preview": token})

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "invalid_preview_token"
    assert signing.loads(token, salt=PREVIEW_SALT)["slug"] == "draft-a"
