"""What an article looks like when served in a negotiated language and level.

The client never has to guess: every served article says which language and
level it asked for, which it got, and which fields fell back to English.
"""

from django.utils.translation import gettext as _

from content.translation import raw_translation
from content.languages import bcp47_tag, text_direction
from content.models import ReadingLevel, ReviewStatus
from content.delivery.selectors import FALLBACK_LANGUAGE


def choose_variant(article, language, level):
    """(variant, level fell back?) preferring the patient's language over the level.

    A Spanish reader asking for the plain level of an article whose plain text
    exists only in English gets the Spanish standard text, and is told so.
    """
    variants = {variant.level: variant for variant in article.variants.all()}
    other = ReadingLevel.PLAIN if level == ReadingLevel.STANDARD else ReadingLevel.STANDARD
    for candidate, fell_back in ((level, False), (other, True)):
        variant = variants.get(candidate)
        if variant is not None and _rendition(variant, language) is not None:
            return variant, fell_back
    if level in variants:
        return variants[level], False
    return variants.get(other), True


def _rendition(variant, language):
    for rendition in variant.renditions.all():
        if rendition.language == language:
            return rendition
    return None


def text_with_fallback(instance, name, language):
    """(text, language it is in): the language's own text, else the English."""
    text = raw_translation(instance, name, language)
    return (text, language) if text else (raw_translation(instance, name, FALLBACK_LANGUAGE), FALLBACK_LANGUAGE)


def served_text(variant, language):
    """{field: (text, language it is in)} for title, summary and the body rendition."""
    served = {name: text_with_fallback(variant, name, language) for name in ("title", "summary")}
    rendition = _rendition(variant, language)
    if rendition is not None:
        served["body"] = (rendition, language)
    else:
        served["body"] = (_rendition(variant, FALLBACK_LANGUAGE), FALLBACK_LANGUAGE)
    return served


def language_report(negotiated, served):
    fallback_fields = sorted(name for name, (_value, lang) in served.items() if lang != negotiated.language)
    languages = {lang for _value, lang in served.values()}
    served_language = negotiated.language if negotiated.language in languages else FALLBACK_LANGUAGE
    return {
        "requested": negotiated.requested_language,
        "served": served_language,
        "tag": bcp47_tag(served_language),
        "direction": text_direction(served_language),
        "fallback_fields": fallback_fields,
    }


def level_report(negotiated, variant, fell_back):
    return {"requested": negotiated.requested_level, "served": variant.level, "fell_back": fell_back}


def serve_list_item(article, negotiated):
    variant, fell_back = choose_variant(article, negotiated.language, negotiated.level)
    served = served_text(variant, negotiated.language)
    rendition = served["body"][0]
    return {
        "slug": article.slug,
        "topic": {"slug": article.topic.slug, "name": article.topic.name},
        "title": served["title"][0],
        "summary": served["summary"][0],
        "language": language_report(negotiated, served),
        "level": level_report(negotiated, variant, fell_back),
        "reading_time_minutes": rendition.reading_time_minutes if rendition else 0,
        "published_at": article.published_at,
        "updated_at": article.updated_at,
    }


def serve_detail(article, negotiated, terms, available):
    variant, fell_back = choose_variant(article, negotiated.language, negotiated.level)
    served = served_text(variant, negotiated.language)
    rendition, body_language = served["body"]
    item = serve_list_item(article, negotiated)
    item.update(
        {
            "blocks": rendition.blocks if rendition else [],
            "glossary": rendition.glossary if rendition else [],
            "glossary_terms": [serve_term_summary(term, variant.level) for term in terms],
            "readability": {"language": body_language, **(rendition.readability if rendition else {})},
            "review": review_report(article, variant, body_language),
            "sources": [serve_source(source) for source in article.sources.all()],
            "available": [{"level": level, "languages": langs} for level, langs in sorted(available.items())],
        }
    )
    return item


def review_report(article, variant, language):
    review = next((r for r in variant.reviews.all() if r.language == language), None)
    status = review.status if review else ReviewStatus.UNREVIEWED
    outdated = list(review.outdated_fields) if review else []
    if outdated:
        notice = _("This translation may be out of date: the English text changed after it was translated.")
    elif status == ReviewStatus.CLINICIAN_REVIEWED:
        notice = _("A clinician reviewed this text.")
    elif language == FALLBACK_LANGUAGE:
        notice = _("No clinician has reviewed this text yet. It is based on the cited sources.")
    else:
        notice = _("Unreviewed translation: no clinician has reviewed this translation yet.")
    return {
        "status": status,
        "language": language,
        "notice": notice,
        "translated_by": review.translated_by if review else "",
        "reviewed_by": review.reviewed_by if review else "",
        "reviewed_on": review.reviewed_on if review else None,
        "translated_at": review.translated_at if review else None,
        "outdated": bool(outdated),
        "outdated_fields": outdated,
        "last_reviewed": article.last_reviewed,
        "next_review": article.next_review,
    }


def serve_source(source):
    review_date = source.review_date
    if review_date:
        attribution = _("Facts from “%(title)s”, %(publisher)s, reviewed or updated %(date)s.") % {
            "title": source.title,
            "publisher": source.publisher or _("publisher not stated"),
            "date": review_date.isoformat(),
        }
    else:
        attribution = _("Facts from “%(title)s”, %(publisher)s (the page states no review date).") % {
            "title": source.title,
            "publisher": source.publisher or _("publisher not stated"),
        }
    return {
        "publisher": source.publisher,
        "title": source.title,
        "url": source.url,
        "review_date": review_date,
        "reviewed_by": source.reviewed_by,
        "attribution": attribution,
    }


def serve_term_summary(term, level):
    return {
        "slug": term.slug,
        "term": term.term,
        "definition": term.plain_definition if level == ReadingLevel.PLAIN else term.definition,
    }


def serve_term(term, negotiated):
    """A glossary term in the negotiated language, saying which fields fell back."""
    served = {name: text_with_fallback(term, name, negotiated.language) for name in ("term", "definition", "plain_definition")}
    item = {name: text for name, (text, _lang) in served.items()}
    item["slug"] = term.slug
    item["language"] = language_report(negotiated, served)
    return item
