"""The tracker's tests: tests/<app>/ mirrors the apps, tests/browser/ drives Chromium."""
