"""Settings for the Soft-Law Tracker, read from environment variables.

Every value that differs between a laptop and production comes from the environment through
the small typed helpers below; a bad value stops start-up with a message naming the variable.

Just over 400 lines: every setting with the comment that says why it is so, in one file.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
import dj_email_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false, 1/0, yes/no), not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_database(name: str, default: str) -> dict:
    raw = os.environ.get(name) or default
    try:
        config = dj_database_url.parse(raw, conn_max_age=env_int("CONN_MAX_AGE", 0))
    except Exception as exc:  # dj-database-url raises several types for a malformed URL
        raise ImproperlyConfigured(f"{name} is not a usable database URL ({raw!r}): {exc}") from exc
    if not config.get("ENGINE"):
        raise ImproperlyConfigured(f"{name} names an unsupported database: {raw!r}")
    # Drop a connection that died (for example a restarted PostgreSQL) before using it.
    config["CONN_HEALTH_CHECKS"] = True
    if config["ENGINE"] == "django.db.backends.postgresql":
        config.setdefault("OPTIONS", {})["connect_timeout"] = env_int("DATABASE_CONNECT_TIMEOUT", 5)
        # Downloads stream their rows through a server-side cursor; PgBouncer in transaction
        # mode cannot hold one across transactions (then each download's rows are read whole).
        config["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DISABLE_SERVER_SIDE_CURSORS", False)
    return config


DEBUG = env_bool("DEBUG", False)
# Production: the site is served only over HTTPS. Turns on the redirect, secure cookies and the
# HSTS preload defaults below, and makes a missing SECRET_KEY stop start-up.
HTTPS_ONLY = env_bool("HTTPS_ONLY", False)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("REQUIRE_SECRET_KEY", HTTPS_ONLY):
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when HTTPS_ONLY or REQUIRE_SECRET_KEY is true"
        )
    # A fixed key for local runs and tests only; production sets SECRET_KEY.
    SECRET_KEY = "insecure-local-key-set-SECRET_KEY-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "simple_history",
    "csp",
    "axes",
    "economies",
    "instruments",
    "tracker",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and X-Frame-Options on every response, static files and errors
    # included (WhiteNoise answers before the middleware below it runs).
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public pages from the page cache, before sessions and the rest (softlaw/page_cache.py).
    "softlaw.page_cache.PageCacheMiddleware",
    # A request that waited in line too long gets 503 at once (cached pages are still sent).
    "softlaw.overload.QueueTimeoutMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records who made each change in the history of every record.
    "simple_history.middleware.HistoryRequestMiddleware",
    # A database that cannot be reached is a 503 with Retry-After, not a 500.
    "softlaw.health.DatabaseUnavailableMiddleware",
    # Last, as django-axes requires: answers a locked-out sign-in with its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "softlaw.urls"
WSGI_APPLICATION = "softlaw.wsgi.application"
ASGI_APPLICATION = "softlaw.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis where REDIS_URL is set, shared by every app server; a Redis that goes away is no cache
# (with a logged warning), never a 500 (softlaw/cache.py). Else files in CACHE_DIR, shared by
# the worker processes of one machine (gunicorn.conf.py names var/cache when REDIS_URL is not
# set). Local memory otherwise (the development server, the tests).
CACHES = {
    "default": (
        {
            "BACKEND": "softlaw.cache.RedisCacheOrNone",
            "LOCATION": os.environ["REDIS_URL"],
            # Several sites (or test runs) can share one Redis database under their own prefix.
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", ""),
            # A Redis that does not answer costs a request a fraction of a second, not 30.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        if os.environ.get("REDIS_URL")
        else {
            "BACKEND": "softlaw.cache.FileCache",
            "LOCATION": os.environ["CACHE_DIR"],
            # Each state of the data keys its own pages; the older ones expire or are culled.
            "OPTIONS": {"MAX_ENTRIES": 3000},
        }
        if os.environ.get("CACHE_DIR")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Public pages are cached this many seconds under a key naming the state of the data, so a
# publish shows at once (0 turns the cache off), in the cache above.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)
# Each page is rendered once per state of the data: the requests that ask for it meanwhile wait
# for that render, this many seconds at most, then render it themselves.
PAGE_CACHE_LOCK_SECONDS = env_int("PAGE_CACHE_LOCK_SECONDS", 5)
# A worker process renders at most this many cacheable pages at a time (its threads share one
# interpreter lock); the others wait their turn this many seconds at most. 0: no limit.
PAGE_RENDERS_AT_ONCE = env_int("PAGE_RENDERS_AT_ONCE", 2)
PAGE_RENDER_TURN_SECONDS = env_float("PAGE_RENDER_TURN_SECONDS", 1.0)
# A request that waited longer than this many seconds before a worker started on it (by the
# proxy's X-Request-Start, or gunicorn's own queue: gunicorn.conf.py) is answered 503 with
# Retry-After at once, not served late (softlaw/overload.py). 0: never.
REQUEST_QUEUE_TIMEOUT = env_float("REQUEST_QUEUE_TIMEOUT", 2.0)
# What the page cache's version follows (softlaw.changes): the models whose changes show on the
# public pages, the relations of theirs that do not (naming an economy's officers changes
# nothing public), and the model that holds the number.
PUBLIC_MODELS = (
    "tracker.StatusReport",
    "economies.Economy",
    "instruments.Instrument",
    "instruments.Commitment",
    "instruments.Forum",
    "instruments.Theme",
    "tracker.ReportingRound",
)
PRIVATE_RELATIONS = ("economies.Economy.officers",)
# The public models besides reports: changes to these raise the catalogue's version too, which
# keys the API's lists that read nothing else (so those stay cached across publishes).
CATALOGUE_MODELS = (
    "economies.Economy",
    "instruments.Instrument",
    "instruments.Commitment",
    "instruments.Forum",
    "instruments.Theme",
)
DATA_VERSION_MODEL = "tracker.DataVersion"
# The numbers of the parts of the public pages keyed on their own scope (softlaw.changes).
SCOPE_VERSION_MODEL = "tracker.ScopeVersion"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where collectstatic writes (the production set-up serves from here).
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Built by the setup command from the npm packages in package-lock.json (`make install`: the
    # charts' own Chart.js build), never committed.
    BASE_DIR / "build" / "static",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Serve straight from the app folders when no collectstatic has run (local runs and tests).
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)

# --- API (/api/v1/) ---------------------------------------------------------------------------


def env_rate(name: str, default: str) -> str:
    """A throttle rate such as 600/minute (per second, minute, hour or day)."""
    raw = env_str(name, default).strip()
    number, _, period = raw.partition("/")
    if not number.isdigit() or period not in {"second", "minute", "hour", "day"}:
        raise ImproperlyConfigured(f"{name} must be a rate like 600/minute, not {raw!r}")
    return raw


REST_FRAMEWORK = {
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an unauthenticated write gets 401 with "WWW-Authenticate: Token".
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "softlaw.api.schema.TrackerAutoSchema",
    "EXCEPTION_HANDLER": "softlaw.api.errors.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    # Generous: a client syncing page by page, or the CI's schema fuzzing, stays well under.
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("API_ANON_RATE", "1200/minute"),
        "user": env_rate("API_USER_RATE", "3000/minute"),
    },
    # Behind a proxy, the number of proxies whose X-Forwarded-For to trust for client addresses.
    "NUM_PROXIES": env_int("API_NUM_PROXIES", 0) or None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Soft-Law Tracker API",
    "DESCRIPTION": (BASE_DIR / "softlaw" / "api" / "description.md").read_text(encoding="utf-8"),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Served by the project (drf-spectacular-sidecar): the docs work with no internet access.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "tracker.models.Status",
        "OriginEnum": "tracker.models.Origin",
        "ReviewStateEnum": "tracker.models.ReviewState",
    },
}

# --- Email (notices sent by `manage.py send_notifications`) ------------------------------------


def env_email(name: str) -> dict:
    """Email settings from one URL (smtp://user:password@host:587/?tls=True, submission://…,
    console://); empty when the variable is unset."""
    raw = os.environ.get(name, "")
    if not raw:
        return {}
    try:
        config = dj_email_url.parse(raw)
    except Exception as exc:  # dj-email-url raises several types for a malformed URL
        raise ImproperlyConfigured(f"{name} is not a usable email URL: {exc}") from exc
    if "EMAIL_BACKEND" not in config:
        raise ImproperlyConfigured(
            f"{name} must start with smtp://, submission://, console:// or file://"
        )
    return {key: value for key, value in config.items() if value not in (None, "")}


def env_url(name: str, default: str) -> str:
    raw = env_str(name, default).strip()
    if not raw.startswith(("http://", "https://")):
        raise ImproperlyConfigured(f"{name} must be an http(s) address, not {raw!r}")
    return raw.rstrip("/")


# The site's own address, for the links in notices (mail has no request to take it from).
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Soft-Law Tracker <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
_email = env_email("EMAIL_URL")
if _email:
    globals().update(_email)
elif os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env_str("EMAIL_HOST", "")
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
else:
    # No mail server named: local runs (DEBUG, as `make run`) print mails to the console;
    # production without one fails loudly at the first send rather than drop mail silently.
    EMAIL_BACKEND = (
        "django.core.mail.backends.console.EmailBackend"
        if DEBUG
        else "django.core.mail.backends.smtp.EmailBackend"
    )

# --- Security headers, cookies and HTTPS ----------------------------------------------------------
# Every value has a safe default; HTTPS_ONLY=true gives the production ones. `manage.py check
# --deploy` passes with no warning when HTTPS_ONLY, SECRET_KEY and ALLOWED_HOSTS are set.

# Only sent on HTTPS responses, so harmless over http on a laptop. Two years, the preload minimum.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 63072000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS_ONLY)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS_ONLY)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS_ONLY)
# Load balancers check health over plain http on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a load balancer that ends TLS and sets X-Forwarded-Proto (and strips it from clients).
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", HTTPS_ONLY)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", HTTPS_ONLY)
SESSION_COOKIE_HTTPONLY = True
# No script reads the CSRF cookie: forms carry the token, the API docs get it in their page.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# django-csp 4. The pages have no inline script or style; the only nonce is the API docs' start-up
# script (softlaw/api/docs.py, which also widens the policy for those two pages alone).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
    }
}

# --- Sign-in brute force (django-axes) ------------------------------------------------------
# Five failed sign-ins for one username from one address lock that pair out for 30 minutes; a
# success starts the count again. Attempts are kept in the database, shared by every app server.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The lock ends 30 minutes after the fifth failure, however often the sign-in is retried meanwhile.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "softlaw.security.locked_out"
# The client's address behind the load balancer, by the same API_NUM_PROXIES as the throttles.
AXES_CLIENT_IP_CALLABLE = "softlaw.security.client_address"
# Successful sign-ins are in the admin's log already; keep only the failures.
AXES_DISABLE_ACCESS_LOG = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
