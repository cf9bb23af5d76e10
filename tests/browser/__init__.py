"""Browser tests: Chromium through Playwright, with axe-core and the Nu Html Checker."""
