#!/usr/bin/env bash
# Lighthouse mobile performance of the chart pages, as production serves them: a SQLite database
# with the reference data, collectstatic with STATIC_MANIFEST (hashed, compressed files), gunicorn
# with DEBUG off, Debian's Chromium. A benchmark, not a test: it prints the figures.
#
#   bash bench/lighthouse.sh                     # /economies/JPN/, /instruments/cbpr/, /trends/
#   PAGES="/ /compare/" bash bench/lighthouse.sh
#
# Lighthouse is not a project dependency: it is installed once into var/lighthouse from the npm
# registry (LIGHTHOUSE=/path/to/lighthouse uses another).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PY:-$ROOT/.venv/bin/python}
PORT=${PORT:-8109}
PAGES=${PAGES:-/economies/JPN/ /instruments/cbpr/ /trends/}
VAR=$ROOT/var/lighthouse
mkdir -p "$VAR"

LIGHTHOUSE=${LIGHTHOUSE:-$VAR/node_modules/.bin/lighthouse}
if [ ! -x "$LIGHTHOUSE" ]; then
  npm install --prefix "$VAR" --no-audit --no-fund --ignore-scripts --loglevel=error lighthouse@12
fi

export DATABASE_URL="sqlite:///$VAR/bench.sqlite3" STATIC_MANIFEST=true DEBUG=false \
  STATIC_ROOT="$VAR/static" WHITENOISE_USE_FINDERS=false LOG_LEVEL=ERROR
rm -f "$VAR/bench.sqlite3"
"$PY" manage.py migrate --noinput >/dev/null
"$PY" manage.py load_reference_data >/dev/null
"$PY" manage.py collectstatic --noinput --clear >/dev/null

"$ROOT/.venv/bin/gunicorn" softlaw.wsgi --bind "127.0.0.1:$PORT" --workers 2 --log-level error &
SERVER=$!
trap 'kill $SERVER' EXIT
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

# Each page RUNS times (median shown): Lighthouse's simulated mobile CPU scales with the machine's
# own load, so one run can be off by several points.
RUNS=${RUNS:-3}
printf '%-22s %5s %8s %8s %8s %8s   %s\n' page score FCP_ms LCP_ms TBT_ms JS_KB "scores of each run"
for page in $PAGES; do
  reports=()
  for run in $(seq 1 "$RUNS"); do
    report="$VAR/report$(echo "$page" | tr '/' '-')$run.json"
    for _try in 1 2 3; do  # a trace Lighthouse failed to record is retried
      CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium} "$LIGHTHOUSE" "http://127.0.0.1:$PORT$page" \
        --quiet --only-categories=performance --output=json --output-path="$report" \
        --chrome-flags="--headless --no-sandbox --disable-gpu" >/dev/null 2>&1 && break
    done
    reports+=("$report")
  done
  "$PY" - "$page" "${reports[@]}" <<'EOF_PY'
import json
import statistics
import sys

page, runs = sys.argv[1], [json.load(open(path)) for path in sys.argv[2:]]


def median(pick):
    return statistics.median(pick(r) for r in runs)


def script_bytes(r):
    items = r["audits"]["network-requests"]["details"]["items"]
    return sum(i.get("transferSize", 0) for i in items if i.get("resourceType") == "Script")


scores = [round(r["categories"]["performance"]["score"] * 100) for r in runs]
audit = lambda name: lambda r: r["audits"][name]["numericValue"]  # noqa: E731
print(
    f"{page:<22} {statistics.median(scores):>5.0f} {median(audit('first-contentful-paint')):>8.0f} "
    f"{median(audit('largest-contentful-paint')):>8.0f} {median(audit('total-blocking-time')):>8.0f} "
    f"{median(script_bytes) / 1024:>8.1f}   {scores}"
)
EOF_PY
done
