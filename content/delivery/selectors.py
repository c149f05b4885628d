"""Read-side queries. Public means published: every public query starts here."""

from django.db.models import Count, Prefetch, Q
from modeltranslation.utils import build_localized_fieldname

from content.languages import SOURCE_LANGUAGE, language_codes
from content.models import (
    Article,
    ArticleStatus,
    ArticleVariant,
    AudioReading,
    GlossaryTerm,
    ReadingLevel,
    Rendition,
    ReviewStatus,
    SourceDocument,
    TermPronunciation,
    Topic,
)

FALLBACK_LANGUAGE = SOURCE_LANGUAGE  # what a text without a translation is served in


def published_articles():
    return Article.objects.filter(status=ArticleStatus.PUBLISHED)


def _served_languages(language):
    return sorted({language, FALLBACK_LANGUAGE})


def _variant_columns(language, fields):
    return [build_localized_fieldname(name, lang) for name in fields for lang in _served_languages(language)]


def articles_for_list(language):
    """Published articles with just what a list item shows, in `language` and English."""
    variants = ArticleVariant.objects.only("id", "article_id", "level")
    renditions = Rendition.objects.filter(language__in=_served_languages(language)).only(
        "id", "variant_id", "language", "title", "summary", "has_body", "reading_time_minutes", "review"
    )
    # Only the dates a notice about an old source is judged from.
    sources = SourceDocument.objects.only("id", "last_medical_review", "updated_on", "last_revised")
    return (
        published_articles()
        .select_related("topic")
        .only(
            "id", "slug", "updated_at", "published_at", "live_codes", "topic__slug", "topic__position",
            *_topic_columns(language),
        )
        .prefetch_related(
            Prefetch("variants", queryset=variants),
            Prefetch("variants__renditions", queryset=renditions),
            Prefetch("sources", queryset=sources),
        )
        .order_by("topic__position", "slug", "id")
    )


def _topic_columns(language):
    return [f"topic__{column}" for column in _variant_columns(language, ("name",))]


def published_article(slug, language, preview_id=None):
    """One published article with everything its detail response needs, or None.

    With `preview_id` (from a valid preview token) that one article is found
    whatever its status.
    """
    articles = Article.objects.filter(pk=preview_id) if preview_id is not None else published_articles()
    return articles_in_full(language, articles.filter(slug=slug)).first()


def articles_in_full(language, articles=None):
    """Articles (published ones by default) with everything a detail response needs, in a fixed number of queries.

    With `language` None, the renditions of every language: one fetch serves details in each.
    """
    served = Rendition.objects.all() if language is None else Rendition.objects.filter(
        language__in=_served_languages(language)
    )
    # With its audio reading's description, not its bytes (those are served by content/delivery/api/audio_views.py).
    renditions = (
        served
        .select_related("audio")
        .defer("search_text", "audio__data", "audio__words")
    )
    articles = published_articles() if articles is None else articles
    return (
        articles.select_related("topic")
        .prefetch_related(
            "sources",
            Prefetch("variants", queryset=ArticleVariant.objects.only("id", "article_id", "level")),
            Prefetch("variants__renditions", queryset=renditions),
        )
        .order_by("topic__position", "slug", "id")
    )


def availability(article_ids):
    """{article id: {level: [languages]}} of published renditions."""
    available = {}
    rows = (
        Rendition.objects.filter(variant__article_id__in=article_ids, has_body=True)
        .values_list("variant__article_id", "variant__level", "language")
        .order_by("variant__article_id", "variant__level", "language")
    )
    for article_id, level, language in rows:
        available.setdefault(article_id, {}).setdefault(level, []).append(language)
    return available


def published_terms():
    """Glossary terms as published: only `slug` and `live` are read, never the working copy."""
    # With their pronunciations' descriptions, not their bytes (served by content/delivery/api/audio_views.py).
    spoken = Prefetch("pronunciations", queryset=TermPronunciation.objects.defer("data"))
    return (
        GlossaryTerm.objects.exclude(live={}).only("id", "slug", "live", "live_codes", "published_at")
        .prefetch_related(spoken).order_by("slug")
    )


def glossary_terms(slugs):
    return published_terms().filter(slug__in=slugs)


def glossary_terms_all():
    return published_terms()


def glossary_term(slug):
    return published_terms().filter(slug=slug).first()


def articles_using_term(slug):
    """Published articles whose text links the glossary term, with the languages that do."""
    rows = (
        Rendition.objects.filter(variant__article__status=ArticleStatus.PUBLISHED, glossary__icontains=f'"{slug}"')
        .values_list("variant__article__slug", "language", "glossary")
        .order_by("variant__article__slug", "language")
    )
    used = {}
    for article_slug, language, spans in rows:
        if any(span.get("term") == slug for span in spans):
            used.setdefault(article_slug, set()).add(language)
    return {article_slug: sorted(languages) for article_slug, languages in used.items()}


def topics_with_counts():
    return Topic.objects.annotate(
        article_count=Count("articles", filter=Q(articles__status=ArticleStatus.PUBLISHED), distinct=True)
    )


def language_statistics():
    """Per language and level: published articles available, and how many a clinician reviewed."""
    available = (
        Rendition.objects.filter(variant__article__status=ArticleStatus.PUBLISHED, has_body=True)
        .values_list("language", "variant__level")
        .annotate(articles=Count("variant__article", distinct=True))
    )
    reviewed = (
        Rendition.objects.filter(
            variant__article__status=ArticleStatus.PUBLISHED, has_body=True, review__status=ReviewStatus.CLINICIAN_REVIEWED
        )
        .values_list("language", "variant__level")
        .annotate(articles=Count("variant__article", distinct=True))
    )
    any_level = (
        Rendition.objects.filter(variant__article__status=ArticleStatus.PUBLISHED, has_body=True)
        .values_list("language")
        .annotate(articles=Count("variant__article", distinct=True))
    )
    # Every level is named in every language, with zeros where nothing is published, so clients read one shape.
    stats = {
        code: {"articles": 0, "levels": {level: {"articles": 0, "clinician_reviewed": 0} for level in ReadingLevel.values}}
        for code in language_codes()
    }
    for language, count in any_level:
        stats[language]["articles"] = count
    for language, level, count in available:
        stats[language]["levels"].setdefault(level, {"articles": 0, "clinician_reviewed": 0})["articles"] = count
    for language, level, count in reviewed:
        stats[language]["levels"].setdefault(level, {"articles": 0, "clinician_reviewed": 0})[
            "clinician_reviewed"
        ] = count
    for language_stats in stats.values():
        for level_stats in language_stats["levels"].values():
            articles = level_stats["articles"]
            level_stats["clinician_reviewed_share"] = round(level_stats["clinician_reviewed"] / articles, 3) if articles else 0.0
    return stats

