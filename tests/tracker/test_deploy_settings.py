"""Production settings come from the environment: with HTTPS_ONLY, a SECRET_KEY and the host
names, `manage.py check --deploy` has nothing to warn about; without them it says what is
missing. Each run is a fresh process, since settings are read once at start-up."""

import os
import secrets
import subprocess
import sys

from django.conf import settings

PRODUCTION = {
    "HTTPS_ONLY": "true",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "tracker.example.org",
    "DEBUG": "false",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Not the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE either (check --deploy warns about it).
    left_out = {*PRODUCTION, "SECURE_HSTS_SECONDS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    keep = {k: v for k, v in os.environ.items() if k not in left_out}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**keep, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_environment_passes_check_deploy_with_no_warning():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_settings_are_the_secure_ones():
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)"
    )
    result = manage("shell", "-v", "0", "-c", code, **PRODUCTION)
    assert result.stdout.split() == ["True", "True", "True", "63072000", "True", "True"]
    # A laptop (no HTTPS_ONLY) keeps http working: no redirect, cookies without Secure.
    local = manage("shell", "-v", "0", "-c", code)
    assert local.stdout.split() == ["False", "False", "False", "63072000", "False", "False"]


def test_missing_production_values_are_named():
    without_key = {**PRODUCTION, "SECRET_KEY": ""}
    result = manage("check", **without_key)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when HTTPS_ONLY or REQUIRE_SECRET_KEY is true" in result.stderr
    short_hsts = manage("check", "--deploy", **{**PRODUCTION, "SECURE_HSTS_SECONDS": "0"})
    assert "security.W004" in short_hsts.stdout + short_hsts.stderr
    bad = manage("check", **{**PRODUCTION, "HTTPS_ONLY": "maybe"})
    assert "HTTPS_ONLY must be a boolean" in bad.stderr
