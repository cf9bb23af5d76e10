"""Management commands of the status-report app."""
