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

"$ROOT/.venv/bin/gunicorn" tracker.wsgi --bind "127.0.0.1:$PORT" --workers 2 --log-level error &
SERVER=$!
trap 'kill $SERVER' EXIT
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

printf '%-22s %5s %8s %8s %8s %8s\n' page score FCP_ms LCP_ms TBT_ms JS_KB
for page in $PAGES; do
  report="$VAR/report$(echo "$page" | tr '/' '-').json"
  CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium} "$LIGHTHOUSE" "http://127.0.0.1:$PORT$page" \
    --quiet --only-categories=performance --output=json --output-path="$report" \
    --chrome-flags="--headless --no-sandbox --disable-gpu" >/dev/null
  "$PY" - "$report" "$page" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
a = r["audits"]
js = sum(i.get("transferSize", 0) for i in a["network-requests"]["details"]["items"]
         if i.get("resourceType") == "Script")
print(f"{sys.argv[2]:<22} {round(r['categories']['performance']['score'] * 100):>5} "
      f"{a['first-contentful-paint']['numericValue']:>8.0f} "
      f"{a['largest-contentful-paint']['numericValue']:>8.0f} "
      f"{a['total-blocking-time']['numericValue']:>8.0f} {js / 1024:>8.1f}")
EOF
done
