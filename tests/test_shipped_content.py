"""The content the project ships, and the loader that puts it in the database."""

import re
import shutil

import pytest
from django.core.management import CommandError, call_command

from content.models import Article, ArticleStatus, GlossaryTerm, Rendition, SourceDocument, TranslationReview
from content.editorial.shipped import SHIPPED_DIR

pytestmark = pytest.mark.django_db

ARTICLE_DIRS = sorted(path for path in (SHIPPED_DIR / "articles").iterdir() if path.is_dir())


@pytest.fixture
def loaded():
    call_command("load_content", verbosity=0)


def test_loading_twice_changes_nothing(loaded):
    before = {a.slug: a.updated_at for a in Article.objects.all()}
    rendition_times = sorted(Rendition.objects.values_list("updated_at", flat=True))

    call_command("load_content", verbosity=0)

    assert {a.slug: a.updated_at for a in Article.objects.all()} == before
    assert sorted(Rendition.objects.values_list("updated_at", flat=True)) == rendition_times


def test_every_shipped_article_is_published_with_both_levels_in_english_and_spanish(loaded):
    assert Article.objects.count() == len(ARTICLE_DIRS) == 5
    for article in Article.objects.prefetch_related("variants__renditions"):
        assert article.status == ArticleStatus.PUBLISHED
        for variant in article.variants.all():
            assert {"en", "es"} <= {r.language for r in variant.renditions.all()}, (article.slug, variant.level)
        assert {variant.level for variant in article.variants.all()} == {"standard", "plain"}


def test_every_article_cites_sources_with_publisher_title_and_date_where_stated(loaded):
    for article in Article.objects.prefetch_related("sources"):
        sources = list(article.sources.all())
        assert sources, article.slug
        for source in sources:
            assert source.publisher and source.title


def test_every_translation_carries_a_review_status(loaded):
    for rendition in Rendition.objects.select_related("variant"):
        review = TranslationReview.objects.filter(variant=rendition.variant, language=rendition.language).first()
        assert review is not None, (rendition.variant, rendition.language)


def test_glossary_has_at_least_ten_terms_in_english_and_spanish(loaded):
    complete = [
        term for term in GlossaryTerm.objects.all()
        if term.term_en and term.definition_en and term.plain_definition_en
        and term.term_es and term.definition_es and term.plain_definition_es
    ]
    assert len(complete) >= 10


def _sentences(text):
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", re.sub(r"\s+", " ", text)) if len(s.split()) >= 8]


def _words(text):
    return re.findall(r"[\w’']+", text.lower().replace("’", "'"))


def test_shipped_text_never_copies_a_source_sentence(seeds_dir):
    """No run of 8 words in a row may come from a source: the content is in our own words."""
    source_runs = set()
    for path in seeds_dir.glob("*.txt"):
        words = _words(path.read_text(encoding="utf-8"))
        source_runs.update(tuple(words[i : i + 8]) for i in range(len(words) - 7))
    copied = []
    for path in SHIPPED_DIR.glob("articles/*/*.en.md"):
        words = _words(path.read_text(encoding="utf-8"))
        copied += [(path.name, " ".join(run)) for run in (tuple(words[i : i + 8]) for i in range(len(words) - 7)) if run in source_runs]
    assert not copied, copied[:5]


def test_a_malformed_file_loads_nothing(tmp_path):
    root = tmp_path / "shipped"
    shutil.copytree(SHIPPED_DIR, root)
    broken = next((root / "articles").iterdir()) / "standard.en.md"
    broken.write_text("---\nsummary: no title here\nreview_status: unreviewed\n---\nBody.\n", encoding="utf-8")

    with pytest.raises(CommandError, match="title"):
        call_command("load_content", path=str(root), verbosity=0)

    assert Article.objects.count() == 0
    assert SourceDocument.objects.count() == 0


def test_an_unknown_review_status_is_refused(tmp_path):
    root = tmp_path / "shipped"
    shutil.copytree(SHIPPED_DIR, root)
    target = next((root / "articles").iterdir()) / "plain.es.md"
    target.write_text(target.read_text(encoding="utf-8").replace("review_status: unreviewed", "review_status: approved"), encoding="utf-8")

    with pytest.raises(CommandError, match="review_status"):
        call_command("load_content", path=str(root), verbosity=0)


def test_every_shipped_text_meets_its_readability_target(loaded):
    misses = [
        (r.variant.article.slug, r.variant.level, r.language, r.readability.get("score"), r.readability.get("sentences"))
        for r in Rendition.objects.select_related("variant__article")
        if not r.readability.get("meets_target")
    ]
    assert not misses, misses


@pytest.mark.parametrize("language", ["en", "es", "fr", "zh-hans", "ar"])
@pytest.mark.parametrize("level", ["standard", "plain"])
def test_every_article_is_served_in_every_language_and_level_with_no_fallback(loaded, client, language, level):
    for article in Article.objects.all():
        body = client.get(f"/api/v1/articles/{article.slug}/", {"lang": language, "level": level}).json()
        assert body["language"]["served"] == language, article.slug
        assert body["language"]["fallback_fields"] == [], article.slug
        assert body["level"] == {"requested": level, "served": level, "fell_back": False}, article.slug
        assert body["review"]["status"] == "unreviewed"
        assert body["review"]["notice"]


def test_glossary_has_at_least_forty_terms_complete_in_every_language(loaded):
    from content.languages import language_codes
    from content.translation import raw_translation

    complete = [
        term for term in GlossaryTerm.objects.all()
        if all(raw_translation(term, name, code) for code in language_codes() for name in ("term", "definition", "plain_definition"))
    ]
    assert len(complete) >= 40


def test_shipped_arabic_has_no_stray_direction_marks():
    marks = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u0640]")
    offenders = [
        path.name for path in list(SHIPPED_DIR.glob("articles/*/*.ar.md")) + list(SHIPPED_DIR.glob("glossary/*.yaml"))
        if marks.search(path.read_text(encoding="utf-8"))
    ]
    assert not offenders


def test_glossary_terms_are_linked_in_every_language(loaded):
    for language in ("en", "es", "fr", "zh-hans", "ar"):
        linked = Rendition.objects.filter(language=language).exclude(glossary=[]).count()
        assert linked == Rendition.objects.filter(language=language).count(), language


def _shape(path):
    import frontmatter

    from content.text.blocks import parse_body

    return [block["type"] for block in parse_body(frontmatter.loads(path.read_text(encoding="utf-8")).content)]


@pytest.mark.parametrize("article_dir", ARTICLE_DIRS, ids=lambda path: path.name)
def test_translations_and_levels_keep_the_same_structure(article_dir):
    """A translation has the English blocks in the same order; a plain text has the standard's headings and lists.

    Structure is not meaning, but a dropped section or list is the commonest way a translation or a
    simplification loses a fact, and this catches it.
    """
    for level in ("standard", "plain"):
        english = _shape(article_dir / f"{level}.en.md")
        for language in ("es", "fr", "zh-hans", "ar"):
            assert _shape(article_dir / f"{level}.{language}.md") == english, (level, language)
    standard, plain = _shape(article_dir / "standard.en.md"), _shape(article_dir / "plain.en.md")
    for kind in ("heading", "list"):
        assert standard.count(kind) == plain.count(kind), kind
