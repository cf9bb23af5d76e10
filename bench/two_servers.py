"""Several app servers, one truth: two gunicorn servers against one PostgreSQL and one Redis, a
publish through one, and the other shows it at once.

    .venv/bin/python bench/two_servers.py        # PostgreSQL and Redis on 127.0.0.1 (as CI)

What it does, printing each step:

1. A fresh PostgreSQL database (softlaw_twoservers by default), migrated and loaded with the
   reference data; an officer of Japan and two reviewers, each with an API token.
2. Two gunicorn servers, A and B, on two free loopback ports, with production settings from the
   environment (HTTPS_ONLY behind a proxy that sets X-Forwarded-Proto, a shared SECRET_KEY, the
   cache in Redis under a key prefix of this run), as docs/deployment.md says.
3. B serves `/`, `/economies/JPN/` and `/api/v1/scores/?economy=JPN` (into the shared page cache).
4. Through A, with API tokens: the officer creates a report that raises one of Japan's scores
   and submits it; B still shows the old figures, with the same ETag (a submission is not
   public); the first reviewer publishes it through A.
5. At once, B is asked for the three addresses at the same time: each must show the new figure
   (the new score in the API and in the dashboard's heatmap, the report on the economy page).

Bounded in time (--timeout, 300 s by default); the servers are stopped, the database dropped and
this run's Redis keys deleted whatever happens. Exits 1 with the reason when a check fails.

Over 400 lines: it starts, drives and checks two real servers step by step, and says each step;
split, a reader would have to jump between files to follow one scenario.
"""

import argparse
import concurrent.futures
import datetime
import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
HOST = "tracker.test"
ECONOMY = "JPN"

SETUP = """
import json
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
from economies.models import Economy

def person(name, group):
    user = User.objects.create_user(name, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return Token.objects.create(user=user).key

tokens = {
    "officer": person("two-servers-officer", "Officers"),
    "reviewer": person("two-servers-reviewer", "Reviewers"),
}
Economy.objects.get(code="ECONOMY").officers.add(User.objects.get(username="two-servers-officer"))
print(json.dumps(tokens))
""".replace("ECONOMY", ECONOMY)


class Failed(Exception):
    """A check failed: the message says which."""


class OutOfTime(Exception):
    pass


def step(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str, timeout: float = 240) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode:
        raise Failed(f"manage.py {' '.join(args[:2])} failed:\n{result.stderr[-2000:]}")
    return result.stdout


def psql(admin_url: str, *commands: str) -> None:
    arguments = ["psql", admin_url, "-q", "-v", "ON_ERROR_STOP=1"]
    for command in commands:
        arguments += ["-c", command]
    subprocess.run(arguments, check=True, timeout=60, capture_output=True)


@dataclass
class Answer:
    status: int
    headers: dict
    body: str

    def json(self):
        return json.loads(self.body)


def request(port: int, method: str, path: str, *, token: str = "", body=None) -> Answer:
    """One request as the load balancer forwards it: the site's host name, HTTPS at the proxy."""
    headers = {
        "Host": HOST,
        "X-Forwarded-Proto": "https",
        "X-Forwarded-For": "192.0.2.10",
        "Accept-Encoding": "identity",
    }
    if token:
        headers["Authorization"] = f"Token {token}"
    data = None
    if body is not None:
        data = json.dumps(body)
        headers["Content-Type"] = "application/json"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        connection.request(method, path, data, headers)
        response = connection.getresponse()
        return Answer(
            response.status,
            {k.lower(): v for k, v in response.getheaders()},
            response.read().decode(),
        )
    finally:
        connection.close()


def expect(answer: Answer, status: int, what: str) -> Answer:
    if answer.status != status:
        raise Failed(f"{what}: HTTP {answer.status}, expected {status}: {answer.body[:300]}")
    return answer


