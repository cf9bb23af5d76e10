"""The current statuses and year-end sums in the admin: read-only, kept in step with the
published reports."""

from django.contrib import admin

from tracker.models import CurrentStatus, DataVersion, ScopeVersion, YearEndScore


class DerivedAdmin(admin.ModelAdmin):
    """Read-only: a table derived from the published reports, never edited by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CurrentStatus)
class CurrentStatusAdmin(DerivedAdmin):
    """Read-only: derived from the published reports on every save, never edited by hand."""

    list_display = ["economy", "commitment", "status", "effective_date", "target_date", "report"]
    list_filter = ["status", "instrument"]
    # The report's name shows its economy and commitment: read with it, not once a row.
    list_select_related = ["economy", "commitment", "report__economy", "report__commitment"]
    search_fields = ["economy__code", "commitment__code"]


@admin.register(YearEndScore)
class YearEndScoreAdmin(DerivedAdmin):
    """Read-only: the year-end sums behind the figures over time, derived from the published
    reports on every save, never edited by hand. Sums are in hundredths of a weight."""

    list_display = ["economy", "instrument", "year", "covered", "scored", "reports"]
    list_filter = ["year", "instrument"]
    list_select_related = ["economy", "instrument"]
    search_fields = ["economy__code", "instrument__slug"]


@admin.register(DataVersion)
class DataVersionAdmin(DerivedAdmin):
    """Read-only: the number the page cache names the data's state by, raised after every
    change to what the public pages show."""

    list_display = ["version"]


@admin.register(ScopeVersion)
class ScopeVersionAdmin(DerivedAdmin):
    """Read-only: the number of one part of the public pages (an instrument's page), raised
    after every change it shows besides the catalogue."""

    list_display = ["scope", "version"]
    search_fields = ["scope"]
