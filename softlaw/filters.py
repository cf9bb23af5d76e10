"""Building blocks of every filter set, page and API alike: comma-separated values, natural keys
that fail on a name that names nothing, date-times turned into UTC, and the as_of rule.

A code, slug or short name that names nothing is an error (400 in the API), never an empty
result, so that a typo does not look like "no data".
"""

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django_filters.fields import IsoDateTimeField
from django_filters.widgets import QueryArrayWidget
from drf_spectacular.utils import extend_schema_field

from softlaw import clock

UPDATED_SINCE_HELP = "Only records changed at or after this ISO 8601 date or date-time (UTC)."
AS_OF_HELP = (
    "The state on this date (YYYY-MM-DD, today at the latest): only reports effective on or "
    "before it count. Without it, every published report counts."
)


class CommaSeparated(QueryArrayWidget):
    """Several values, comma-separated (?economy=JPN,SGP), repeated (?economy=JPN&economy=SGP)
    or both."""

    def value_from_datadict(self, data, files, name):
        raw = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        values = (part.strip() for item in raw if isinstance(item, str) for part in item.split(","))
        return list(dict.fromkeys(value for value in values if value))


class UTCDateTimeField(IsoDateTimeField):
    """An ISO 8601 date or date-time, turned into UTC (PostgreSQL refuses some offsets that
    Python accepts, such as -19:10)."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(datetime.UTC)
        except OverflowError:
            raise ValidationError("Enter a date-time between the years 1 and 9999.") from None


class UpdatedSinceFilter(django_filters.IsoDateTimeFilter):
    field_class = UTCDateTimeField


def described(filter_):
    """Document a filter on a natural key as a string with its help text (the OpenAPI schema
    cannot guess the type of a lookup by code or slug)."""
    schema = {"type": "string", "description": str(filter_.extra.get("help_text", ""))}
    return extend_schema_field(schema)(filter_)


def natural_keys(*, field_name, queryset, key, help_text):
    """Several natural keys, comma-separated or repeated (?economy=JPN,SGP); unknown ones fail."""
    return described(
        django_filters.ModelMultipleChoiceFilter(
            field_name=field_name,
            to_field_name=key,
            queryset=queryset,
            widget=CommaSeparated,
            distinct=False,
            help_text=help_text,
        )
    )


def natural_key(*, field_name, queryset, key, help_text):
    return described(
        django_filters.ModelChoiceFilter(
            field_name=field_name,
            to_field_name=key,
            queryset=queryset,
            help_text=help_text,
        )
    )


def keep_parameter(queryset, name, value):
    """For a parameter that the filterset or the view reads instead of filtering with it."""
    return queryset


def as_of_from(raw: str) -> datetime.date | None:
    """The as_of rule of every page, download and API endpoint: a date written YYYY-MM-DD (the
    form of the permanent links), today at the latest; blank is no date. A bad value raises
    ValidationError with a message that says what is wrong."""
    raw = raw.strip()
    if not raw:
        return None
    try:
        value = datetime.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(
            f"as_of must be a date written YYYY-MM-DD, such as 2020-12-31, not {raw[:20]!r}.",
            code="invalid",
        ) from None
    if len(raw) != 10:  # fromisoformat also takes 20201231; the permanent link says 2020-12-31
        raise ValidationError(
            f"as_of must be a date written YYYY-MM-DD, not {raw[:20]!r}.", code="invalid"
        )
    if value > clock.today():
        raise ValidationError(
            f"as_of {raw} is after today: the tracker shows what was published, not the future.",
            code="future",
        )
    return value


class AsOfField(forms.DateField):
    """A date by as_of_from()'s rule, not by Django's many input formats."""

    def to_python(self, value):
        if isinstance(value, datetime.date):
            value = value.isoformat()
        return as_of_from(value or "")


class AsOfFilter(django_filters.DateFilter):
    """?as_of=, read by the filterset or the view (it selects a state, not rows), checked by
    as_of_from() as on the pages."""

    field_class = AsOfField

    def __init__(self, **kwargs):
        kwargs.setdefault("method", keep_parameter)
        kwargs.setdefault("help_text", AS_OF_HELP)
        super().__init__(**kwargs)


class OptionsFilter(django_filters.Filter):
    """A filter whose valid values are read from the database once per filter set: the field
    checks a value against options(), and a page shows the same list as its choices (one query
    for both). Subclasses say how to read them (read_options) and give a field_class whose clean
    calls its `options`."""

    def read_options(self) -> list:
        raise NotImplementedError

    def options(self) -> list:
        # Per filter set: django-filter copies the declared filters into each instance.
        if getattr(self, "_options", None) is None:
            self._options = self.read_options()
        return self._options

    @property
    def field(self):
        field = super().field
        field.options = self.options  # this filter set's list, however the field was copied
        return field
