"""Shared by bench/load_test.py and bench/fault_test.py: a fresh PostgreSQL database filled with
synthetic data and reports waiting for review, gunicorn on loopback, many client connections
over a mix of pages and API calls, and a reviewer publishing through the API meanwhile."""

import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")

# The mix every client cycles through: the public pages, and API lists and records.
# {a}, {b}, {c}: economy codes and {i} an instrument slug of the synthetic data.
PATHS = [
    "/",
    "/economies/",
    "/economies/{a}/",
    "/instruments/",
    "/instruments/{i}/",
    "/compare/?economies={a},{b},{c}",
    "/trends/",
    "/updates/",
    "/api/v1/economies/",
    "/api/v1/status/?page_size=100",
    "/api/v1/scores/",
    "/api/v1/regional/",
    "/api/v1/reports/?page_size=50",
    "/api/v1/economies/{a}/",
    "/healthz",
]

SETUP = """
import datetime, json
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
from economies.models import Economy
from instruments.models import Commitment, Instrument
from tracker import services
from tracker.models import ReviewState, StatusReport
count = REPORTS
officer = User.objects.create_user("load-officer", password="load-test-only", is_staff=True)
officer.groups.add(Group.objects.get(name="Officers"))
reviewer = User.objects.create_user("load-reviewer", password="load-test-only", is_staff=True)
reviewer.groups.add(Group.objects.get(name="Reviewers"))
economies = list(Economy.objects.order_by("code"))
for economy in economies:
    economy.officers.add(officer)
commitments = list(Commitment.objects.order_by("pk"))
ids = []
for n in range(count):
    economy = economies[n % len(economies)]
    commitment = commitments[(n // len(economies)) % len(commitments)]
    report = services.report_create(
        user=officer, economy=economy, commitment=commitment, status="implemented",
        effective_date=datetime.date(2020, 1, 1) + datetime.timedelta(days=n),
        evidence="Synthetic load-test report.",
    )
    services.report_submit(report=report, user=officer)
    ids.append(report.pk)
names = {"a": economies[0].code, "b": economies[1].code, "c": economies[2].code}
names["i"] = Instrument.objects.order_by("slug").first().slug
token = Token.objects.create(user=reviewer).key
print(json.dumps({"reviewer_token": token, "ids": ids, "names": names}))
"""

COUNT_PUBLISHED = """
import json, sys
from tracker.models import ReviewState, StatusReport
ids = json.loads(sys.stdin.read())
print(StatusReport.objects.published().filter(pk__in=ids).count())
"""


def environment(database_url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "CONN_MAX_AGE": "60",
        "DATABASE_CONNECT_TIMEOUT": "3",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # The throttles would refuse one address sending thousands of requests a second.
        "API_ANON_RATE": "100000000/minute",
        "API_USER_RATE": "100000000/minute",
        "LOG_LEVEL": "ERROR",
    }


def manage(env: dict, *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args[:2])} failed:\n{result.stderr[-2000:]}")
    return result.stdout


def prepare(database_url: str, reports: int) -> tuple[dict, dict]:
    """A fresh database: migrate, synthetic region data, `reports` reports awaiting review."""
    url = urllib.parse.urlparse(database_url)
    name = url.path.lstrip("/")
    if not name.startswith("softlaw_") or ("load" not in name and "fault" not in name):
        sys.exit(f"Refusing to drop {name!r}: use a database named softlaw_…load… or …fault….")
    admin = url._replace(path="/postgres").geturl()
    subprocess.run(
        [
            "psql",
            admin,
            "-q",
            "-c",
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
            "-c",
            f'CREATE DATABASE "{name}"',
        ],
        check=True,
    )
    env = environment(database_url)
    started = time.monotonic()
    manage(env, "migrate", "--noinput")
    manage(env, "generate_synthetic", "--scale", "region", "--years", "3", "--seed", "7")
    code = SETUP.replace("REPORTS", str(reports))
    setup = json.loads(manage(env, "shell", "-v", "0", "-c", code).strip())
    # The planner's statistics, as a database in service has them (autovacuum gathers them a
    # while after a bulk load): without, it guesses 15 reports where there are 10,000.
    subprocess.run(["psql", database_url, "-q", "-c", "ANALYZE"], check=True)
    setup["paths"] = [path.format(**setup["names"]) for path in PATHS]
    print(
        f"prepared {name}: synthetic region, {reports} reports awaiting review "
        f"({time.monotonic() - started:.0f} s)"
    )
    return env, setup


