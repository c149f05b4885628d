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


LANGUAGES = ("en", "es", "fr", "zh-hans", "ar")


def test_the_preview_is_what_publication_then_serves_in_every_language(client):
    """Preview and publication render the same languages: a Spanish title alone previews as it will publish."""
    from content.editorial import services
    from content.models import Article
    from tests.factories import set_texts

    article = make_article("draft-a", status=ArticleStatus.DRAFT, languages=("en", "fr", "zh-hans", "ar"))
    for variant in article.variants.all():
        set_texts(variant, "es", title=f"Título en español ({variant.level})")  # no summary, no body
        services.save_variant(variant)
    token = preview_token(article)
    asked = [{"lang": lang, "level": level} for lang in LANGUAGES for level in ("standard", "plain")]
    previews = [client.get("/api/v1/articles/draft-a/", {**query, "preview": token}) for query in asked]

    services.publish_article(Article.objects.get(pk=article.pk))
    published = [client.get("/api/v1/articles/draft-a/", query) for query in asked]

    for query, preview, answer in zip(asked, previews, published):
        assert preview.status_code == answer.status_code == 200, query
        assert preview["Content-Language"] == answer["Content-Language"], query
        seen, served = preview.json(), answer.json()
        # Only what publishing itself changes differs: the status and when it happened.
        for changed in ("status", "updated_at", "published_at"):
            seen.pop(changed, None), served.pop(changed, None)
        assert seen == served, query
    spanish = published[asked.index({"lang": "es", "level": "standard"})].json()
    assert spanish["title"] == "Título en español (standard)"
    assert spanish["language"]["fallback_fields"] == ["body", "summary"]
