"""API views of status reports, current statuses, scores and regional figures.

Scope lives in the querysets (tracker.roles.reports_visible_to); writes go through
tracker.services; figures come from tracker.scoring through tracker.api.rows.
"""

import re
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from economies.models import Economy
from instruments.models import Commitment, Instrument, Theme
from softlaw import clock
from softlaw.api.base import APIViewSetMixin, FilterBackend, ReadOnlyViewSet
from softlaw.api.conditional import validators_for
from softlaw.api.errors import Conflict, messages_of
from softlaw.api.filters import RowOrdering, ordering_requested, sort_rows
from softlaw.api.pagination import ReportCursorPagination
from tracker import roles, services
from tracker.api import rows
from tracker.api.serializers import (
    RegionalSerializer,
    ReportSerializer,
    ReportWriteSerializer,
    ReturnSerializer,
    RoundDetailSerializer,
    RoundSerializer,
    ScoreSerializer,
    StatusSerializer,
    VersionSerializer,
)
from tracker.filtersets import CurrentStatusFilterSet, RegionFilterSet, StatusReportFilterSet
from tracker.models import ReportingRound, StatusReport

REPORT_TABLES = (StatusReport, Economy, Commitment, Instrument)
SCORE_TABLES = (StatusReport, Economy, Commitment, Instrument, Theme)


@contextmanager
def service_errors():
    """Translate what tracker.services refuses into API errors: 403 (not yours), 409 (stale
    version, or a transition the report's state does not allow) or 400 (invalid values)."""
    try:
        yield
    except services.ConflictError as exc:
        raise Conflict(" ".join(exc.messages)) from exc
    except services.WorkflowError as exc:
        raise Conflict(" ".join(exc.messages)) from exc
    except DjangoValidationError as exc:
        raise exceptions.ValidationError(messages_of(exc)) from exc
    except PermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc) or None) from exc


class StatusViewSet(APIViewSetMixin, viewsets.GenericViewSet):
    """The current status of each economy on each commitment: the published report with the
    latest effective date (on or before ?as_of=), ties going to the one published last."""

    queryset = StatusReport.objects.published()
    serializer_class = StatusSerializer
    filterset_class = CurrentStatusFilterSet
    ordering_fields = {
        "economy": "economy__code",
        "commitment": "commitment__code",
        "instrument": "commitment__instrument__slug",
        "status": "status",
        "effective_date": "effective_date",
        "target_date": "target_date",
        "updated_at": "updated_at",
    }
    ordering = ("economy__code", "commitment__code")
    conditional_models = REPORT_TABLES
    conditional_today = True  # overdue flags

    def list(self, request):
        queryset = self.filter_queryset(self.get_queryset())
        self.count_queryset = queryset.order_by()
        page = self.paginate_queryset(queryset.values_list(*rows.STATUS_PATHS.values()))
        as_of = self.filterset.form.cleaned_data.get("as_of")
        data = rows.status_rows(page, as_of=as_of, today=clock.today())
        return self.get_paginated_response(data)


class ComputedRowsViewSet(APIViewSetMixin, viewsets.GenericViewSet):
    """Rows computed by tracker.scoring over the economies and instruments the filters pick."""

    queryset = Economy.objects.order_by("name")
    filterset_class = RegionFilterSet
    # Ordering applies to the computed rows (sort_rows), not to the economies queryset.
    filter_backends = [FilterBackend, RowOrdering]
    conditional_models = SCORE_TABLES

    def build_rows(self, *, economies, instruments, as_of, updated_since):
        raise NotImplementedError

    def page_rows(self, *, economies, instruments, as_of):
        """The rows in their own order, as a sequence that computes only the slice a page
        asks for; None where every row must be computed (the default)."""
        return None

    def list(self, request):
        requested_order = ordering_requested(request, self)
        economies = rows.economy_keys(self.filter_queryset(self.get_queryset()))
        data = self.filterset.form.cleaned_data
        asked = {
            "economies": economies,
            "instruments": list(self.filterset.instruments()),
            "as_of": data.get("as_of"),
        }
        computed = None
        if requested_order is None and data.get("updated_since") is None:
            computed = self.page_rows(**asked)
        if computed is None:
            computed = sort_rows(
                self.build_rows(**asked, updated_since=data.get("updated_since")),
                requested_order,
                self,
            )
        page = self.paginate_queryset(computed)
        return self.get_paginated_response(page)


class ScoreViewSet(ComputedRowsViewSet):
    """Score and coverage of each economy on each instrument that has economy-scope
    commitments (as of ?as_of=), in economy name order then instrument adoption order."""

    serializer_class = ScoreSerializer
    ordering_fields = {
        "economy": "economy",
        "instrument": "instrument",
        "score": "score",
        "coverage": "coverage",
    }

    def build_rows(self, **kwargs):
        return rows.score_rows(**kwargs)

    def page_rows(self, **kwargs):
        return rows.ScorePages(**kwargs)


class RegionalViewSet(ComputedRowsViewSet):
    """How each instrument's scores spread over the economies asked for (all by default):
    mean, median, min, max, population standard deviation and Gini coefficient."""

    serializer_class = RegionalSerializer
    ordering_fields = {
        "instrument": "instrument",
        "mean": "mean",
        "stdev": "stdev",
        "gini": "gini",
        "economies_with_data": "economies_with_data",
    }

    def build_rows(self, **kwargs):
        return rows.regional_rows(**kwargs)


_VERSION_IN_ETAG = re.compile(r'^(?:W/)?"?report-(\d+)-v(\d+)(?:-[0-9a-f]+)?"?$')


