"""The status-report app's configuration: connects what keeps derived tables and the page
cache's version in step with every change."""

from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Status reports"

    def ready(self):
        # Connects the handlers that keep the current-status table in step with the reports,
        # and those that raise the page cache's version after every change.
        from softlaw import changes
        from tracker import current_status  # noqa: F401

        changes.connect_signals()
