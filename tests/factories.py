"""Rows built the way the product builds them: through the write path, so what is published is rendered."""

import itertools

from django.utils.text import slugify
from modeltranslation.utils import build_localized_fieldname

from content.editorial import services
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
    "fr": "## Ce que c'est\n\nLe cancer des os commence dans un os. Une biopsie aide le médecin à le trouver.\n\n- Douleur\n- Gonflement",
    "zh-hans": "## 这是什么\n\n骨癌从骨头开始。活检可以帮助医生找到它。\n\n- 疼痛\n- 肿胀",
    "ar": "## ما هو\n\nيبدأ سرطان العظام في العظم. تساعد الخزعة الطبيب على العثور عليه.\n\n- ألم\n- تورم",
}


def publish_edit(instance, user=None):
    """Save an edit through the write path and publish it, as an editor and a Medical reviewer would."""
    if isinstance(instance, GlossaryTerm):
        services.save_glossary_term(instance, user=user)
        services.publish_glossary_term(instance)
        return
    services.save_variant(instance, user=user)
    article = Article.objects.get(pk=instance.article_id)
    if article.status == ArticleStatus.PUBLISHED and instance.has_pending_changes:
        services.publish_article(article)


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
    """An article with a variant per level and text in each language, moved to `status` through the workflow.

    `reviewed` lists the languages a clinician reviewed; the rest are unreviewed.
    """
    number = next(_sequence)
    slug = slug or f"article-{number}"
    article = services.create_article(slug, topic or make_topic(), sources=sources)
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
        services.save_variant(variant)
        TranslationReview.objects.filter(variant=variant, language__in=reviewed).update(
            status=ReviewStatus.CLINICIAN_REVIEWED, reviewed_by="Dr Example"
        )
    if status in (ArticleStatus.PUBLISHED, ArticleStatus.ARCHIVED):
        services.publish_article(article)
    if status in (ArticleStatus.IN_REVIEW, ArticleStatus.ARCHIVED):
        services.move_article(article, status)
    return Article.objects.get(pk=article.pk)


def make_term(slug, **per_language):
    """make_term('biopsy', en=('biopsy', 'definition', 'plain definition'), es=(...)), published."""
    term = GlossaryTerm(slug=slugify(slug))
    for language, (term_text, definition, plain) in per_language.items():
        setattr(term, build_localized_fieldname("term", language), term_text)
        setattr(term, build_localized_fieldname("definition", language), definition)
        setattr(term, build_localized_fieldname("plain_definition", language), plain)
    services.save_glossary_term(term)
    services.publish_glossary_term(term)
    return GlossaryTerm.objects.get(pk=term.pk)


def run_queued_refreshes():
    """Run the stored-answer refreshes publications queued, as `manage.py db_worker` would; returns how many rendered.

    Each task runs here, in the test's transaction; tests/delivery/test_refresh.py runs the real worker.
    """
    from django_tasks_db.models import DBTaskResult

    from content.delivery.answers.refresh import refresh_stored_answers

    rendered = 0
    for result in DBTaskResult.objects.ready().filter(task_path=refresh_stored_answers.module_path).order_by("pk"):
        rendered += refresh_stored_answers.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
        result.delete()
    return rendered
