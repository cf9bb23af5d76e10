"""Benchmark of the tracker's pages and API at regional and global scale, on SQLite and PostgreSQL.

    python bench/run.py                                  # both databases, both scales
    python bench/run.py --databases postgres --scales global --json var/bench.json

For each database and scale it builds (once) a separate database of synthetic data
(manage.py generate_synthetic), then, in a fresh process with every cache off, measures for each
URL the median server time over --requests requests, the "floor" (the same SQL the request ran,
replayed directly on the database: page ÷ floor says what the application adds), queries per
request and the process's peak memory; then throughput under gunicorn on loopback with wrk
(32 connections, asking for gzip as browsers do) for /, /api/v1/scores/, a small static file and
one about the size of the global dashboard, with the page cache on, and the
memory of every gunicorn worker afterwards.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
VAR = ROOT / "var" / "bench"
PG = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
PAST = "2018-12-31"  # a year-end: read from the year-end sums
PAST_MID = "2018-06-30"  # any other past date: the year-end before, and the changes since
PAST_LATE = "2025-06-30"  # the same, late in the synthetic history (it ends in 2025)


def database_url(database: str, scale: str) -> str:
    if database == "sqlite":
        return f"sqlite:///{VAR / f'{scale}.sqlite3'}"
    return f"{PG}/softlaw_bench_{scale}"


def manage(url: str, *args: str, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True, **kwargs
    )


def prepare(database: str, scale: str, rebuild: bool) -> str:
    url = database_url(database, scale)
    marker = VAR / f"{database}-{scale}.ready"
    if marker.exists() and not rebuild:
        return url
    VAR.mkdir(parents=True, exist_ok=True)
    marker.unlink(missing_ok=True)
    if database == "sqlite":
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    else:
        name = url.rsplit("/", 1)[1]
        base = f"{PG}/postgres"
        subprocess.run(
            ["psql", base, "-q", "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=True
        )
        subprocess.run(["psql", base, "-q", "-c", f"CREATE DATABASE {name}"], check=True)
    print(f"building {scale} data on {database} …", flush=True)
    manage(url, "migrate", "--noinput", "-v0")
    manage(url, "generate_synthetic", "--scale", scale)
    if database == "postgres":
        name = url.rsplit("/", 1)[1]
        # As docs/deployment.md recommends for SSD storage: random reads cost about what
        # sequential ones do, so the planner uses the covering indexes.
        tune = f"ALTER DATABASE {name} SET random_page_cost = 1.1"
        subprocess.run(["psql", f"{PG}/{name}", "-q", "-c", tune], check=True)
        subprocess.run(["psql", f"{PG}/{name}", "-q", "-c", "VACUUM ANALYZE"], check=True)
    marker.touch()
    return url


# --- in-process measurement (runs in a child process, one per database and scale) ---------------


def measure(requests: int, only: str = "") -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "softlaw.settings")
    os.environ["PAGE_CACHE_SECONDS"] = "0"  # every cache off: measure the work, not the cache
    import resource

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    import softlaw.wsgi  # noqa: F401  the server's own start-up (django.setup() and the rest)
    from economies.models import Economy
    from instruments.models import Instrument

    economy = Economy.objects.order_by("code").first()
    instrument = Instrument.objects.order_by("slug").first()
    urls = {
        "/": "/",
        "economy page": economy.get_absolute_url(),
        "instrument page": instrument.get_absolute_url(),
        "/trends/": "/trends/",
        "/api/v1/scores/": "/api/v1/scores/",
        "/api/v1/status/ (1,000 rows)": "/api/v1/status/?page_size=1000",
        f"/ as of {PAST}": f"/?as_of={PAST}",
        f"/ as of {PAST_MID}": f"/?as_of={PAST_MID}",
        f"/ as of {PAST_LATE}": f"/?as_of={PAST_LATE}",
    }
    if only:  # --pages: the requests whose label contains one of these words
        words = [w.strip() for w in only.split(",") if w.strip()]
        urls = {
            label: url
            for label, url in urls.items()
            if any(w == label or (len(w) > 1 and w in label) for w in words)
        }
    client = Client()
    results = {}
    for label, url in urls.items():
        for _ in range(2):  # warm up: imports, template loading, the database's caches
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        times, floors = [], []
        for _ in range(requests):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)
                times.append(time.perf_counter() - started)
            sql = [q["sql"] for q in captured.captured_queries]
            started = time.perf_counter()
            with connection.cursor() as cursor:
                for statement in sql:
                    if statement.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
                        continue
                    cursor.execute(statement)
                    if cursor.description:
                        cursor.fetchall()
            floors.append(time.perf_counter() - started)
        results[label] = {
            "url": url,
            "median_ms": statistics.median(times) * 1000,
            "floor_ms": statistics.median(floors) * 1000,
            "queries": len(sql),
            "bytes": len(response.content) if not hasattr(response, "streaming_content") else None,
        }
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"pages": results, "peak_memory_mb": peak_kb / 1024}


# --- throughput under gunicorn -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def throughput(url: str, seconds: int, workers: int) -> dict:
    if not shutil.which("wrk"):
        return {"error": "wrk is not installed (apt-get install wrk)"}
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "PAGE_CACHE_SECONDS": "60",
        "CONN_MAX_AGE": "60",
        "STATIC_MANIFEST": "false",
        # Static files come from the app folders here, not from collectstatic's output.
        "PYTHONWARNINGS": "ignore:No directory at",
    }
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "softlaw.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        targets = {
            "/": "/",
            "/api/v1/scores/": "/api/v1/scores/",
            "static file": "/static/css/tracker.css",
            # The largest static file, the charts' library: what serving that many bytes costs
            # by itself.
            "large static file": "/static/vendor/chartjs/chart.min.js",
        }
        result = {}
        for label, path in targets.items():
            # As a browser asks: compressed where the server has it so.
            header = ["-H", "Accept-Encoding: gzip"]
            subprocess.run(
                ["wrk", "-t2", "-c32", "-d2s", *header, base + path], capture_output=True
            )
            out = subprocess.run(
                ["wrk", "-t2", "-c32", f"-d{seconds}s", *header, base + path],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
            errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
            request = urllib.request.Request(base + path, headers={"Accept-Encoding": "gzip"})
            for _ in range(2):  # the second time from the page cache
                with urllib.request.urlopen(request) as response:
                    size = len(response.read())  # the bytes sent: compressed if it was
            result[label] = {
                "requests_per_s": rate,
                "non_2xx": int(errors.group(1)) if errors else 0,
                "bytes": size,
            }
        children = subprocess.run(
            ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
        ).stdout.split()
        result["worker_rss_mb"] = [round(rss_mb(int(pid)), 1) for pid in children]
        return result
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def print_table(report: dict) -> None:
    for key, run in report.items():
        print(f"\n## {key}  (peak memory of the measuring process: {run['peak_memory_mb']:.0f} MB)")
        print(f"{'request':34} {'median ms':>10} {'floor ms':>9} {'÷ floor':>8} {'queries':>8}")
        for label, page in run["pages"].items():
            ratio = page["median_ms"] / page["floor_ms"] if page["floor_ms"] else float("nan")
            print(
                f"{label:34} {page['median_ms']:10.1f} {page['floor_ms']:9.1f} {ratio:8.2f} "
                f"{page['queries']:8d}"
            )
        if "throughput" in run:
            t = run["throughput"]
            if "error" in t:
                print(f"throughput: {t['error']}")
                continue
            static = t["static file"]["requests_per_s"]
            large = t["large static file"]["requests_per_s"]
            print(
                f"{'gunicorn, 32 connections':34} {'req/s':>10} {'÷ static':>9} "
                f"{'÷ large':>8} {'non-2xx':>8} {'KB sent':>8}"
            )
            for label in ("/", "/api/v1/scores/", "static file", "large static file"):
                row = t[label]
                print(
                    f"{label:34} {row['requests_per_s']:10.0f} "
                    f"{row['requests_per_s'] / static:9.2f} {row['requests_per_s'] / large:8.2f} "
                    f"{row['non_2xx']:8d} {row['bytes'] / 1024:8.0f}"
                )
            print(f"worker memory (MB): {t['worker_rss_mb']}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--scales", default="region,global")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--throughput-seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--no-throughput", action="store_true")
    parser.add_argument("--rebuild", action="store_true", help="regenerate the synthetic data")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--pages", default="", help="only the requests whose label contains one of these words"
    )
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.requests, args.pages)))
        return
    report = {}
    for database in args.databases.split(","):
        for scale in args.scales.split(","):
            url = prepare(database, scale, args.rebuild)
            print(f"measuring {database} / {scale} …", flush=True)
            child = subprocess.run(
                [
                    PYTHON,
                    __file__,
                    "--measure",
                    "--requests",
                    str(args.requests),
                    "--pages",
                    args.pages,
                ],
                cwd=ROOT,
                env={**os.environ, "DATABASE_URL": url},
                capture_output=True,
                text=True,
                check=True,
            )
            run = json.loads(child.stdout.strip().splitlines()[-1])
            if not args.no_throughput:
                run["throughput"] = throughput(url, args.throughput_seconds, args.workers)
            report[f"{database} / {scale}"] = run
    print_table(report)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2))
        print(f"\nwritten to {args.json}")


if __name__ == "__main__":
    main()
