from django.contrib import admin

from economies.models import Economy
from tracker import roles
from tracker.admin import TrackedAdmin, autocomplete_source


@admin.register(Economy)
class EconomyAdmin(TrackedAdmin):
    list_display = [
        "code",
        "name",
        "iso_alpha2",
        "year_joined",
        "subregion",
        "grid_row",
        "grid_col",
    ]
    list_filter = ["region", "subregion", "year_joined"]
    search_fields = ["code", "name", "iso_short_name", "iso_alpha2"]
    ordering = ["name"]
    filter_horizontal = ["officers"]

    def get_exclude(self, request, obj=None):
        # Naming an officer grants the right to write that economy's reports: it is managed by
        # those who manage users, not by editors, and officers do not see each other's names.
        if not request.user.has_perm("auth.change_user"):
            return ["officers"]
        return super().get_exclude(request, obj)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if autocomplete_source(request) == ("tracker", "statusreport", "economy"):
            # A report is entered for one of the officer's own economies only.
            queryset = queryset.filter(pk__in=roles.officer_economy_ids(request.user))
        return queryset, may_have_duplicates
