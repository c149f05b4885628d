import datetime

from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from content.delivery.search import MAX_QUERY_LENGTH, matching_article_ids
from content.models import Article, ReadingLevel, Topic

# The longest topic slug there can be; with the other bounds, it keeps every URL the schema allows within
# the request line a web server accepts (gunicorn: 4094 bytes, nginx: 8 KB).
MAX_TOPIC_LENGTH = Topic._meta.get_field("slug").max_length


class DateOrDateTimeField(forms.Field):
    """ISO 8601 date or date-time; a time without offset is taken as UTC.

    The parameter given but empty is refused rather than ignored: a client
    that sends `updated_since=` meant some date, and would otherwise silently
    get everything.
    """

    default_error_messages = {
        "invalid": _("Use an ISO 8601 date or date-time, e.g. 2024-05-01 or 2024-05-01T09:30:00Z."),
    }

    def to_python(self, value):
        if value is None:  # the parameter is absent
            return None
        value = value.strip()
        try:
            moment = parse_datetime(value)
            if moment is None:
                day = parse_date(value)
                moment = datetime.datetime.combine(day, datetime.time.min) if day else None
        except ValueError:
            moment = None
        if moment is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if timezone.is_naive(moment):
            return timezone.make_aware(moment, datetime.timezone.utc)
        # The database compares in UTC; 0001-01-01T00:00+14:00 has no UTC
        # equivalent (it is before year 1 there) and would raise OverflowError
        # inside the ORM. It is a valid date-time all the same, earlier than
        # anything, so it asks for everything; 9999-12-31T23:59-14:00, later
        # than anything, for nothing.
        try:
            return moment.astimezone(datetime.timezone.utc)
        except OverflowError:
            before_year_one = moment.utcoffset() > datetime.timedelta(0)
            edge = datetime.datetime.min if before_year_one else datetime.datetime.max
            return edge.replace(tzinfo=datetime.timezone.utc)


class DateOrDateTimeFilter(filters.Filter):
    field_class = DateOrDateTimeField


class ArticleFilter(filters.FilterSet):
    topic = filters.CharFilter(
        field_name="topic__slug", max_length=MAX_TOPIC_LENGTH, help_text="Topic slug, e.g. `surgery`."
    )
    level = filters.ChoiceFilter(
        choices=ReadingLevel.choices,
        method="filter_level",
        help_text="Reading level to serve; only articles written at that level are listed.",
    )
    q = filters.CharFilter(
        method="search",
        max_length=MAX_QUERY_LENGTH,
        help_text="Words to find in the title, summary or body, in the served language and level (as /api/v1/search/).",
    )
    updated_since = DateOrDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Only articles changed at or after this ISO 8601 date or date-time (UTC if no offset).",
    )

    class Meta:
        model = Article
        fields = ["topic", "level", "q", "updated_since"]

    def filter_level(self, queryset, name, value):
        return queryset.filter(variants__level=value)

    def search(self, queryset, name, value):
        """The same search as /api/v1/search/: every word, in any form, in the text served in this language and level."""
        negotiated = self.request.negotiated
        return queryset.filter(pk__in=matching_article_ids(value, negotiated.language, negotiated.level))
