from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Status reports"

    def ready(self):
        # Connects the handlers that keep the current-status table in step with the reports,
        # and those that raise the page cache's version after every change.
        from tracker import changes, current_status  # noqa: F401

        changes.connect_signals()
