"""Serializers of the status-report API.

Read side: rows are built by tracker.api.rows straight from values() and tracker.scoring (a
ModelSerializer costs about 80 µs an object, too much for 1,000-row pages), and the serializers
below only declare their fields, for the OpenAPI schema and the CSV header. Write side: what an
officer sends, read into values; the report's rules (tracker.validation) are applied by the model
when tracker.services writes it.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from economies.models import Economy
from instruments.models import Commitment
from tracker import rounds
from tracker.models import Origin, ReportingRound, ReviewState, Status


class RowSerializer(serializers.Serializer):
    """Rows already shaped by tracker.api.rows: passed through unchanged."""

    def to_representation(self, instance):
        return instance


class StatusSerializer(RowSerializer):
    economy = serializers.CharField(help_text="ISO alpha-3 code of the economy.")
    commitment = serializers.CharField(help_text="Code of the commitment.")
    instrument = serializers.CharField(help_text="Slug of the commitment's instrument.")
    status = serializers.ChoiceField(choices=Status.choices)
    effective_date = serializers.DateField(help_text="The date from which the status holds.")
    target_date = serializers.DateField(
        allow_null=True, help_text="When the economy commits to reach full implementation."
    )
    overdue = serializers.BooleanField(
        help_text="The target date has passed (as of the as_of date, or today) and the status "
        "is still short of fully implemented."
    )
    origin = serializers.ChoiceField(choices=Origin.choices)
    assessor = serializers.CharField(
        help_text="Who made an independent assessment (blank for other origins)."
    )
    assessed_on = serializers.DateField(
        allow_null=True, help_text="The snapshot date of an independent assessment."
    )
    evidence = serializers.CharField()
    source_urls = serializers.ListField(child=serializers.CharField())
    report = serializers.IntegerField(help_text="Id of the published report that says so.")
    published_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()
    as_of = serializers.DateField(
        allow_null=True, help_text="The as_of date asked for; null: every published report."
    )


class ReportSerializer(RowSerializer):
    id = serializers.IntegerField()
    economy = serializers.CharField(help_text="ISO alpha-3 code of the economy.")
    commitment = serializers.CharField(help_text="Code of the commitment.")
    instrument = serializers.CharField(help_text="Slug of the commitment's instrument.")
    status = serializers.ChoiceField(choices=Status.choices)
    effective_date = serializers.DateField()
    target_date = serializers.DateField(allow_null=True)
    evidence = serializers.CharField()
    source_urls = serializers.ListField(child=serializers.CharField())
    origin = serializers.ChoiceField(choices=Origin.choices)
    assessor = serializers.CharField(
        help_text="Who made an independent assessment (blank for other origins)."
    )
    assessed_on = serializers.DateField(
        allow_null=True, help_text="The snapshot date of an independent assessment."
    )
    review_state = serializers.ChoiceField(choices=ReviewState.choices)
    review_note = serializers.CharField(help_text="The reviewer's note when returned.")
    is_illustrative = serializers.BooleanField()
    entered_by_role = serializers.CharField(
        help_text="Who entered the report, by role and never by name: “economy officer, "
        "<economy name>” for an officer of its economy, or “secretariat”."
    )
    reviewed_by_role = serializers.CharField(
        allow_null=True,
        help_text="“secretariat” once a reviewer has published or returned it; null before.",
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField(
        help_text="Raised on every save; send it back (or the ETag in If-Match) when you edit."
    )


class ScoreSerializer(RowSerializer):
    economy = serializers.CharField(help_text="ISO alpha-3 code of the economy.")
    instrument = serializers.CharField(help_text="Slug of the instrument.")
    score = serializers.FloatField(
        allow_null=True,
        min_value=0,
        max_value=100,
        help_text="100 × Σ weight·points / Σ weight·3 over the commitments with a scored "
        "status; null when none has one (no data, never 0).",
    )
    coverage = serializers.FloatField(
        allow_null=True,
        min_value=0,
        max_value=1,
        help_text="Share of the instrument's economy-scope commitments with any published "
        "status (not applicable included).",
    )
    commitments = serializers.IntegerField(help_text="Economy-scope commitments.")
    covered = serializers.IntegerField(help_text="Of those, with any published status.")
    scored = serializers.IntegerField(help_text="Of those, with a scored status.")
    as_of = serializers.DateField(allow_null=True)


class RegionalSerializer(RowSerializer):
    instrument = serializers.CharField(help_text="Slug of the instrument.")
    economies_with_data = serializers.IntegerField()
    mean = serializers.FloatField(allow_null=True)
    median = serializers.FloatField(allow_null=True)
    min = serializers.FloatField(allow_null=True)
    max = serializers.FloatField(allow_null=True)
    stdev = serializers.FloatField(
        allow_null=True, help_text="Population standard deviation, in score points."
    )
    gini = serializers.FloatField(
        allow_null=True, help_text="Gini coefficient: 0 even, towards 1 concentrated."
    )
    as_of = serializers.DateField(allow_null=True)


class NaturalKeyField(serializers.SlugRelatedField):
    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)


class ReportWriteSerializer(serializers.Serializer):
    """What an officer sends to create or edit a draft."""

    economy = NaturalKeyField(slug_field="code", queryset=Economy.objects.all())
    commitment = NaturalKeyField(slug_field="code", queryset=Commitment.objects.all())
    status = serializers.ChoiceField(choices=Status.choices)
    effective_date = serializers.DateField()
    target_date = serializers.DateField(required=False, allow_null=True)
    evidence = serializers.CharField()
    # Checked as the model checks them (tracker.validation): http or https, one per item.
    source_urls = serializers.ListField(
        child=serializers.CharField(max_length=500), required=False, max_length=50
    )
    origin = serializers.ChoiceField(choices=Origin.choices, required=False)
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        write_only=True,
        help_text="On PATCH: the version you read (or send its ETag in If-Match).",
    )

    def to_service_arguments(self) -> dict:
        values = dict(self.validated_data)
        values.pop("version", None)
        if "source_urls" in values:
            values["source_urls"] = "\n".join(values["source_urls"])
        return values


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The version you read (or send its ETag in If-Match); a stale one is a 409.",
    )


class ReturnSerializer(VersionSerializer):
    note = serializers.CharField(help_text="Why the report is returned: required.")


# --- reporting rounds -------------------------------------------------------------------------


class RoundSerializer(serializers.ModelSerializer):
    """A reporting round: what it asks and when (who answered: the round's own address)."""

    state = serializers.SerializerMethodField(help_text='"upcoming", "open" or "closed" today.')
    instruments = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True, help_text="Instruments asked, by slug."
    )
    commitments = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        read_only=True,
        help_text="Commitments asked one by one, beside those of the instruments, by code.",
    )
    page = serializers.SerializerMethodField(help_text="The round's public page.")

    class Meta:
        model = ReportingRound
        fields = [
            "slug",
            "name",
            "description",
            "opens_on",
            "deadline",
            "grace_until",
            "state",
            "instruments",
            "commitments",
            "page",
        ]
        read_only_fields = fields

    def get_state(self, round) -> str:
        return rounds.round_state(round)

    def get_page(self, round) -> str:
        return self.context["request"].build_absolute_uri(round.get_absolute_url())


class RoundEconomySerializer(serializers.Serializer):
    """How one economy answered a round (tracker.rounds.EconomyProgress)."""

    economy = serializers.CharField(source="economy.code", help_text="ISO alpha-3 code.")
    economy_name = serializers.CharField(source="economy.name")
    answer = serializers.ChoiceField(
        source="overall",
        choices=list(rounds.OVERALL_LABELS),
        help_text="all_on_time, all_some_late, partly or not_at_all.",
    )
    asked = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    missing = serializers.IntegerField()
    median_review_days = serializers.FloatField(
        allow_null=True,
        help_text="Median days from submission to publication of its answers; null without any.",
    )


class RoundDetailSerializer(RoundSerializer):
    """A round with every economy's answer (the same figures as its public page)."""

    economies = serializers.SerializerMethodField()

    class Meta(RoundSerializer.Meta):
        fields = [*RoundSerializer.Meta.fields, "economies"]
        read_only_fields = fields

    @extend_schema_field(RoundEconomySerializer(many=True))
    def get_economies(self, round) -> list[dict]:
        progress = rounds.round_progress(round=round)
        return RoundEconomySerializer(progress.economies, many=True).data