def count_published(env: dict, ids: list[int]) -> int:
    return int(manage(env, "shell", "-v", "0", "-c", COUNT_PUBLISHED, stdin=json.dumps(ids)))


class Server:
    def __init__(self, env: dict, port: int, workers: int, threads: int):
        self.port = port
        self.process = subprocess.Popen(
            [GUNICORN, "softlaw.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--worker-class", "gthread", "--threads", str(threads),
             "--timeout", "30", "--graceful-timeout", "5", "--log-level", "warning"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if get(port, "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        sys.exit("gunicorn did not answer /healthz within 30 s")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def get(port: int, path: str, timeout: float = 10) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@dataclass
class Sample:
    started: float  # seconds since the run began
    seconds: float
    status: int  # 0: no HTTP answer (refused, reset, timed out)
    path: str
    error: str = ""


@dataclass
class Run:
    samples: list[Sample] = field(default_factory=list)
    acknowledged: list[int] = field(default_factory=list)
    publish_failures: dict[int, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def client(port, until, begun, run: Run, paths: list[str], seed: int, timeout: float):
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    samples = []
    while time.monotonic() < until:
        path = rng.choice(paths)
        start = time.monotonic()
        try:
            connection.request("GET", path, headers={"Accept-Encoding": "identity"})
            response = connection.getresponse()
            body = response.read()
            # A 503 says why: refused for waiting too long in line, or the database away.
            reason = (
                ("busy" if b"too busy" in body else "database") if response.status == 503 else ""
            )
            samples.append(
                Sample(start - begun, time.monotonic() - start, response.status, path, reason)
            )
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
        except (OSError, http.client.HTTPException) as error:
            samples.append(
                Sample(start - begun, time.monotonic() - start, 0, path, type(error).__name__)
            )
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    connection.close()
    with run.lock:
        run.samples.extend(samples)


def publisher(port, until, begun, run: Run, token: str, ids: list[int], *, interval, timeout):
    """The reviewer publishes the waiting reports one by one through the API, one every
    `interval` seconds (a publish that takes longer delays the next, never two at once)."""
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    pending = list(ids)
    due = time.monotonic()
    while pending and time.monotonic() < until:
        time.sleep(max(0.0, due - time.monotonic()))
        if time.monotonic() >= until:
            break
        report = pending[0]
        start = time.monotonic()
        due = start + interval
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        try:
            connection.request("POST", f"/api/v1/reports/{report}/publish/", "{}", headers)
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            status = 0
        finally:
            connection.close()
        with run.lock:
            run.samples.append(
                Sample(start - begun, time.monotonic() - start, status, "POST publish")
            )
        if status == 200:
            run.acknowledged.append(report)
            pending.pop(0)
        else:
            run.publish_failures[status] = run.publish_failures.get(status, 0) + 1
            if status in (400, 409):
                # Already published: an earlier answer was lost (a 503 for a publish that had
                # committed just before the database went away). The API answers 409 for a
                # transition the report's state no longer allows: move on.
                pending.pop(0)


def load(port, seconds, connections, setup, *, publish_interval, timeout=30, during=None):
    """Run the load; `during(begun)` runs in this thread while it lasts (the fault test)."""
    run = Run()
    begun = time.monotonic()
    until = begun + seconds
    threads = [
        threading.Thread(target=client, args=(port, until, begun, run, setup["paths"], n, timeout))
        for n in range(connections)
    ]
    threads.append(
        threading.Thread(
            target=publisher,
            args=(port, until, begun, run, setup["reviewer_token"], setup["ids"]),
            kwargs={"interval": publish_interval, "timeout": timeout},
        )
    )
    for thread in threads:
        thread.start()
    if during:
        during(begun)
    for thread in threads:
        thread.join()
    run.samples.sort(key=lambda sample: sample.started)
    return run


def summary(samples: list[Sample], seconds: float) -> dict:
    latencies = sorted(sample.seconds for sample in samples) or [0.0]

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000

    statuses = {}
    for sample in samples:
        statuses[sample.status] = statuses.get(sample.status, 0) + 1
    return {
        "requests": len(samples),
        "per_second": len(samples) / seconds,
        "p50_ms": pct(50),
        "p95_ms": pct(95),
        "p99_ms": pct(99),
        "max_ms": latencies[-1] * 1000,
        "mean_ms": statistics.fmean(latencies) * 1000,
        "statuses": dict(sorted(statuses.items())),
    }
