"""Serializer fields every API of the site shares: an optional source link, and the one shape
of an error (softlaw.api.errors) that the OpenAPI schema declares for every 4xx."""

from rest_framework import serializers


class OptionalURLField(serializers.URLField):
    """A source link that may be missing: null in the API, never "" (which is not a URL)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value or None


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in one sentence.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="On 400: each bad parameter or field, with what is wrong with it.",
    )
