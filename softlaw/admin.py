"""What every admin of the site shares: the history of each record (who changed what, and when),
and who is asking the admin's autocomplete."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from simple_history.admin import SimpleHistoryAdmin


def autocomplete_source(request) -> tuple[str, str, str] | None:
    """(app_label, model_name, field_name) when the request asks the admin's autocomplete."""
    if request.resolver_match is None or request.resolver_match.url_name != "autocomplete":
        return None
    return (
        request.GET.get("app_label", ""),
        request.GET.get("model_name", ""),
        request.GET.get("field_name", ""),
    )


class TrackedAdmin(SimpleHistoryAdmin):
    """An admin that shows the history of every record (who changed what, and when).

    django-simple-history lets anyone who may view a record post an old version back through
    its history page; here reverting needs the right to change the record.
    """

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")  # Django 6's default, today
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if obj is None or not self.has_change_permission(request, obj):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
