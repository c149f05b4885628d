"""An article counts as changed whenever anything shown in its responses changes.

Responses carry an ETag and Last-Modified derived from `Article.updated_at`
and are cached on that basis, so every model whose data appears in an article
response moves the timestamp of the articles that show it.
"""

from django.db.models.signals import post_delete, post_save
from django.utils import timezone


def touch_articles(queryset):
    from content.models import Article

    Article.objects.filter(pk__in=queryset.values("pk")).update(updated_at=timezone.now())


def review_changed(sender, instance, **kwargs):
    from content.models import Article

    touch_articles(Article.objects.filter(variants__pk=instance.variant_id))


def topic_changed(sender, instance, **kwargs):
    touch_articles(instance.articles.all())


def source_changed(sender, instance, **kwargs):
    from content.models import Article

    touch_articles(Article.objects.filter(sources=instance))


def glossary_changed(sender, instance, **kwargs):
    from content.models import Article

    # Definitions of linked terms are part of every article that links them.
    touch_articles(Article.objects.all())


def connect():
    from content.models import GlossaryTerm, SourceDocument, Topic, TranslationReview

    for signal in (post_save, post_delete):
        signal.connect(review_changed, sender=TranslationReview, dispatch_uid=f"fresh-review-{signal}")
        signal.connect(topic_changed, sender=Topic, dispatch_uid=f"fresh-topic-{signal}")
        signal.connect(source_changed, sender=SourceDocument, dispatch_uid=f"fresh-source-{signal}")
        signal.connect(glossary_changed, sender=GlossaryTerm, dispatch_uid=f"fresh-glossary-{signal}")
