"""Fault test: PostgreSQL is restarted in the middle of the load test's load. Passes (exit 0) when
requests fail fast with 503 during the outage (every 503 within 5 s, no other 5xx, no request
left without an answer), succeed again within 5 s of the database being back, and every
publish the API acknowledged is published afterwards.

NEVER run this from the test suite or CI, and never against a PostgreSQL that other people
use: it restarts the whole cluster. By default it creates its own throw-away cluster
(pg_createcluster, port 8399), restarts that one, and drops it at the end:

    sudo .venv/bin/python bench/fault_test.py                 # private cluster 15/softlaw_fault
    .venv/bin/python bench/fault_test.py --cluster 15/main --port-db 5432 --yes-restart-shared

Restarts use `pg_ctlcluster --skip-systemctl-redirect VERSION NAME restart` only.
"""

import argparse
import subprocess
import sys
import time

from loadlib import Server, count_published, load, prepare, summary

FAIL_FAST = 5.0  # seconds: the longest a 503 may take
RECOVERY = 5.0  # seconds after PostgreSQL is back by which every request succeeds again


def pg_ready(port: int) -> bool:
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", str(port), "-q"]).returncode == 0


def create_private_cluster(version: str, name: str, port: int):
    # Loopback only, trust authentication: a scratch cluster that lives for one run.
    initdb = ["--auth-local=trust", "--auth-host=trust"]
    command = ["pg_createcluster", version, name, "-p", str(port), "--start", "--", *initdb]
    subprocess.run(command, check=True, capture_output=True)
    for _ in range(30):
        if pg_ready(port):
            return
        time.sleep(1)
    sys.exit(f"private cluster {version}/{name} did not start on port {port}")


def drop_private_cluster(version: str, name: str):
    subprocess.run(["pg_dropcluster", version, name, "--stop"], check=False, capture_output=True)


def reasons(samples) -> list[str]:
    """How many of these answers were of each status (and a 503's reason: busy, database)."""
    counts = {}
    for sample in samples:
        name = f"{sample.status} {sample.error}".strip()
        counts[name] = counts.get(name, 0) + 1
    return [f"{count} × {name}" for name, count in sorted(counts.items())]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cluster",
        default="15/softlaw_fault",
        help="VERSION/NAME to restart; softlaw_fault or softlaw_fault_… is a private cluster",
    )
    parser.add_argument(
        "--database-name", default="softlaw_hardening_fault", help="the database it fills"
    )
    parser.add_argument("--port-db", type=int, default=8399, help="the cluster's port")
    parser.add_argument(
        "--yes-restart-shared",
        action="store_true",
        help="allow restarting an existing cluster (others' connections will drop)",
    )
    parser.add_argument("--port", type=int, default=8301, help="gunicorn's port")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--restart-at", type=float, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--reports", type=int, default=400)
    parser.add_argument(
        "--publish-interval",
        type=float,
        default=0.05,
        help="seconds from one publish's start to the next's",
    )
    args = parser.parse_args()

    version, name = args.cluster.split("/")
    # Its own throw-away cluster, created and dropped here (a suffix lets two runs coexist).
    private = name == "softlaw_fault" or name.startswith("softlaw_fault_")
    if not private and not args.yes_restart_shared:
        sys.exit(f"{args.cluster} is not this script's own cluster: add --yes-restart-shared.")
    if private:
        drop_private_cluster(version, name)
        create_private_cluster(version, name, args.port_db)
    database_url = f"postgres://postgres@127.0.0.1:{args.port_db}/{args.database_name}"
    outage = {}

    def restart(begun):
        time.sleep(max(0.0, args.restart_at - (time.monotonic() - begun)))
        outage["down"] = time.monotonic() - begun
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "restart"],
            check=True,
        )
        while not pg_ready(args.port_db):
            time.sleep(0.05)
        outage["up"] = time.monotonic() - begun

    try:
        env, setup = prepare(database_url, args.reports)
        server = Server(env, args.port, args.workers, args.threads)
        try:
            print(
                f"fault: {args.connections} connections for {args.seconds:.0f} s; "
                f"restarting {args.cluster} at {args.restart_at:.0f} s"
            )
            run = load(
                args.port,
                args.seconds,
                args.connections,
                setup,
                publish_interval=args.publish_interval,
                during=restart,
            )
        finally:
            server.stop()
        published = count_published(env, run.acknowledged)
    finally:
        if private:
            drop_private_cluster(version, name)

    down, up = outage["down"], outage["up"]
    figures = summary(run.samples, args.seconds)
    unavailable = [s for s in run.samples if s.status == 503]
    no_answer = [s for s in run.samples if s.status == 0]
    other_5xx = [s for s in run.samples if s.status >= 500 and s.status != 503]
    slow_503 = [s for s in unavailable if s.seconds > FAIL_FAST]
    after = [s for s in run.samples if s.started >= up + RECOVERY]
    failed_after = [s for s in after if s.status != 200]
    first_ok = next((s for s in run.samples if s.started >= up and s.status == 200), None)
    recovered_in = (first_ok.started + first_ok.seconds - up) if first_ok else float("inf")
    during = [s for s in run.samples if down <= s.started < up]
    print(
        f"PostgreSQL down at {down:.1f} s, accepting connections again at {up:.1f} s "
        f"(outage {up - down:.1f} s)\n"
        f"requests {figures['requests']} ({figures['per_second']:.0f}/s), "
        f"status codes {figures['statuses']}: {', '.join(reasons(run.samples))}\n"
        f"during the outage: {len(during)} requests started, 503s {len(unavailable)}, "
        f"slowest 503 {max((s.seconds for s in unavailable), default=0) * 1000:.0f} ms\n"
        f"first success {recovered_in:.2f} s after PostgreSQL was back; "
        f"non-200 among the {len(after)} requests from {RECOVERY:.0f} s after: "
        f"{len(failed_after)} ({', '.join(reasons(failed_after)) or 'none'})\n"
        f"no answer {len(no_answer)}, 5xx other than 503 {len(other_5xx)}\n"
        f"publishes acknowledged {len(run.acknowledged)}, found published {published}, "
        f"refused {run.publish_failures}"
    )
    for sample in sorted(unavailable, key=lambda s: -s.seconds)[:5]:
        print(
            f"  slow 503: {sample.path} started at {sample.started:.2f} s, "
            f"answered after {sample.seconds * 1000:.0f} ms"
        )
    for sample in failed_after[:10]:
        print(
            f"  not 200 after recovery: {sample.status} {sample.error} {sample.path} started at "
            f"{sample.started:.2f} s, answered after {sample.seconds * 1000:.0f} ms"
        )
    failures = []
    if no_answer:
        failures.append(f"{len(no_answer)} requests got no HTTP answer")
    if other_5xx:
        failures.append(f"{len(other_5xx)} 5xx other than 503")
    if slow_503:
        failures.append(f"{len(slow_503)} 503s took over {FAIL_FAST:.0f} s")
    if failed_after or recovered_in > RECOVERY:
        failures.append(f"not recovered within {RECOVERY:.0f} s of PostgreSQL being back")
    if published != len(run.acknowledged):
        failures.append(f"{len(run.acknowledged) - published} acknowledged publishes lost")
    print("PASS" if not failures else "FAIL: " + "; ".join(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
