"""When a source is too old to vouch for the facts taken from it.

One rule, read by the editors' dashboard (the article is overdue for medical
review), the article list's filter and the API (readers are told the
information may be out of date).
"""

from django.db.models.functions import Coalesce

from content.models import SourceDocument

# A source nobody has reviewed for this long no longer vouches for the facts an article takes from it.
SOURCE_REVIEW_MAX_AGE_YEARS = 3


def years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def source_is_old(review_date, today):
    """True when the source's own review date is more than SOURCE_REVIEW_MAX_AGE_YEARS before `today`.

    A source that states no date is not called old here: nothing says it is.
    """
    return review_date is not None and review_date < years_before(today, SOURCE_REVIEW_MAX_AGE_YEARS)


def old_sources(today):
    """The sources `source_is_old` calls old on `today`, as a query (for lists that filter on it)."""
    return SourceDocument.objects.alias(stated_review=Coalesce(*SourceDocument.REVIEW_DATE_FIELDS)).filter(
        stated_review__lt=years_before(today, SOURCE_REVIEW_MAX_AGE_YEARS)
    )


def whole_years_between(earlier, later):
    return later.year - earlier.year - ((later.month, later.day) < (earlier.month, earlier.day))
