"""/api/v1/forums/, /themes/, /instruments/ and /commitments/: read-only lists and records."""

from django.db.models import F

from instruments.api.serializers import (
    CommitmentSerializer,
    ForumSerializer,
    InstrumentSerializer,
    ThemeSerializer,
)
from instruments.filtersets import (
    CommitmentFilterSet,
    ForumFilterSet,
    InstrumentFilterSet,
    ThemeFilterSet,
)
from instruments.models import ADOPTION_ORDER, Commitment, Forum, Instrument, Theme
from softlaw.api.base import ReadOnlyViewSet


class ForumViewSet(ReadOnlyViewSet):
    """APEC bodies that adopt or oversee instruments, looked up by short name."""

    queryset = Forum.objects.select_related("parent")
    serializer_class = ForumSerializer
    filterset_class = ForumFilterSet
    lookup_field = "short_name"
    ordering_fields = {"short_name": "short_name", "name": "name", "updated_at": "updated_at"}
    ordering = ("short_name",)
    conditional_models = (Forum,)


class ThemeViewSet(ReadOnlyViewSet):
    """Cross-cutting topics that group instruments, looked up by slug."""

    queryset = Theme.objects.all()
    serializer_class = ThemeSerializer
    filterset_class = ThemeFilterSet
    lookup_field = "slug"
    ordering_fields = {"slug": "slug", "name": "name"}
    ordering = ("name", "slug")
    conditional_models = (Theme,)


class InstrumentViewSet(ReadOnlyViewSet):
    """Soft-law instruments, looked up by slug."""

    # select_related/prefetch: every row shows its forum's short name and its themes' slugs.
    queryset = Instrument.objects.select_related("forum", "superseded_by").prefetch_related(
        "themes"
    )
    serializer_class = InstrumentSerializer
    filterset_class = InstrumentFilterSet
    lookup_field = "slug"
    ordering_fields = {
        "slug": "slug",
        "short_name": "short_name",
        "adopted_on": "adopted_on",
        "updated_at": "updated_at",
    }
    ordering = ADOPTION_ORDER
    conditional_models = (Instrument, Forum, Theme)


class CommitmentViewSet(ReadOnlyViewSet):
    """Measurable parts of instruments, looked up by code."""

    queryset = Commitment.objects.select_related("instrument").prefetch_related("prerequisites")
    serializer_class = CommitmentSerializer
    filterset_class = CommitmentFilterSet
    lookup_field = "code"
    ordering_fields = {
        "code": "code",
        "instrument": "instrument__slug",
        "order": "order",
        "updated_at": "updated_at",
    }
    ordering = (
        F("instrument__adopted_on").asc(nulls_last=True),
        "instrument__short_name",
        "order",
        "code",
    )
    conditional_models = (Commitment, Instrument)
