"""The chart pages' JavaScript as production serves it: the project's own ECharts build (make
install bundles it with esbuild from assets/echarts.js), small, and after collectstatic with
STATIC_MANIFEST served by WhiteNoise under a hashed name, compressed, cached for a year at least."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client, override_settings

CHART_BUNDLE = "vendor/echarts/echarts.min.js"
FULL_ECHARTS = Path(settings.BASE_DIR) / "node_modules" / "echarts" / "dist" / "echarts.min.js"
YEAR = 365 * 24 * 3600


def chart_bundle() -> Path:
    found = finders.find(CHART_BUNDLE)
    assert found, f"{CHART_BUNDLE} is missing: `make install` builds it"
    return Path(found)


def test_the_chart_bundle_is_the_projects_own_build_well_under_the_full_one():
    built = chart_bundle()
    assert built.resolve().is_relative_to((Path(settings.BASE_DIR) / "build").resolve())
    size = built.stat().st_size
    # ECharts' core with its canvas renderer alone is ~306 KB minified; one line chart on a grid
    # ~450 KB; these pages' line and bar charts with tooltip, legend and aria ~546 KB. The full
    # bundle they used to load is 1.12 MB.
    assert size < 560_000, size
    assert size < FULL_ECHARTS.stat().st_size / 2
    text = built.read_text(encoding="utf-8")
    # The maps module (geoJSON, in the full bundle 14 times) is not in; the core's names of
    # other components are, in a few places each, but not their code.
    assert "geoJSON" not in text
    assert text.count("visualMap") < 10 and text.count("dataZoom") < 10


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
        assert re.fullmatch(r"/static/vendor/echarts/echarts\.min\.[0-9a-f]{12}\.js", url), url
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
