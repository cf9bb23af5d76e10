# Two commands do all set-up on a fresh machine:
#   make run    — virtual environment, dependencies, SQLite database with the reference data,
#                 a demo admin, and the site on http://127.0.0.1:$(PORT)
#   make test   — the same set-up, then the whole test suite (browser tests included)
# DATABASE_URL=postgres://… points either command at PostgreSQL.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test install browser redis lint serve bench wrk

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

# No install scripts: esbuild's binary comes as an npm package of its own, and vnu-jar's would
# fetch a Java runtime (Debian's is used instead, see `browser`).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error --ignore-scripts
	touch $@

# The charts' own Chart.js build (assets/charts-lib.js): only the chart types and components the
# pages draw, bundled from the locked npm packages into build/static/ (never committed), which the
# site serves as static/vendor/chartjs/chart.min.js.
CHART_BUNDLE := build/static/vendor/chartjs/chart.min.js
$(CHART_BUNDLE): assets/charts-lib.js node_modules/.installed
	node_modules/.bin/esbuild assets/charts-lib.js --bundle --minify --format=iife --target=es2017 \
	  --legal-comments=eof --log-level=warning --outfile=$@

install: $(VENV)/.installed node_modules/.installed $(CHART_BUNDLE)

# The browser tests drive Debian's Chromium, and check every page's HTML with the Nu Html Checker
# (vnu-jar from npm), which runs on Debian's Java; install both when this machine can.
browser:
	@test -x /usr/bin/chromium && command -v java >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Chromium and Java for the browser tests…"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      chromium default-jre-headless >/dev/null); \
	  else echo "Chromium or Java is missing: install Debian's chromium and default-jre-headless" \
	    "packages (sudo apt-get install chromium default-jre-headless)."; fi; }

# The tests use the local Redis (127.0.0.1:6379) for the shared cache: start it when it is not
# answering, installing Debian's redis-server first when this machine can.
redis:
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { \
	  command -v redis-server >/dev/null || { \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	      echo "Installing Redis for the tests…"; \
	      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null); \
	    else echo "Redis is missing: install Debian's redis-server package (sudo apt-get install redis-server)."; fi; }; \
	  redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save '' --appendonly no >/dev/null; }

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_reference_data
	DEBUG=true $(PY) manage.py demo_admin
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install browser redis
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

# The benchmark (README, "Performance"): PostgreSQL must be running; wrk measures throughput.
wrk:
	@command -v wrk >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing wrk for the throughput figures…"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null); \
	  else echo "wrk is missing: install Debian's wrk package (sudo apt-get install wrk)."; fi; }

BENCH_ARGS ?=
bench: install wrk
	$(PY) bench/run.py $(BENCH_ARGS)
