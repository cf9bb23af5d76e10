"""The chart pages' JavaScript as production serves it: the project's own Chart.js build (make
install bundles it with esbuild from assets/charts-lib.js), small, and after collectstatic with
STATIC_MANIFEST served by WhiteNoise under a hashed name, compressed, cached for a year at least."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client, override_settings

CHART_BUNDLE = "vendor/chartjs/chart.min.js"
# Chart.js's own bundle with every chart type, scale, element and plugin.
FULL_CHARTJS = Path(settings.BASE_DIR) / "node_modules" / "chart.js" / "dist" / "chart.umd.min.js"
YEAR = 365 * 24 * 3600


def chart_bundle() -> Path:
    found = finders.find(CHART_BUNDLE)
    assert found, f"{CHART_BUNDLE} is missing: `make install` builds it"
    return Path(found)


def test_the_chart_bundle_is_the_projects_own_build_under_400_kb():
    built = chart_bundle()
    assert built.resolve().is_relative_to((Path(settings.BASE_DIR) / "build").resolve())
    size = built.stat().st_size
    # The bound for the chart pages' chart JavaScript. These pages' line and bar charts
    # with tooltip and legend are ~175 KB minified; Chart.js's full bundle ~205 KB; the ECharts
    # build they used to load ~546 KB (its core and canvas renderer alone ~306 KB).
    assert size < 400_000, size
    assert size < FULL_CHARTJS.stat().st_size
    text = built.read_text(encoding="utf-8")
    # The chart types and plugins the pages do not draw are left out: their registered ids
    # appear in the full bundle, not in this one.
    full = FULL_CHARTJS.read_text(encoding="utf-8")
    for unused in ('"doughnut"', '"pie"', '"radar"', '"bubble"', '"decimation"', '"subtitle"'):
        assert unused in full and unused not in text, unused
    assert "window.Chart=" in text.replace(" ", "")


@pytest.mark.django_db
def test_production_serves_the_chart_bundle_hashed_compressed_and_immutable(tmp_path):
    storage = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(
        STORAGES=storage, STATIC_ROOT=tmp_path, WHITENOISE_USE_FINDERS=False, DEBUG=False
    ):
        # The admin's and the API docs' files are collected in production too; left out here
        # only to keep the test quick (compressing them takes a minute).
        call_command(
            "collectstatic",
            interactive=False,
            verbosity=0,
            ignore_patterns=["admin", "drf_spectacular_sidecar", "rest_framework"],
        )
        from django.contrib.staticfiles.storage import staticfiles_storage

        url = staticfiles_storage.url(CHART_BUNDLE)
        assert re.fullmatch(r"/static/vendor/chartjs/chart\.min\.[0-9a-f]{12}\.js", url), url
        raw = chart_bundle().read_bytes()
        client = Client()  # a new handler, so WhiteNoise scans this STATIC_ROOT

        for encoding in ("br", "gzip"):
            response = client.get(url, headers={"accept-encoding": encoding})
            assert response.status_code == 200
            assert response["Content-Encoding"] == encoding
            assert response["Content-Type"].startswith("text/javascript")
            cache = response["Cache-Control"]
            assert "immutable" in cache and "public" in cache
            max_age = int(re.search(r"max-age=(\d+)", cache).group(1))
            assert max_age >= YEAR
            body = b"".join(response.streaming_content)
            assert len(body) < len(raw) / 2, (encoding, len(body), len(raw))

        plain = client.get(url)
        assert "Content-Encoding" not in plain
        assert b"".join(plain.streaming_content) == raw
