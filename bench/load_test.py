"""Load test: gunicorn on loopback, 64 concurrent connections for 30 s over a mix of pages and
API calls, while a reviewer publishes reports through the API. Passes (exit 0) when there is no
connection error, no 5xx, and every publish the API acknowledged is published afterwards.

    .venv/bin/python bench/load_test.py
    .venv/bin/python bench/load_test.py --connections 64 --seconds 30 --port 8300 \\
        --database-url postgres://postgres@127.0.0.1:5432/softlaw_hardening_load

The database (its name must contain "load") is dropped and created afresh, then filled with
clearly marked synthetic data (manage.py generate_synthetic --scale region) and reports awaiting
review. Prints the figures: requests, requests per second, latency percentiles, status codes,
publishes acknowledged and found published.
"""

import argparse
import sys

from loadlib import Server, count_published, load, prepare, summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/softlaw_hardening_load"
    )
    parser.add_argument("--port", type=int, default=8300)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--reports", type=int, default=400, help="reports awaiting review")
    parser.add_argument(
        "--publish-interval",
        type=float,
        default=0.05,
        help="seconds from one publish's start to the next's",
    )
    args = parser.parse_args()

    env, setup = prepare(args.database_url, args.reports)
    server = Server(env, args.port, args.workers, args.threads)
    try:
        print(
            f"load: {args.connections} connections for {args.seconds:.0f} s on "
            f"127.0.0.1:{args.port} (gunicorn {args.workers} workers × {args.threads} threads)"
        )
        run = load(
            args.port,
            args.seconds,
            args.connections,
            setup,
            publish_interval=args.publish_interval,
        )
    finally:
        server.stop()

    figures = summary(run.samples, args.seconds)
    errors = figures["statuses"].get(0, 0)
    server_errors = sum(n for status, n in figures["statuses"].items() if status >= 500)
    other = sum(n for status, n in figures["statuses"].items() if 0 < status != 200)
    published = count_published(env, run.acknowledged)
    publishes = sorted(s.seconds * 1000 for s in run.samples if s.path == "POST publish") or [0]
    print(
        f"requests {figures['requests']}  ({figures['per_second']:.0f}/s)\n"
        f"latency ms: p50 {figures['p50_ms']:.0f}  p95 {figures['p95_ms']:.0f}  "
        f"p99 {figures['p99_ms']:.0f}  max {figures['max_ms']:.0f}\n"
        f"status codes {figures['statuses']} (503s refused as too busy: "
        f"{sum(1 for sample in run.samples if sample.error == 'busy')})\n"
        f"connection errors {errors}, 5xx {server_errors}, other non-200 {other}\n"
        f"publishes acknowledged {len(run.acknowledged)}, found published afterwards "
        f"{published}, refused {run.publish_failures}; each took ms: median "
        f"{publishes[len(publishes) // 2]:.0f}, max {publishes[-1]:.0f}"
    )
    failures = []
    if errors:
        failures.append(f"{errors} requests got no HTTP answer")
    if server_errors:
        failures.append(f"{server_errors} 5xx responses")
    if other:
        failures.append(f"{other} responses neither 200 nor 5xx")
    if published != len(run.acknowledged):
        failures.append(f"{len(run.acknowledged) - published} acknowledged publishes missing")
    if not run.acknowledged:
        failures.append("no publish was acknowledged")
    print("PASS" if not failures else "FAIL: " + "; ".join(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
