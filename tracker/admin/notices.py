"""The outbox of email notices, read-only, for those who run the site (superusers): what was
sent to whom, what waits, and why a notice failed."""

from django.contrib import admin

from tracker.models import Notice, NoticePreference


class SiteRunnerAdmin(admin.ModelAdmin):
    """Read-only, and for superusers only: each user sets their own choice on their profile."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NoticePreference)
class NoticePreferenceAdmin(SiteRunnerAdmin):
    list_display = ["user", "email_notices"]
    list_filter = ["email_notices"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email"]


@admin.register(Notice)
class NoticeAdmin(SiteRunnerAdmin):
    list_display = ["event", "recipient", "subject", "state", "created_at", "sent_at", "attempts"]
    list_filter = ["state"]
    list_select_related = ["recipient"]
    search_fields = ["event", "subject", "recipient__username", "recipient__email"]
    date_hierarchy = "created_at"
