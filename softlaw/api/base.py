"""What every API viewset shares: JSON and CSV, filters and ordering that fail loudly, numbered
pages, conditional GET (ETag / Last-Modified → 304) and errors as JSON even when CSV was asked."""

from calendar import timegm

from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django_filters import rest_framework as django_filters
from django_filters import utils as django_filters_utils
from rest_framework import exceptions, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer

from softlaw.api.conditional import validators_for
from softlaw.api.errors import NotModified
from softlaw.api.filters import OrderingFilter
from softlaw.api.pagination import PageNumberPagination
from softlaw.api.renderers import CSVRenderer


class PreconditionFailed(exceptions.APIException):
    status_code = 412
    default_detail = "The resource no longer matches the If-Match or If-Unmodified-Since header."


class FilterBackend(django_filters.DjangoFilterBackend):
    """django-filter's backend, keeping the validated filterset on the view so that the view can
    read parameters that are not plain filters (as_of, updated_since on computed rows)."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise django_filters_utils.translate_validation(filterset.errors)
        view.filterset = filterset
        return filterset.qs


class APIViewSetMixin:
    renderer_classes = [JSONRenderer, CSVRenderer]
    parser_classes = [JSONParser]
    filter_backends = [FilterBackend, OrderingFilter]
    pagination_class = PageNumberPagination
    # Any key but a slash: a code with a dot must reach the view and get its JSON 404.
    lookup_value_regex = "[^/]+"
    # Tables whose rows the response shows: a change in any of them changes the ETag.
    conditional_models: tuple = ()
    # The response depends on today's date (overdue flags), so it changes at midnight.
    conditional_today = False

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        for name, values in request.query_params.lists():
            if any("\x00" in value for value in values) or "\x00" in name:
                raise exceptions.ValidationError({name: ["Null characters are not allowed."]})
        self.etag = self.last_modified = None
        if request.method in ("GET", "HEAD") and self.conditional_models:
            self.etag, self.last_modified = self.get_validators(request)
            timestamp = timegm(self.last_modified.utctimetuple()) if self.last_modified else None
            answer = get_conditional_response(request, etag=self.etag, last_modified=timestamp)
            if answer is not None and answer.status_code == 304:
                raise NotModified()
            if answer is not None:
                raise PreconditionFailed()

    def get_validators(self, request):
        return validators_for(
            request=request,
            models=list(self.conditional_models),
            today_matters=self.conditional_today,
        )

    def finalize_response(self, request, response, *args, **kwargs):
        if getattr(response, "exception", False) and response.status_code != 304:
            # An error is JSON whatever format was asked for: a CSV of one error is no use.
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code in (200, 304) and getattr(self, "etag", None):
            response["ETag"] = self.etag
            if self.last_modified:
                response["Last-Modified"] = http_date(timegm(self.last_modified.utctimetuple()))
        if request.method in ("GET", "HEAD"):
            patch_vary_headers(response, ["Accept", "Authorization", "Cookie"])
            # Clients may keep a copy but must ask (cheaply, with the ETag) before using it.
            patch_cache_control(
                response,
                no_cache=True,
                **({"private": True} if request.user.is_authenticated else {"public": True}),
            )
        if response.status_code == 200 and getattr(request, "accepted_media_type", "") == (
            CSVRenderer.media_type
        ):
            name = "-".join(part for part in request.path.split("/")[3:] if part) or "data"
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response


class ReadOnlyViewSet(APIViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Declarative: queryset, serializer_class, filterset_class, lookup_field, ordering."""
