"""/api/v1/economies/: the list and one economy, filtered by code, sub-region or change date."""

from economies.api.serializers import EconomySerializer
from economies.filtersets import EconomyFilterSet
from economies.models import Economy
from softlaw.api.base import ReadOnlyViewSet


class EconomyViewSet(ReadOnlyViewSet):
    """The 21 APEC member economies, looked up by ISO alpha-3 code."""

    queryset = Economy.objects.all()
    serializer_class = EconomySerializer
    filterset_class = EconomyFilterSet
    lookup_field = "code"
    ordering_fields = {
        "code": "code",
        "name": "name",
        "year_joined": "year_joined",
        "subregion": "subregion",
        "updated_at": "updated_at",
    }
    ordering = ("name", "code")
    conditional_models = (Economy,)
