"""The admin of forums, themes, instruments and commitments."""

from django.contrib import admin

from instruments.models import Commitment, Forum, Instrument, Theme
from softlaw.admin import TrackedAdmin, autocomplete_source
from tracker import roles


@admin.register(Forum)
class ForumAdmin(TrackedAdmin):
    list_display = ["short_name", "name", "parent", "is_apec_body", "established_year"]
    list_filter = ["is_apec_body"]
    list_select_related = ["parent"]
    search_fields = ["short_name", "name"]
    autocomplete_fields = ["parent"]


@admin.register(Theme)
class ThemeAdmin(TrackedAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0
    fields = ["order", "code", "title", "scope", "weight", "source_note"]
    show_change_link = True


@admin.register(Instrument)
class InstrumentAdmin(TrackedAdmin):
    list_display = ["short_name", "title", "kind", "adopted_display", "forum", "is_apec_instrument"]
    list_filter = ["kind", "forum", "themes", "is_apec_instrument", "adopted_precision"]
    list_select_related = ["forum"]
    search_fields = ["short_name", "title", "summary"]
    autocomplete_fields = ["forum", "superseded_by", "themes"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [CommitmentInline]

    @admin.display(description="adopted", ordering="adopted_on")
    def adopted_display(self, obj):
        return obj.adopted_display


@admin.register(Commitment)
class CommitmentAdmin(TrackedAdmin):
    list_display = ["code", "title", "instrument", "scope", "weight", "order"]
    list_filter = ["scope", "instrument"]
    list_select_related = ["instrument"]
    search_fields = ["code", "title", "description", "instrument__short_name"]
    autocomplete_fields = ["instrument", "prerequisites"]

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if autocomplete_source(request) == ("tracker", "statusreport", "commitment"):
            # Reports are made only on commitments each economy carries out.
            queryset = queryset.filter(pk__in=roles.reportable_commitments())
        return queryset, may_have_duplicates
