"""The pages signed-in roles start from, under /admin/ and behind the admin's sign-in."""

from django.contrib import admin
from django.urls import path

from tracker.admin import workspace

urlpatterns = [
    path("", admin.site.admin_view(workspace.landing), name="admin_landing"),
    path("workspace/", admin.site.admin_view(workspace.workspace_view), name="workspace"),
    path(
        "workspace/confirm/",
        admin.site.admin_view(workspace.confirm_unchanged),
        name="workspace_confirm",
    ),
    path(
        "workspace/submit/",
        admin.site.admin_view(workspace.submit_drafts),
        name="workspace_submit",
    ),
    path(
        "workspace/<str:code>.xlsx",
        admin.site.admin_view(workspace.spreadsheet),
        name="workspace_spreadsheet",
    ),
    path("queue/", admin.site.admin_view(workspace.review_queue_view), name="review_queue"),
]
