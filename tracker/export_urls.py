"""/data/download/<dataset>.<fmt>: status or reports, as csv or xlsx."""

from django.urls import re_path

from tracker import export_views

urlpatterns = [
    re_path(
        r"^(?P<dataset>status|reports)\.(?P<fmt>csv|xlsx)$",
        export_views.data_download,
        name="data_download",
    ),
]
