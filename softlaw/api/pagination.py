"""Pages: numbered for most lists, cursor-based for the report history (the change feed).

A page past the end is a 404 with a message that says where the end is; a page number, page
size or cursor that is not one is a 400 naming the parameter.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import EmptyPage
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError

MAX_PAGE_SIZE = 1000


def _link_header(response, next_url, previous_url):
    """RFC 8288 links, so that a CSV client can follow the pages too."""
    pairs = (("next", next_url), ("prev", previous_url))
    links = [f'<{url}>; rel="{rel}"' for rel, url in pairs if url]
    if links:
        response["Link"] = ", ".join(links)
    return response


class PageSizeMixin:
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        f"A whole number from 1 to {self.max_page_size}, not {raw[:20]!r}."
                    ]
                }
            )
        return size

    def _page_size_parameter(self):
        return {
            "name": self.page_size_query_param,
            "required": False,
            "in": "query",
            "description": f"Rows per page (default {self.page_size}, at most "
            f"{self.max_page_size}).",
            "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
        }


class PageNumberPagination(PageSizeMixin, pagination.PageNumberPagination):
    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param) or "1"
        if raw in self.last_page_strings:
            return paginator.num_pages
        try:
            number = int(raw)
        except ValueError:
            number = 0
        if number < 1:
            raise ValidationError(
                {self.page_query_param: [f"A page number from 1 up, not {raw[:20]!r}."]}
            )
        return number

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        # A view that pages values_list() rows can give the plain queryset to count: its COUNT
        # then needs none of the joins that the rows' codes do.
        count_queryset = getattr(view, "count_queryset", None)
        if count_queryset is not None:
            paginator.count = count_queryset.count()
        number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(number)
        except EmptyPage:
            raise NotFound(
                f"Page {number} is past the end: there "
                + ("is 1 page" if paginator.num_pages == 1 else f"are {paginator.num_pages} pages")
                + f" of {paginator.per_page} rows."
            ) from None
        return list(self.page)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        return _link_header(response, self.get_next_link(), self.get_previous_link())

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Page number, from 1.",
                "schema": {"type": "integer", "minimum": 1},
            },
            self._page_size_parameter(),
        ]


class ReportCursorPagination(PageSizeMixin, pagination.CursorPagination):
    """Stable pages over a history that grows while it is read: follow `next` to the end,
    remember the latest updated_at seen, and ask for ?updated_since= it next time."""

    ordering = ("updated_at", "id")
    invalid_cursor_message = "This cursor is not one that the API gave out: follow next links."

    def _bad_cursor(self):
        return ValidationError({self.cursor_query_param: [self.invalid_cursor_message]})

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise ValidationError(
                {self.cursor_query_param: [self.invalid_cursor_message]}
            ) from None

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except (DjangoValidationError, ValueError, TypeError, OverflowError):
            # A tampered cursor whose position is not a value of the ordering field.
            raise ValidationError(
                {self.cursor_query_param: [self.invalid_cursor_message]}
            ) from None

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        return _link_header(response, self.get_next_link(), self.get_previous_link())

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Where the page starts: copy it from a `next` or `previous` link.",
                "schema": {"type": "string"},
            },
            self._page_size_parameter(),
        ]
