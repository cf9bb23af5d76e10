"""The fields of forums, themes, instruments and commitments in the API."""

from rest_framework import serializers

from instruments.models import Commitment, Forum, Instrument, Theme
from softlaw.api.serializers import OptionalURLField


class ForumSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="short_name", read_only=True, allow_null=True)
    source_url = OptionalURLField()

    class Meta:
        model = Forum
        fields = [
            "short_name",
            "name",
            "parent",
            "is_apec_body",
            "established_year",
            "mandate",
            "source_url",
            "updated_at",
        ]
        read_only_fields = fields


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["slug", "name", "description"]
        read_only_fields = fields


class InstrumentSerializer(serializers.ModelSerializer):
    forum = serializers.SlugRelatedField(
        slug_field="short_name",
        read_only=True,
        allow_null=True,
        help_text="Short name of the overseeing forum.",
    )
    themes = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    superseded_by = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    source_url = OptionalURLField()

    class Meta:
        model = Instrument
        fields = [
            "slug",
            "short_name",
            "title",
            "kind",
            "adopted_on",
            "adopted_precision",
            "adoption_note",
            "adopting_body",
            "forum",
            "themes",
            "summary",
            "source_url",
            "is_apec_instrument",
            "superseded_by",
            "updated_at",
        ]
        read_only_fields = fields


class CommitmentSerializer(serializers.ModelSerializer):
    instrument = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    prerequisites = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False)
    source_url = OptionalURLField()

    class Meta:
        model = Commitment
        fields = [
            "code",
            "instrument",
            "title",
            "description",
            "order",
            "weight",
            "scope",
            "prerequisites",
            "source_url",
            "source_note",
            "updated_at",
        ]
        read_only_fields = fields
