from django.contrib import admin

from tracker.models import StatusReport


@admin.register(StatusReport)
class StatusReportAdmin(admin.ModelAdmin):
    list_display = [
        "economy",
        "commitment",
        "status",
        "effective_date",
        "target_date",
        "origin",
        "review_state",
        "updated_at",
    ]
    list_filter = ["review_state", "status", "origin", "economy", "commitment__instrument"]
    list_select_related = ["economy", "commitment"]
    search_fields = ["economy__code", "economy__name", "commitment__code", "evidence"]
    autocomplete_fields = ["economy", "commitment"]
    date_hierarchy = "effective_date"
    readonly_fields = [
        "entered_by",
        "reviewed_by",
        "created_at",
        "updated_at",
        "submitted_at",
        "published_at",
        "version",
    ]
