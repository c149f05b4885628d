"""What an article looks like when served in a negotiated language and level.

The client never has to guess: every served article says which language and
level it asked for, which it got, and which fields fell back to English.
"""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from content.audio.payload import audio_report
from content.audio.pronunciation import pronunciation_report
from content.term_text import published_text
from content.source_age import SOURCE_REVIEW_MAX_AGE_YEARS, source_is_old, whole_years_between
from content.languages import bcp47_tag, text_direction
from content.licence import content_license
from content.models import ReadingLevel, ReviewStatus
from content.languages import SOURCE_LANGUAGE as FALLBACK_LANGUAGE


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


def _rendition(variant, language, with_body=True):
    for rendition in variant.renditions.all():
        if rendition.language == language and (rendition.has_body or not with_body):
            return rendition
    return None


def served_text(variant, language):
    """{field: (value, language it is in)}: the published title and summary, and the body's rendition."""
    own, fallback = _rendition(variant, language, with_body=False), _rendition(variant, FALLBACK_LANGUAGE)
    served = {}
    for name in ("title", "summary"):
        text = getattr(own, name) if own is not None else ""
        served[name] = (text, language) if text else ((getattr(fallback, name) if fallback else ""), FALLBACK_LANGUAGE)
    served["body"] = (own, language) if own is not None and own.has_body else (fallback, FALLBACK_LANGUAGE)
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
        "fell_back": language_fell_back(negotiated, served_language),
        "fallback_fields": fallback_fields,
    }


def language_fell_back(negotiated, served_language):
    """True when the reader gets another language than they asked for.

    Either the text is not translated into the negotiated language, or the
    Accept-Language header named only languages we do not serve (zh-TW, de)
    and English was chosen by default. No request for a language at all is
    not a fallback.
    """
    unmatched_header = negotiated.language_source == "default" and negotiated.requested_language is not None
    return served_language != negotiated.language or unmatched_header


def level_report(negotiated, variant, fell_back):
    return {"requested": negotiated.requested_level, "served": variant.level, "fell_back": fell_back}


def serve_list_item(article, negotiated, today=None):
    today = today or timezone.localdate()
    variant, fell_back = choose_variant(article, negotiated.language, negotiated.level)
    served = served_text(variant, negotiated.language)
    rendition, body_language = served["body"]
    return {
        "slug": article.slug,
        "topic": {"slug": article.topic.slug, "name": article.topic.name},
        "title": served["title"][0],
        "summary": served["summary"][0],
        "language": language_report(negotiated, served),
        "level": level_report(negotiated, variant, fell_back),
        "reading_time_minutes": rendition.reading_time_minutes if rendition else 0,
        "review": {"status": review_status(rendition), "language": body_language},
        "notices": article_notices(article.sources.all(), today),
        "published_at": article.published_at,
        "updated_at": article.updated_at,
        "license": content_license(negotiated.language),
        "codes": article.live_codes,
    }


def serve_detail(article, negotiated, terms, available, today=None):
    today = today or timezone.localdate()
    variant, fell_back = choose_variant(article, negotiated.language, negotiated.level)
    served = served_text(variant, negotiated.language)
    rendition, body_language = served["body"]
    item = serve_list_item(article, negotiated, today)
    item.update(
        {
            "blocks": rendition.blocks if rendition else [],
            "glossary": rendition.glossary if rendition else [],
            "glossary_terms": [serve_term_summary(term, variant.level, body_language) for term in terms],
            "readability": {"language": body_language, **(rendition.readability if rendition else {})},
            "review": review_report(article, rendition, body_language),
            "sources": [serve_source(source, today) for source in article.sources.all()],
            "available": [{"level": level, "languages": langs} for level, langs in sorted(available.items())],
            **audio_report(rendition),
        }
    )
    return item


def review_status(rendition):
    """The review status of a rendition's text as it stood when that text was published."""
    review = rendition.review if rendition is not None else {}
    return review.get("status", ReviewStatus.UNREVIEWED)


def review_report(article, rendition, language):
    """The review of the text served, as it stood when that text was published."""
    review = rendition.review if rendition is not None else {}
    status = review_status(rendition)
    outdated = list(review.get("outdated_fields", []))
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
        "translated_by": review.get("translated_by") or None,
        "reviewed_by": review.get("reviewed_by") or None,
        "reviewed_on": review.get("reviewed_on"),
        "translated_at": review.get("translated_at"),
        "outdated": bool(outdated),
        "outdated_fields": outdated,
        "last_reviewed": article.last_reviewed,
        "next_review": article.next_review,
    }


def source_age(review_date, today):
    """How old the source's own review is, so an app can flag it; None when the source states no date."""
    if review_date is None:
        return None
    return {
        "years_since_review": whole_years_between(review_date, today),
        "limit_years": SOURCE_REVIEW_MAX_AGE_YEARS,
        "older_than_limit": source_is_old(review_date, today),
    }


def article_notices(sources, today):
    """Notices to show with the article, in the served language: today, that it relies on an old source."""
    old_dates = [source.review_date for source in sources if source_is_old(source.review_date, today)]
    if not old_dates:
        return []
    oldest = min(old_dates)
    # The age itself, not the limit: "more than 3 years" understated a 14-year-old source.
    years = whole_years_between(oldest, today)
    message = ngettext(
        "This article uses a source last reviewed in %(year)s, %(years)d year ago. Some of this "
        "information may be out of date. Ask your care team about your own situation.",
        "This article uses a source last reviewed in %(year)s, %(years)d years ago. Some of this "
        "information may be out of date. Ask your care team about your own situation.",
        years,
    ) % {"year": oldest.year, "years": years}
    return [{"code": "source_older_than_limit", "message": message, "source_review_date": oldest}]


# A publisher line in sources.yaml that describes a page rather than naming an organisation is
# words, so it is translated when served; names have no catalog entry and come back unchanged.
PUBLISHER_DESCRIPTIONS = (gettext_noop("Hospital patient-education page (publisher not named in the saved copy)"),)


def served_publisher(source):
    return _(source.publisher) if source.publisher else None


def serve_source(source, today):
    review_date = source.review_date
    publisher = served_publisher(source)
    if review_date:
        # Written the way the served language writes dates; the review_date field stays ISO 8601.
        attribution = _("Facts from “%(title)s”, %(publisher)s, reviewed or updated %(date)s.") % {
            "title": source.title,
            "publisher": publisher or _("publisher not stated"),
            "date": date_format(review_date, "DATE_FORMAT"),
        }
    else:
        attribution = _("Facts from “%(title)s”, %(publisher)s (the page states no review date).") % {
            "title": source.title,
            "publisher": publisher or _("publisher not stated"),
        }
    return {
        "publisher": publisher,
        "title": source.title,
        "url": source.url or None,
        "review_date": review_date,
        "reviewed_by": source.reviewed_by or None,
        "attribution": attribution,
        "age": source_age(review_date, today),
    }


def serve_term_summary(term, level, language):
    field = "plain_definition" if level == ReadingLevel.PLAIN else "definition"
    return {
        "slug": term.slug,
        "term": published_text(term, "term", language)[0],
        "definition": published_text(term, field, language)[0],
    }


def serve_term(term, negotiated):
    """A published glossary term in the negotiated language, saying which fields fell back."""
    served = {name: published_text(term, name, negotiated.language) for name in ("term", "definition", "plain_definition")}
    item = {name: text for name, (text, _lang) in served.items()}
    item["slug"] = term.slug
    item["codes"] = term.live_codes
    item["language"] = language_report(negotiated, served)
    item["pronunciation"] = pronunciation_report(term, negotiated.language)
    return item
