"""The signed-in person's own settings: which email notices they get."""

from django.urls import path

from tracker.account_views import notice_settings

urlpatterns = [
    path("", notice_settings, name="notice_settings"),
]
