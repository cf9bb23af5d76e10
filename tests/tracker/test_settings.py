"""Settings come from the environment; a bad value stops start-up and names the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def start_django(code: str = "print('started')", **env) -> subprocess.CompletedProcess:
    """Django set up in a process of its own with `env` (the test run's own database and cache
    left out), then `code` run."""
    ours = {"DATABASE_URL", "DEBUG", "REDIS_URL", "CACHE_DIR"}
    environment = {k: v for k, v in os.environ.items() if k not in ours}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**environment, "DJANGO_SETTINGS_MODULE": "softlaw.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [("DEBUG", "maybe"), ("CONN_MAX_AGE", "ten"), ("DATABASE_URL", "nosuchdb://x")],
)
def test_bad_value_stops_start_up_naming_the_variable(name, value):
    result = start_django(**{name: value})
    assert result.returncode != 0
    assert name in result.stderr


def test_good_values_start():
    result = start_django(DEBUG="false", DATABASE_URL="sqlite:///:memory:", ALLOWED_HOSTS="a,b")
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_require_secret_key_in_production():
    result = start_django(DEBUG="false", REQUIRE_SECRET_KEY="true", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_server_side_cursors_can_be_turned_off_for_pgbouncer():
    read = "from django.conf import settings; print(settings.DATABASES['default']"
    read += ".get('DISABLE_SERVER_SIDE_CURSORS'))"
    url = "postgres://postgres@127.0.0.1:5432/softlaw"
    assert start_django(read, DATABASE_URL=url).stdout.strip() == "False"
    turned_off = start_django(read, DATABASE_URL=url, DISABLE_SERVER_SIDE_CURSORS="true")
    assert turned_off.stdout.strip() == "True"
    assert start_django(read, DATABASE_URL=url, DISABLE_SERVER_SIDE_CURSORS="maybe").returncode
