"""Rules an article must meet before it is public."""

import shutil

import pytest
from django.core.management import CommandError, call_command

from content.text.blocks import parse_body
from content.models import Article, ArticleStatus
from content.editorial.publishing import publication_problems
from content.editorial.shipped import SHIPPED_DIR
from content.editorial import services
from tests.factories import make_article, set_texts

pytestmark = pytest.mark.django_db


def test_figures_are_parsed_with_their_alt_text():
    blocks = parse_body("Intro.\n\n![An X-ray of a knee implant](/media/knee.png)")
    assert blocks[1] == {"type": "figure", "src": "/media/knee.png", "alt": "An X-ray of a knee implant"}


def test_a_figure_without_alt_text_in_one_language_blocks_publication():
    article = make_article("a", languages=("en", "es"), status=ArticleStatus.DRAFT)
    variant = article.variants.get(level="standard")
    set_texts(variant, "en", body="Text.\n\n![A knee implant](/media/knee.png)")
    set_texts(variant, "es", body="Texto.\n\n![](/media/knee.png)")
    services.save_variant(variant)

    problems = publication_problems(article)

    assert len(problems) == 1
    assert "Spanish" in problems[0] and "/media/knee.png" in problems[0]


def test_loader_refuses_a_published_article_with_a_figure_missing_alt_text(tmp_path):
    root = tmp_path / "shipped"
    shutil.copytree(SHIPPED_DIR, root)
    target = next((root / "articles").iterdir()) / "standard.en.md"
    target.write_text(target.read_text(encoding="utf-8") + "\n\n![](/media/x.png)\n", encoding="utf-8")

    with pytest.raises(CommandError, match="alt text"):
        call_command("load_content", path=str(root), verbosity=0)
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_pending_changes_mean_the_same_for_a_reading_level_and_a_glossary_term(client):
    """Anything with text patients do not see yet is pending: a level added after publication can be published."""
    from content.models import ArticleVariant, GlossaryTerm
    from tests.factories import DEFAULT_BODY

    article = make_article("a", levels=("standard",))
    term = GlossaryTerm(slug="biopsy", term_en="biopsy", definition_en="A sample.", plain_definition_en="A sample.")
    services.save_glossary_term(term)
    plain = ArticleVariant(article=article, level="plain")
    set_texts(plain, "en", title="Plain title", summary="Plain summary.", body=DEFAULT_BODY["en"])
    services.save_variant(plain)

    assert term.has_pending_changes and plain.has_pending_changes  # neither published yet
    services.publish_article(Article.objects.get(pk=article.pk))
    services.publish_glossary_term(term)

    assert client.get("/api/v1/articles/a/", {"level": "plain"}).json()["title"] == "Plain title"
    assert not ArticleVariant.objects.get(pk=plain.pk).has_pending_changes
    assert not GlossaryTerm.objects.get(pk=term.pk).has_pending_changes
