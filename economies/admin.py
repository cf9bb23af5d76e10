"""The admin of economies: who may edit an economy's record and name its officers."""

from django.contrib import admin

from economies.models import Economy
from softlaw.admin import TrackedAdmin, autocomplete_source
from tracker import roles

# Who is an officer of an economy is seen only by those who name officers
# (roles.can_manage_officers): on the form, in its history and in each old version.
OFFICER_FIELDS = ["officers"]


def records_changing_nothing_visible(records) -> list[int]:
    """Ids of the history records that change none of the fields left once the officers are
    out: an assignment, or a save that changed nothing (such as the save of the form that
    carried an assignment). Read in one query, oldest first."""
    fields = [field.attname for field in records.model.tracked_fields]
    hidden, previous = [], None
    rows = records.order_by("history_date", "history_id").values_list(
        "history_id", "history_type", *fields
    )
    for history_id, history_type, *values in rows:
        if history_type == "~" and values == previous:
            hidden.append(history_id)
        previous = values
    return hidden


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
        # Also the history's old versions: they are shown through this form.
        if not roles.can_manage_officers(request.user):
            return OFFICER_FIELDS
        return super().get_exclude(request, obj)

    def save_model(self, request, obj, form, change):
        # Naming officers changes nothing public: the economy is saved only when a field the
        # public sees changed, so its updated_at, and the public API's ETags, stay put.
        if change and set(form.changed_data) <= set(OFFICER_FIELDS):
            return
        super().save_model(request, obj, form, change)

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        records = super().get_history_queryset(request, history_manager, pk_name, object_id)
        if roles.can_manage_officers(request.user):
            return records
        return records.exclude(history_id__in=records_changing_nothing_visible(records))

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        if roles.can_manage_officers(request.user):
            super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
            return
        # django-simple-history's loop, with the officers left out of each difference.
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current,
                    excluded_fields=OFFICER_FIELDS,
                    foreign_keys_are_objs=foreign_keys_are_objs,
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if autocomplete_source(request) == ("tracker", "statusreport", "economy"):
            # A report is entered for one of the officer's own economies only.
            queryset = queryset.filter(pk__in=roles.officer_economy_ids(request.user))
        return queryset, may_have_duplicates
