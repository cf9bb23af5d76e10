"""/data/download/<dataset>.<fmt>: status or reports, as csv or xlsx; and the whole published
dataset as a Frictionless Data Package."""

from django.urls import path, re_path

from tracker import export_views

urlpatterns = [
    path("datapackage.zip", export_views.data_package, name="data_package"),
    re_path(
        r"^(?P<dataset>status|reports)\.(?P<fmt>csv|xlsx)$",
        export_views.data_download,
        name="data_download",
    ),
]
