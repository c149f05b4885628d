"""Rows built the way the product builds them: through model saves, so renditions are derived."""

import itertools

from django.utils.text import slugify
from modeltranslation.utils import build_localized_fieldname

from content.models import (
    Article,
    ArticleStatus,
    ArticleVariant,
    GlossaryTerm,
    ReviewStatus,
    SourceDocument,
    Topic,
    TranslationReview,
)

_sequence = itertools.count(1)

DEFAULT_BODY = {
    "en": "## What it is\n\nBone cancer starts in a bone. A biopsy helps your doctor find it.\n\n- Pain\n- Swelling",
    "es": "## Qué es\n\nEl cáncer de hueso empieza en un hueso. Una biopsia ayuda a su médico a encontrarlo.\n\n- Dolor\n- Hinchazón",
}


def make_topic(slug="surgery", name="Surgery", position=1, **names):
    topic, _ = Topic.objects.get_or_create(slug=slug, defaults={"name_en": name, "position": position, **names})
    return topic


def make_source(**overrides):
    number = next(_sequence)
    values = {"file_name": f"source-{number}.txt", "publisher": "Example Cancer Society", "title": f"Source {number}"}
    values.update(overrides)
    return SourceDocument.objects.create(**values)


def set_texts(variant, language, title=None, summary=None, body=None):
    for name, value in (("title", title), ("summary", summary), ("body", body)):
        if value is not None:
            setattr(variant, build_localized_fieldname(name, language), value)


def make_article(slug=None, status=ArticleStatus.PUBLISHED, topic=None, languages=("en",), levels=("standard", "plain"),
                 sources=(), reviewed=()):
    """An article with a variant per level and text in each language.

    `reviewed` lists the languages a clinician reviewed; the rest are unreviewed.
    """
    number = next(_sequence)
    slug = slug or f"article-{number}"
    article = Article.objects.create(slug=slug, topic=topic or make_topic(), status=status)
    article.sources.set(sources)
    for level in levels:
        variant = ArticleVariant(article=article, level=level)
        for language in languages:
            set_texts(
                variant,
                language,
                title=f"{slug} {level} title [{language}]",
                summary=f"{slug} {level} summary [{language}]",
                body=DEFAULT_BODY.get(language, DEFAULT_BODY["en"]),
            )
        variant.save()
        TranslationReview.objects.filter(variant=variant, language__in=reviewed).update(
            status=ReviewStatus.CLINICIAN_REVIEWED, reviewed_by="Dr Example"
        )
    return Article.objects.get(pk=article.pk)


def make_term(slug, **per_language):
    """make_term('biopsy', en=('biopsy', 'definition', 'plain definition'), es=(...))."""
    values = {}
    for language, (term, definition, plain) in per_language.items():
        values[build_localized_fieldname("term", language)] = term
        values[build_localized_fieldname("definition", language)] = definition
        values[build_localized_fieldname("plain_definition", language)] = plain
    return GlossaryTerm.objects.create(slug=slugify(slug), **values)
