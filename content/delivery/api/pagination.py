import re
from urllib.parse import urlencode

from django.core.paginator import InvalidPage
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from content.delivery.api.errors import ApiError
from content.public_address import public_url

# ASCII digits only: str.isdigit() also accepts "²", which int() refuses
# (a 500), and "٣", which int() reads as a number the client never meant.
WHOLE_NUMBER = re.compile(r"[0-9]+")
# The schema declares pages as int64; a longer run of digits is refused before
# int() meets it (int() refuses more than 4,300 digits anyway).
INT64_MAX = 2**63 - 1


def whole_number(raw):
    """The value of a query parameter written in ASCII digits and within int64, or None."""
    if not WHOLE_NUMBER.fullmatch(raw):
        return None
    digits = raw.lstrip("0") or "0"
    if len(digits) > len(str(INT64_MAX)) or int(digits) > INT64_MAX:
        return None
    return int(digits)


class PagePagination(PageNumberPagination):
    """Page-number pagination of every v1 list, whose bad pages get a clear, documented error.

    A page that is not a positive whole number is the client's mistake (400
    `invalid_page`); a page past the end is 404 `page_out_of_range`, naming
    the last page. A view that has already counted the rows (for its ETag)
    passes `count`, which saves the paginator counting them again.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = whole_number(raw)
        if size is None or not 1 <= size <= self.max_page_size:
            raise ApiError(
                "invalid_page_size",
                _("'page_size' must be a whole number from 1 to %(max)d.") % {"max": self.max_page_size},
                details={"page_size": raw[:50]},
            )
        return size

    def check(self, request, count):
        """Refuse a bad `page` or `page_size`, or a page past the last of `count` rows.

        Views call it before they choose their answer, so a request the schema
        refuses is a 400 (or a 404 past the end) even when If-None-Match or
        If-Modified-Since would otherwise have answered 304. Counts nothing itself.
        """
        self._paginator(request, (), count)

    def paginate_queryset(self, queryset, request, view=None, count=None):
        paginator, number = self._paginator(request, queryset, count)
        self.page = paginator.page(number)
        return list(self.page.object_list)  # what list(self.page) gives, without a call per item

    def _paginator(self, request, object_list, count):
        self.request = request
        raw = request.query_params.get(self.page_query_param, "1")
        number = whole_number(raw)
        if number is None or number < 1:
            raise ApiError(
                "invalid_page", _("'page' must be a whole number of 1 or more."), details={"page": raw[:50]}
            )
        paginator = self.django_paginator_class(object_list, self.get_page_size(request))
        if count is not None:
            paginator.count = count  # else Django's Paginator counts a queryset or measures a list
        try:
            paginator.validate_number(number)
        except InvalidPage as exc:
            raise ApiError(
                "page_out_of_range",
                _("There is no page %(page)s; the last page is %(last)d.") % {"page": number, "last": paginator.num_pages},
                status_code=status.HTTP_404_NOT_FOUND,
                details={"page": raw[:50], "last_page": paginator.num_pages},
            ) from exc
        return paginator, number

    def get_next_link(self):
        if not self.page.has_next():
            return None
        return self.page_link(self.page.next_page_number())

    def get_previous_link(self):
        if not self.page.has_previous():
            return None
        return self.page_link(self.page.previous_page_number())

    def page_link(self, number):
        """This URL at the public address with another page: DRF's own links name the request's Host, which bodies
        never may. As DRF writes them (parameters sorted, page 1 without `page`), from the query Django has parsed
        already rather than the URL taken apart again (DRF's way took 50 µs of a search for a new word; issue 19)."""
        parameters = dict(self.request.query_params.lists())
        parameters.pop(self.page_query_param, None)
        if number != 1:
            parameters[self.page_query_param] = [str(number)]
        query = urlencode(sorted(parameters.items()), doseq=True)
        return public_url(escape_uri_path(self.request.path) + (f"?{query}" if query else ""))

    def get_paginated_response(self, data):
        return Response(self.paginated(data))

    def paginated(self, data):
        """The page's body: the one shape of every v1 list."""
        return {
            "count": self.page.paginator.count,
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
            "results": data,
        }


class SearchPagination(PagePagination):
    """The search's pages, which also say how the query could be corrected when it found nothing."""

    def paginated(self, data, did_you_mean=None):
        return {**super().paginated(data), "did_you_mean": did_you_mean}

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        described["properties"]["did_you_mean"] = {
            "type": "string",
            "nullable": True,
            "description": (
                "When nothing was found: the query with its unknown words corrected to words that are in the "
                "texts, which finds something. Otherwise null."
            ),
            "example": "chemotherapy",
        }
        described["required"] = [*described.get("required", []), "did_you_mean"]
        return described
