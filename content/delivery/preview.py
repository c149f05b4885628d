"""Signed, expiring preview links: an editor sees a draft as the app would.

The token names one article and expires; the draft stays invisible to
everyone without it.
"""

from django.core import signing

from content.models import Rendition
from content.rendering import live_glossary_entries, rendered_languages, rendition_values

PREVIEW_SALT = "bonecare.preview"
PREVIEW_MAX_AGE_SECONDS = 60 * 60


class InvalidPreviewToken(Exception):
    pass


def preview_token(article):
    return signing.dumps({"article": article.pk, "slug": article.slug}, salt=PREVIEW_SALT, compress=True)


def previewed_article_id(token, slug, max_age=PREVIEW_MAX_AGE_SECONDS):
    """The article id the token grants, if it is genuine, unexpired and for this slug."""
    try:
        payload = signing.loads(token, salt=PREVIEW_SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise InvalidPreviewToken("expired") from exc
    except signing.BadSignature as exc:
        raise InvalidPreviewToken("invalid") from exc
    if payload.get("slug") != slug:
        raise InvalidPreviewToken("invalid")
    return payload["article"]


def with_working_copy(article):
    """The article with its working copy rendered in memory in place of what is published; nothing is saved.

    An editor previews what would be published, which for a draft is all there is.
    """
    glossary = live_glossary_entries()
    article.live_codes = article.codes
    for variant in article.variants.all():
        reviews = {review.language: review for review in variant.reviews.all()}
        renditions = []
        for language in rendered_languages(variant):  # the languages publication renders, no other
            renditions.append(
                Rendition(variant=variant, language=language,
                          **rendition_values(variant, language, glossary, reviews.get(language)))
            )
        variant._prefetched_objects_cache = {**getattr(variant, "_prefetched_objects_cache", {}), "renditions": renditions}
    return article


def working_availability(article):
    """{level: [languages]} of the working copy as with_working_copy rendered it: what publication will list."""
    available = {}
    for variant in article.variants.all():
        languages = sorted(rendition.language for rendition in variant.renditions.all() if rendition.has_body)
        if languages:
            available[variant.level] = languages
    return available