class Server:
    """gunicorn as docs/deployment.md runs it, in a process group of its own."""

    def __init__(self, name: str, env: dict, port: int, workers: int, threads: int):
        self.name, self.port = name, port
        self.command = [
            GUNICORN, "softlaw.wsgi:application", "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers), "--worker-class", "gthread", "--threads", str(threads),
            "--timeout", "30", "--graceful-timeout", "20",
            # gunicorn's control socket is one path per machine: two servers on one host
            # would share it.
            "--no-control-socket", "--log-level", "warning",
        ]  # fmt: skip
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=env, start_new_session=True)

    def wait_healthy(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise Failed(f"server {self.name} exited with {self.process.returncode}")
            try:
                if request(self.port, "GET", "/healthz").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise Failed(f"server {self.name} did not answer /healthz in time")

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(5)


def jpn_heatmap(html: str) -> dict[str, str]:
    """Japan's row of the dashboard's heatmap: instrument id → the score shown (1 decimal)."""
    cells = re.findall(
        rf'data-economy="{ECONOMY}" data-instrument="(\d+)" data-score="([0-9.]*)"', html
    )
    return dict(cells)


def scores(answer: Answer) -> dict[str, float | None]:
    return {row["instrument"]: row["score"] for row in answer.json()["results"]}


def one_decimal(score: float) -> str:
    from decimal import ROUND_HALF_UP, Decimal

    return str(Decimal(repr(score)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def choose_report(port: int, scored: set[str]) -> tuple[dict, str]:
    """A current status of Japan on a scored instrument, and the status that moves its score:
    implemented for one below it, not implemented for one that is implemented."""
    rows = expect(
        request(port, "GET", f"/api/v1/status/?economy={ECONOMY}&page_size=1000"), 200, "status"
    ).json()["results"]
    for row in sorted(rows, key=lambda r: (r["status"] == "implemented", r["commitment"])):
        if row["instrument"] in scored and row["status"] != "not_applicable":
            new = "not_implemented" if row["status"] == "implemented" else "implemented"
            return row, new
    raise Failed(f"{ECONOMY} has no scored status in the reference data")


def run(args) -> None:
    begun = time.monotonic()
    deadline = begun + args.timeout
    url = urllib.parse.urlparse(args.database_url)
    name = url.path.lstrip("/")
    if "twoservers" not in name:
        raise Failed(f"Refusing to drop {name!r}: name a database with 'twoservers' in it.")
    admin_url = url._replace(path="/postgres").geturl()
    prefix = f"twoservers-{os.getpid()}-{secrets.token_hex(4)}"
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "CACHE_KEY_PREFIX": prefix,
        "HTTPS_ONLY": "true",
        "TRUST_X_FORWARDED_PROTO": "true",
        "API_NUM_PROXIES": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
        "CONN_MAX_AGE": "60",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        # No collectstatic here (static files come from the app folders): WhiteNoise's note
        # that staticfiles/ is missing says nothing about this check.
        "PYTHONWARNINGS": "ignore:No directory at",
    }
    servers: list[Server] = []
    try:
        step(f"database {name}: fresh, migrated, reference data loaded")
        psql(
            admin_url,
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
            f'CREATE DATABASE "{name}"',
        )
        manage(env, "migrate", "--noinput")
        manage(env, "load_reference_data")
        tokens = json.loads(manage(env, "shell", "-v", "0", "-c", SETUP).strip())
        step(f"officer of {ECONOMY} and a reviewer, each with an API token")

        ports = args.ports or [free_port(), free_port()]
        for label, port in zip("AB", ports, strict=True):
            servers.append(Server(label, env, port, args.workers, args.threads))
        for server in servers:
            server.wait_healthy(min(deadline, time.monotonic() + 60))
            step(f"server {server.name} on 127.0.0.1:{server.port}: {' '.join(server.command)}")
        a, b = (server.port for server in servers)
        step(f"shared: PostgreSQL {name}, Redis {args.redis_url} (key prefix {prefix})")

        paths = {
            "dashboard": "/",
            "economy page": f"/economies/{ECONOMY}/",
            "scores API": f"/api/v1/scores/?economy={ECONOMY}",
        }
        before = {label: expect(request(b, "GET", p), 200, label) for label, p in paths.items()}
        # Read twice: the second answer of each page comes from the page cache in Redis.
        for label, path in paths.items():
            expect(request(b, "GET", path), 200, label)
        if not redis_keys(args.redis_url, prefix):
            raise Failed("no page was cached in Redis: the servers do not share the cache")
        step(
            f"B served {', '.join(paths.values())}; pages cached in Redis "
            f"({len(redis_keys(args.redis_url, prefix))} keys)"
        )

        before_scores = scores(before["scores API"])
        scored = {slug for slug, score in before_scores.items() if score is not None}
        current, new_status = choose_report(a, scored)
        instrument = current["instrument"]
        old_score = before_scores[instrument]
        report = expect(
            request(
                a,
                "POST",
                "/api/v1/reports/",
                token=tokens["officer"],
                body={
                    "economy": ECONOMY,
                    "commitment": current["commitment"],
                    "status": new_status,
                    "effective_date": datetime.date.today().isoformat(),
                    "evidence": "Two-server check: a new statement, published through server A.",
                },
            ),
            201,
            "officer creates a report through A",
        ).json()
        expect(
            request(a, "POST", f"/api/v1/reports/{report['id']}/submit/", token=tokens["officer"]),
            200,
            "officer submits it through A",
        )
        step(
            f"A: officer created report {report['id']} ({current['commitment']}: "
            f"{current['status']} → {new_status}) and submitted it"
        )
        waiting = expect(request(b, "GET", paths["scores API"]), 200, "scores on B")
        if waiting.headers.get("etag") != before["scores API"].headers.get("etag"):
            raise Failed("B's scores ETag moved on a submission, which is not public")
        if scores(waiting)[instrument] != old_score:
            raise Failed("B shows a submitted, unpublished report's figure")
        step(f"B: still {instrument} {old_score} for {ECONOMY}, same ETag (not yet published)")

        published = expect(
            request(
                a, "POST", f"/api/v1/reports/{report['id']}/publish/", token=tokens["reviewer"]
            ),
            200,
            "reviewer publishes it through A",
        ).json()
        if published["review_state"] != "published":
            raise Failed(f"the publish answered {published['review_state']}")
        step(f"A: reviewer published report {report['id']}")

        # At once, the three addresses together, on the other server.
        with concurrent.futures.ThreadPoolExecutor(len(paths)) as pool:
            futures = {label: pool.submit(request, b, "GET", p) for label, p in paths.items()}
            after = {label: expect(f.result(), 200, label) for label, f in futures.items()}
        new_score = scores(after["scores API"])[instrument]
        truth = scores(expect(request(a, "GET", paths["scores API"]), 200, "scores on A"))
        step(f"B, at once: {instrument} score for {ECONOMY} {old_score} → {new_score}")
        if new_score == old_score:
            raise Failed(f"B's scores API still shows {new_score}")
        if truth[instrument] != new_score:
            raise Failed(f"B says {new_score}, A says {truth[instrument]}")
        shown = set(jpn_heatmap(after["dashboard"].body).values())
        if one_decimal(new_score) not in shown:
            raise Failed(
                f"B's dashboard does not show {one_decimal(new_score)} for {ECONOMY}: {shown}"
            )
        if jpn_heatmap(after["dashboard"].body) == jpn_heatmap(before["dashboard"].body):
            raise Failed("B's dashboard is the page from before the publish")
        if f'id="report-{report["id"]}"' not in after["economy page"].body:
            raise Failed(f"B's economy page does not list report {report['id']}")
        if after["scores API"].headers.get("etag") == before["scores API"].headers.get("etag"):
            raise Failed("B's scores ETag did not move with the publish")
        step(
            f"B shows the new figure everywhere: dashboard cell {one_decimal(new_score)}, "
            f"report {report['id']} on the economy page, scores API {new_score:.3f} "
            f"(A: {truth[instrument]:.3f}), new ETag"
        )
    finally:
        for server in servers:
            server.stop()
        if servers:
            step("servers stopped")
        try:
            psql(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            delete_redis_keys(args.redis_url, prefix)
            step(f"database {name} dropped, Redis keys {prefix}:* deleted")
        except (subprocess.SubprocessError, OSError) as error:
            print(f"cleaning up: {error}", file=sys.stderr)
    step(f"passed in {time.monotonic() - begun:.0f} s")


def redis_client(redis_url: str):
    import redis

    return redis.Redis.from_url(redis_url, socket_timeout=5, socket_connect_timeout=5)


def redis_keys(redis_url: str, prefix: str) -> list[bytes]:
    return list(redis_client(redis_url).scan_iter(match=f"{prefix}:*", count=1000))


def delete_redis_keys(redis_url: str, prefix: str) -> None:
    keys = redis_keys(redis_url, prefix)
    if keys:
        redis_client(redis_url).delete(*keys)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "TWO_SERVERS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/softlaw_twoservers"
        ),
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("TWO_SERVERS_REDIS_URL", "redis://127.0.0.1:6379/0"),
    )
    parser.add_argument("--ports", type=int, nargs=2, metavar="PORT", help="default: two free")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=300, help="seconds for the whole run")
    args = parser.parse_args()

    def out_of_time(signum, frame):
        raise OutOfTime(f"the run took longer than {args.timeout:.0f} s")

    signal.signal(signal.SIGALRM, out_of_time)
    signal.signal(signal.SIGTERM, out_of_time)
    signal.alarm(int(args.timeout))
    try:
        run(args)
    except (Failed, OutOfTime, subprocess.SubprocessError, OSError) as error:
        print(f"FAILED: {error}", file=sys.stderr)
        return 1
    finally:
        signal.alarm(0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
