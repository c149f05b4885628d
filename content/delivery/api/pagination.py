from django.core.paginator import InvalidPage
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.pagination import PageNumberPagination

from content.delivery.api.errors import ApiError


class ArticlePagination(PageNumberPagination):
    """Page-number pagination whose bad pages get a clear, documented error.

    A page that is not a positive whole number is the client's mistake (400
    `invalid_page`); a page past the end is 404 `page_out_of_range`, naming
    the last page.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ApiError(
                "invalid_page_size",
                _("'page_size' must be a whole number from 1 to %(max)d.") % {"max": self.max_page_size},
                details={"page_size": raw[:50]},
            )
        return int(raw)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        raw = request.query_params.get(self.page_query_param, "1")
        if not raw.isdigit() or int(raw) < 1:
            raise ApiError(
                "invalid_page", _("'page' must be a whole number of 1 or more."), details={"page": raw[:50]}
            )
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        try:
            self.page = paginator.page(int(raw))
        except InvalidPage as exc:
            raise ApiError(
                "page_out_of_range",
                _("There is no page %(page)s; the last page is %(last)d.") % {"page": raw, "last": paginator.num_pages},
                status_code=status.HTTP_404_NOT_FOUND,
                details={"page": int(raw), "last_page": paginator.num_pages},
            ) from exc
        return list(self.page)
