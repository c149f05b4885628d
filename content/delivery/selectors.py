"""Read-side queries. Public means published: every public query starts here."""

from django.db.models import Count, IntegerField, Max, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from modeltranslation.utils import build_localized_fieldname

from content.languages import SOURCE_LANGUAGE, language_codes
from content.models import (
    ChangeLogEntry,
    Article,
    ArticleStatus,
    ArticleVariant,
    GlossaryTerm,
    Rendition,
    ReviewStatus,
    SourceDocument,
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
        .only("id", "slug", "updated_at", "published_at", "topic__slug", "topic__position", *_topic_columns(language))
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
    """Articles (published ones by default) with everything a detail response needs, in a fixed number of queries."""
    renditions = Rendition.objects.filter(language__in=_served_languages(language)).defer("search_text")
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


def article_validators(slug):
    """(pk, updated_at) of a published article, for conditional requests, or None."""
    return published_articles().filter(slug=slug).values_list("pk", "updated_at").first()


def list_validators(queryset):
    """What a list response depends on: how many articles match and when the newest changed."""
    return queryset.order_by().aggregate(count=Count("id"), last_modified=Max("updated_at"))


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
    return GlossaryTerm.objects.exclude(live={}).only("id", "slug", "live").order_by("slug")


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
    stats = {code: {"articles": 0, "levels": {}} for code in language_codes()}
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


# --- validators: what a stored body was rendered from, as values and as subqueries -----------------------
#
# Each pair below must agree: the slow path computes the values while building
# a body, the hot path fetches the same values as subqueries beside the stored
# row, and the row is served only while they are equal.


def _newest(queryset, field):
    return Subquery(queryset.order_by(f"-{field}").values(field)[:1])


def _how_many(queryset):
    counted = queryset.order_by().annotate(group=Value(1)).values("group").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def article_version(article):
    return {"updated_at": article.updated_at}


def article_version_subqueries(slug):
    return {"updated_at": _newest(published_articles().filter(slug=slug), "updated_at")}


def list_version(queryset):
    return list_validators(queryset)


def list_version_subqueries(queryset):
    return {"count": _how_many(queryset), "last_modified": _newest(queryset, "updated_at")}


def glossary_version():
    terms = published_terms()
    return terms.order_by().aggregate(terms=Count("id"), terms_published=Max("published_at"))


def glossary_version_subqueries():
    terms = published_terms()
    return {"terms": _how_many(terms), "terms_published": _newest(terms, "published_at")}


def change_log_version_subqueries():
    latest = ChangeLogEntry.objects.order_by("-id").values("id")[:1]
    return {"latest": Coalesce(Subquery(latest, output_field=IntegerField()), 0)}


def _scoped(scope):
    """(subqueries, values) functions for a stored body's scope, e.g. article:<slug> or articles:plain."""
    kind, _, argument = scope.partition(":")
    published = published_articles()
    if kind == "article":
        return lambda: article_version_subqueries(argument), lambda: _article_version_by_slug(argument)
    if kind == "articles":
        listed = published if argument == "all" else published.filter(variants__level=argument)
        return lambda: list_version_subqueries(listed), lambda: list_version(listed)
    if kind == "reference":
        return lambda: list_version_subqueries(published), lambda: list_version(published)
    if kind == "glossary":
        return glossary_version_subqueries, glossary_version
    if kind in ("glossary-term", "bundle"):
        return (
            lambda: {**glossary_version_subqueries(), **list_version_subqueries(published)},
            lambda: {**glossary_version(), **list_version(published)},
        )
    if kind == "sync":
        return change_log_version_subqueries, lambda: {"latest": _latest_change_id()}
    raise ValueError(f"unknown scope {scope!r}")


def scope_subqueries(scope):
    """The validators of a scope as subqueries, to fetch beside a stored row."""
    return _scoped(scope)[0]()


def scope_version(scope):
    """The validators of a scope as values, for a body being built now."""
    return _scoped(scope)[1]()


def _article_version_by_slug(slug):
    return {"updated_at": published_articles().filter(slug=slug).values_list("updated_at", flat=True).first()}


def _latest_change_id():
    return ChangeLogEntry.objects.aggregate(latest=Max("id"))["latest"] or 0
