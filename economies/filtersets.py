"""Filters of economies, on pages and in the API: the economies list's filter set, and the
sub-region and list-of-economies filters every question about economies shares."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError

from economies.models import Economy
from economies.selectors import subregions
from softlaw.filters import (
    CommaSeparated,
    OptionsFilter,
    UpdatedSinceFilter,
    described,
    keep_parameter,
)


class SubregionField(forms.CharField):
    """A sub-region some economy belongs to, in any case; cleaned to its own spelling. One
    that names no sub-region is an error, as a code that names no economy is."""

    options = staticmethod(list)  # set by SubregionFilter

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        options = self.options()
        if value in options:
            return value
        spelled = {option.casefold(): option for option in options}.get(value.casefold())
        if spelled is None:
            raise ValidationError(
                f"subregion must be one of {', '.join(options)}; not {value[:60]!r}.",
                code="invalid_choice",
            )
        return spelled


class SubregionFilter(OptionsFilter, django_filters.CharFilter):
    """?subregion=: the UN M49 sub-region of the economies (options: those some economy has)."""

    field_class = SubregionField

    def read_options(self) -> list[str]:
        return subregions()


class EconomyCodesField(forms.Field):
    """ISO alpha-3 codes of economies, any case, in the order asked and once each; cleaned to
    the economies. Options: every economy."""

    widget = CommaSeparated
    options = staticmethod(list)  # set by EconomyCodesFilter

    def clean(self, value):
        codes = list(dict.fromkeys(code.upper() for code in value or []))
        if not codes:
            return []
        by_code = {economy.code: economy for economy in self.options()}
        unknown = [code for code in codes if code not in by_code]
        if unknown:
            raise ValidationError(
                "economies must be ISO alpha-3 codes of APEC economies, separated by commas "
                f"(such as JPN,SGP,PNG); unknown: {', '.join(u[:10] for u in unknown[:5])}.",
                code="invalid_choice",
            )
        return [by_code[code] for code in codes]


class EconomyCodesFilter(OptionsFilter):
    """Economies by ISO alpha-3 code, in the order asked (read by the view, not filtered on);
    options: every economy by name, which a page also offers to pick from."""

    field_class = EconomyCodesField

    def __init__(self, **kwargs):
        kwargs.setdefault("method", keep_parameter)
        super().__init__(**kwargs)

    def read_options(self) -> list[Economy]:
        return list(Economy.objects.order_by("name"))


class EconomyFilterSet(django_filters.FilterSet):
    """Filters economies on pages and in the API."""

    # A code that names no economy is an error (400 in the API), not an empty result: a typo
    # should not look like "no data".
    code = described(
        django_filters.ModelMultipleChoiceFilter(
            field_name="code",
            to_field_name="code",
            queryset=Economy.objects.all(),
            widget=CommaSeparated,
            distinct=False,
            label="ISO alpha-3 codes",
            help_text="ISO alpha-3 codes, comma-separated or repeated: JPN,SGP.",
        )
    )
    subregion = SubregionFilter(field_name="subregion", help_text="UN M49 sub-region, any case.")
    updated_since = UpdatedSinceFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Only records changed at or after this ISO 8601 date or date-time (UTC).",
    )

    class Meta:
        model = Economy
        fields = ["code", "subregion", "region", "year_joined", "updated_since"]
