"""The fields of an economy in the API."""

from rest_framework import serializers

from economies.models import Economy
from softlaw.api.serializers import OptionalURLField


class EconomySerializer(serializers.ModelSerializer):
    source_url = OptionalURLField()

    class Meta:
        model = Economy
        fields = [
            "code",
            "iso_alpha2",
            "name",
            "iso_short_name",
            "year_joined",
            "region",
            "subregion",
            "grid_row",
            "grid_col",
            "source_url",
            "updated_at",
        ]
        read_only_fields = fields
