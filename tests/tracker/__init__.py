"""Tests of the status-report app: scoring, workflow, imports, exports, pages, admin."""
