"""The API's speed target: a whole request for a 1,000-row page of /api/v1/status/ takes at most
3× the time of reading the same rows with values() and dumping them as JSON.

    .venv/bin/python bench/api_speed.py             # a scratch SQLite database in var/bench/
    DATABASE_URL=postgres://…/softlaw_api_bench .venv/bin/python bench/api_speed.py

The database is filled once with clearly marked synthetic data (manage.py generate_synthetic,
21 economies × 25 instruments × 10 commitments, ten years of history: 5,250 current statuses),
never with the reference data. Both figures are the median of --runs runs (31), interleaved in this
one process after a warm-up: the request goes through the whole Django stack (middleware, auth,
throttling, ETag, filters, pagination with its COUNT, rendering) with Django's test client; the
floor is the same 1,000 rows read with values() and passed to json.dumps. Exits 1 when the ratio
is above 3.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 3.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=31)
    args = parser.parse_args()

    default = f"sqlite:///{ROOT / 'var' / 'bench' / 'api_speed.sqlite3'}"
    url = os.environ.setdefault("DATABASE_URL", default)
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, check=True)

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "softlaw.settings")
    os.environ.setdefault("API_ANON_RATE", "100000/minute")
    import django

    django.setup()
    from django.core.serializers.json import DjangoJSONEncoder
    from django.test import Client

    from tracker.api.rows import STATUS_PATHS
    from tracker.models import CurrentStatus, StatusReport

    if not StatusReport.objects.exists():
        subprocess.run([*manage, "generate_synthetic", "--scale", "region"], cwd=ROOT, check=True)
    cells = CurrentStatus.objects.count()
    if cells < 1000:
        print(f"Only {cells} current statuses: need at least 1,000 rows.", file=sys.stderr)
        return 2

    client = Client()
    page_url = "/api/v1/status/?page_size=1000"

    def request() -> int:
        response = client.get(page_url)
        assert response.status_code == 200, response.content[:300]
        return response

    def check_request() -> int:
        return len(request().json()["results"])

    def floor() -> int:
        # The same rows, in the same order, straight from values() to JSON.
        rows = list(
            StatusReport.objects.published()
            .filter(pk__in=CurrentStatus.objects.values("report_id"))
            .order_by("economy__code", "commitment__code")
            .values(*STATUS_PATHS.values())[:1000]
        )
        json.dumps(rows, cls=DjangoJSONEncoder)
        return len(rows)

    request_rows, floor_rows = check_request(), floor()  # warm-up, and all rows are there
    assert request_rows == floor_rows == 1000, (request_rows, floor_rows)
    # Interleaved, so that both see the same load on the machine.
    request_times, floor_times = [], []
    for _ in range(args.runs):
        for work, times in ((request, request_times), (floor, floor_times)):
            start = time.perf_counter()
            work()
            times.append(time.perf_counter() - start)
    request_ms = statistics.median(request_times) * 1000
    floor_ms = statistics.median(floor_times) * 1000
    ratio = request_ms / floor_ms
    engine = django.db.connection.vendor
    print(f"database: {engine}, current statuses: {cells}, runs: {args.runs} (median)")
    print(f"GET {page_url}: {request_ms:.1f} ms for {request_rows} rows")
    print(f"values() + json.dumps of the same rows: {floor_ms:.1f} ms")
    verdict = "OK" if ratio <= TARGET else "TOO SLOW"
    print(f"ratio: {ratio:.2f}× (target at most {TARGET:.0f}×): {verdict}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