class ReportViewSet(
    APIViewSetMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Status reports: the full published history for everyone (a change feed with
    ?updated_since= and cursor pages); an officer also sees and writes their economies' drafts,
    a reviewer publishes or returns submitted ones."""

    serializer_class = ReportSerializer
    filterset_class = StatusReportFilterSet
    pagination_class = ReportCursorPagination
    permission_classes = [IsAuthenticatedOrReadOnly]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    ordering_fields = {
        "updated_at": "updated_at",
        "effective_date": "effective_date",
        "created_at": "created_at",
        "id": "id",
    }
    ordering = ("updated_at", "id")
    conditional_models = REPORT_TABLES

    def get_queryset(self):
        # Scope first: anonymous clients see published reports only, an officer also their
        # economies' reports, a reviewer also the submitted ones.
        return roles.reports_visible_to(self.request.user)

    def get_object(self):
        # Read once per request: the ETag (in initial()) and the action both need it.
        if getattr(self, "_report", None) is None:
            self._report = super().get_object()
        return self._report

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return ReportWriteSerializer
        if self.action == "return_":
            return ReturnSerializer
        if self.action in ("submit", "publish"):
            return VersionSerializer
        return ReportSerializer

    def get_validators(self, request):
        etag, last_modified = validators_for(request=request, models=list(self.conditional_models))
        if self.action == "retrieve":
            report = self.get_object()
            return f'W/"report-{report.pk}-v{report.version}-{etag[3:11]}"', last_modified
        return etag, last_modified

    def list(self, request):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(rows.report_values(queryset))
        return self.get_paginated_response(rows.report_rows(page))

    def retrieve(self, request, pk=None):
        return Response(rows.report_row(self.get_object().pk))

    def _written(self, report, code=status.HTTP_200_OK):
        headers = {"ETag": f'W/"report-{report.pk}-v{report.version}"'}
        return Response(rows.report_row(report.pk), status=code, headers=headers)

    def _expected_version(self, request, serializer, *, required):
        version = serializer.validated_data.get("version")
        header = request.headers.get("If-Match", "").strip()
        if version is None and header:
            match = _VERSION_IN_ETAG.match(header) or re.fullmatch(r'"?(\d+)"?', header)
            if match is None:
                raise exceptions.ValidationError(
                    {"If-Match": ["Send the report's ETag, as the API gave it, or its version."]}
                )
            version = int(match.groups()[-1])
        if version is None and required:
            raise exceptions.ValidationError(
                {
                    "version": [
                        "Send the version you read (the report's version field, or its ETag in "
                        "If-Match) so that no one else's change is overwritten."
                    ]
                }
            )
        return version

    @extend_schema(request=ReportWriteSerializer, responses={201: ReportSerializer})
    def create(self, request):
        serializer = ReportWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            report = services.report_create(user=request.user, **serializer.to_service_arguments())
        return self._written(report, status.HTTP_201_CREATED)

    @extend_schema(request=ReportWriteSerializer, responses={200: ReportSerializer})
    def partial_update(self, request, pk=None):
        report = self.get_object()
        serializer = ReportWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        version = self._expected_version(request, serializer, required=True)
        with service_errors():
            services.report_update(
                report=report,
                user=request.user,
                expected_version=version,
                **serializer.to_service_arguments(),
            )
        return self._written(report)

    def destroy(self, request, pk=None):
        report = self.get_object()
        with service_errors():
            services.report_delete(report=report, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _transition(self, request, apply):
        report = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = self._expected_version(request, serializer, required=False)
        with service_errors():
            apply(report, version, serializer.validated_data)
        return self._written(report)

    @extend_schema(responses={200: ReportSerializer})
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def submit(self, request, pk=None):
        """An officer sends a draft (or a returned report) of their economy for review."""
        return self._transition(
            request,
            lambda report, version, _: services.report_submit(
                report=report, user=request.user, expected_version=version
            ),
        )

    @extend_schema(responses={200: ReportSerializer})
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def publish(self, request, pk=None):
        """A reviewer publishes a submitted report."""
        return self._transition(
            request,
            lambda report, version, _: services.report_publish(
                report=report, reviewer=request.user, expected_version=version
            ),
        )

    @extend_schema(responses={200: ReportSerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path="return",
        url_name="return",
        permission_classes=[IsAuthenticated],
    )
    def return_(self, request, pk=None):
        """A reviewer returns a submitted report to its officers, with a note saying why."""
        return self._transition(
            request,
            lambda report, version, data: services.report_return(
                report=report, reviewer=request.user, note=data["note"], expected_version=version
            ),
        )


class RoundViewSet(ReadOnlyViewSet):
    """Reporting rounds, looked up by slug; a round's own address adds how every economy
    answered it (tracker.rounds: on time, late, missing, median days to publication)."""

    # prefetch: every row names its instruments and its commitments.
    queryset = ReportingRound.objects.prefetch_related("instruments", "commitments")
    serializer_class = RoundSerializer
    lookup_field = "slug"
    ordering_fields = {"opens_on": "opens_on", "deadline": "deadline", "slug": "slug"}
    ordering = ("-opens_on", "slug")
    conditional_models = (ReportingRound, Instrument, Commitment)
    conditional_today = True  # the state (upcoming, open, closed) changes with the date

    def get_serializer_class(self):
        return RoundDetailSerializer if self.action == "retrieve" else RoundSerializer

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        if request.accepted_renderer.format == "csv":
            # As CSV, a round is its table of answers: one line per economy.
            response.data = response.data["economies"]
        return response

    def get_validators(self, request):
        if self.action == "retrieve":
            # The answers read the reports and the economies too.
            self.conditional_models = (*REPORT_TABLES, ReportingRound)
        return super().get_validators(request)
