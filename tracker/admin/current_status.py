"""The current statuses in the admin: read-only, kept in step with the published reports."""

from django.contrib import admin

from tracker.models import CurrentStatus


@admin.register(CurrentStatus)
class CurrentStatusAdmin(admin.ModelAdmin):
    """Read-only: derived from the published reports on every save, never edited by hand."""

    list_display = ["economy", "commitment", "status", "effective_date", "target_date", "report"]
    list_filter = ["status", "instrument"]
    list_select_related = ["economy", "commitment", "report"]
    search_fields = ["economy__code", "commitment__code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
