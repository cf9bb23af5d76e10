"""Security headers on every response: the public pages, the downloads and feed, the API and its
docs, the admin, errors and static files. Each response is scored by the Mozilla HTTP Observatory's
published header rules (httpobs/docs/scoring.md: baseline 100, penalties, and bonuses only
once the score without them is 90 or more); the bar is A+, a score of 100 or more."""

import re

import pytest
from django.contrib.auth.models import User

from tests.region import build_region

HSTS_SIX_MONTHS = 15768000

PUBLIC = [
    "/",
    "/?as_of=2015-12-31",
    "/economies/",
    "/economies/JPN/",
    "/instruments/",
    "/instruments/cbpr/",
    "/compare/?economies=JPN,SGP,PNG",
    "/trends/",
    "/methodology/",
    "/data/",
    "/updates/",
    "/updates/feed/",
    "/data/download/status.csv",
    "/api/v1/",
    "/api/v1/economies/",
    "/api/v1/scores/",
    "/api/v1/schema/",
    "/api/v1/docs/",
    "/api/v1/redoc/",
    "/admin/login/",
    "/static/favicon.svg",
    "/healthz",
    "/no-such-page/",
    "/economies/XXX/",
    "/api/v1/no-such-resource/",
]
ADMIN = [
    "/admin/",
    "/admin/tracker/statusreport/",
    "/admin/tracker/statusreport/import/",
    "/admin/economies/economy/",
    "/admin/authtoken/tokenproxy/",
]


def parse_csp(header: str) -> dict[str, list[str]]:
    policy = {}
    for directive in header.split(";"):
        name, *sources = directive.split()
        policy[name.lower()] = sources
    return policy


def observatory_score(response) -> tuple[int, dict[str, int]]:
    """The Observatory's header tests for one HTTPS response: (score, {test result: modifier})."""
    modifiers = {}
    csp_header = response.headers.get("Content-Security-Policy")
    csp = parse_csp(csp_header) if csp_header else {}
    script = csp.get("script-src", csp.get("default-src"))
    style = csp.get("style-src", csp.get("default-src", []))
    if not csp:
        modifiers["csp-not-implemented"] = -25
    elif (
        script is None
        or {"'unsafe-inline'", "data:", "*"} & set(script)
        or csp.get("object-src", csp.get("default-src")) not in (["'none'"], ["'self'"])
    ):
        modifiers["csp-implemented-with-unsafe-inline"] = -20
    elif "'unsafe-eval'" in script:
        modifiers["csp-implemented-with-unsafe-eval"] = -10
    elif "'unsafe-inline'" in style or "data:" in style:
        modifiers["csp-implemented-with-unsafe-inline-in-style-src-only"] = 0
    elif csp.get("default-src") == ["'none'"]:
        modifiers["csp-implemented-with-no-unsafe-default-src-none"] = 10
    else:
        modifiers["csp-implemented-with-no-unsafe"] = 5

    cookies = list(response.cookies.values())
    if not cookies:
        modifiers["cookies-not-found"] = 0
    elif not all(cookie["secure"] for cookie in cookies):
        modifiers["cookies-without-secure-flag"] = -20
    elif not all(c["httponly"] for c in cookies if "session" in c.key or "csrf" in c.key):
        modifiers["cookies-session-without-httponly-flag"] = -30
    elif all(cookie["samesite"].lower() in ("strict", "lax") for cookie in cookies):
        modifiers["cookies-secure-with-httponly-sessions-and-samesite"] = 5
    else:
        modifiers["cookies-samesite-flag-invalid"] = -20

    hsts = re.search(r"max-age=(\d+)", response.headers.get("Strict-Transport-Security", ""))
    if hsts is None:
        modifiers["hsts-not-implemented"] = -20
    elif int(hsts.group(1)) < HSTS_SIX_MONTHS:
        modifiers["hsts-implemented-max-age-less-than-six-months"] = -10
    else:
        modifiers["hsts-implemented-max-age-at-least-six-months"] = 0

    referrer = response.headers.get("Referrer-Policy", "").split(",")[-1].strip().lower()
    private = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
    if referrer in private:
        modifiers["referrer-policy-private"] = 5
    elif not referrer:
        modifiers["referrer-policy-not-implemented"] = 0
    else:
        modifiers["referrer-policy-unsafe"] = -5

    if response.headers.get("X-Content-Type-Options", "").lower() == "nosniff":
        modifiers["x-content-type-options-nosniff"] = 0
    else:
        modifiers["x-content-type-options-not-implemented"] = -5

    if "frame-ancestors" in csp:
        modifiers["x-frame-options-implemented-via-csp"] = 5
    elif response.headers.get("X-Frame-Options", "").upper() in ("DENY", "SAMEORIGIN"):
        modifiers["x-frame-options-sameorigin-or-deny"] = 0
    else:
        modifiers["x-frame-options-not-implemented"] = -20

    # A policy with no unsafe script source makes X-XSS-Protection unnecessary.
    strong = any(name.startswith("csp-implemented-with-no-unsafe") for name in modifiers)
    strong = strong or "csp-implemented-with-unsafe-inline-in-style-src-only" in modifiers
    if strong or response.headers.get("X-XSS-Protection", "").startswith("1"):
        modifiers["x-xss-protection-not-needed-due-to-csp"] = 0
    else:
        modifiers["x-xss-protection-not-implemented"] = -10

    penalties = 100 + sum(value for value in modifiers.values() if value < 0)
    bonuses = sum(value for value in modifiers.values() if value > 0)
    return max(penalties + (bonuses if penalties >= 90 else 0), 0), modifiers


def assert_hardened(response, path):
    headers = response.headers
    csp = parse_csp(headers["Content-Security-Policy"])
    assert "'unsafe-inline'" not in csp["script-src"], path
    assert "'unsafe-eval'" not in csp["script-src"], path
    assert csp["object-src"] == ["'none'"], path
    assert csp["base-uri"] == ["'none'"], path
    assert csp["frame-ancestors"] == ["'none'"], path
    assert csp["default-src"] == ["'none'"], path
    assert headers["Strict-Transport-Security"].startswith("max-age=63072000"), path
    assert headers["X-Content-Type-Options"] == "nosniff", path
    assert headers["Referrer-Policy"] == "same-origin", path
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin", path
    assert headers["X-Frame-Options"] == "DENY", path
    score, modifiers = observatory_score(response)
    assert score >= 100, (path, score, modifiers)
    return score


@pytest.fixture
def production(settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = settings.SECURE_HSTS_PRELOAD = True
    return settings


@pytest.mark.django_db
def test_every_public_response_is_hardened_and_scores_a_plus(client, production):
    build_region()
    for path in PUBLIC:
        response = client.get(path, secure=True)
        assert response.status_code in (200, 404), path
        assert_hardened(response, path)
    home = client.get("/", secure=True)
    # Strict policy, no cookie, private referrer, frame-ancestors: 100 + 10 + 5 + 5.
    assert observatory_score(home)[0] == 120


@pytest.mark.django_db
def test_admin_pages_and_login_cookies_are_hardened(client, production):
    User.objects.create_superuser("root", password="correct-horse-battery")
    login = client.get("/admin/login/", secure=True)
    assert_hardened(login, "/admin/login/")
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "root", "password": "correct-horse-battery"},
        secure=True,
    )
    assert response.status_code == 302
    # The session cookie is Secure, HttpOnly and SameSite: the Observatory's +5.
    assert response.cookies["sessionid"]["secure"] and response.cookies["sessionid"]["httponly"]
    score, modifiers = observatory_score(response)
    assert modifiers["cookies-secure-with-httponly-sessions-and-samesite"] == 5
    assert score == 125
    for path in ADMIN:
        page = client.get(path, secure=True)
        assert page.status_code == 200, path
        assert_hardened(page, path)


@pytest.mark.django_db
def test_api_docs_allow_only_their_nonced_start_up_script(client, production):
    for path in ("/api/v1/docs/", "/api/v1/redoc/"):
        response = client.get(path, secure=True)
        csp = parse_csp(response.headers["Content-Security-Policy"])
        nonce = next(source for source in csp["script-src"] if source.startswith("'nonce-"))
        body = response.content.decode()
        inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", body)
        assert inline == [f' nonce="{nonce[7:-1]}"'], path
        # Styles injected at run time by the viewers: the one widening, and only here.
        assert csp["style-src"] == ["'self'", "'unsafe-inline'"], path
        assert csp["worker-src"] == ["blob:"], path
        # 'unsafe-inline' in style-src only: 0, where the site's strict policy earns +10. Then
        # referrer +5, frame-ancestors +5, and on Swagger UI (which sends the CSRF token with
        # its "Try it out" requests) the CSRF cookie, Secure, HttpOnly and SameSite: +5.
        score, modifiers = observatory_score(response)
        assert modifiers["csp-implemented-with-unsafe-inline-in-style-src-only"] == 0, path
        assert score == (115 if path == "/api/v1/docs/" else 110), (path, modifiers)
    # A fresh nonce on every response.
    first, second = (client.get("/api/v1/docs/").headers["Content-Security-Policy"] for _ in "12")
    assert first != second
    # The public pages have no nonce and no inline styles.
    home = parse_csp(client.get("/api/v1/").headers["Content-Security-Policy"])
    assert home["script-src"] == ["'self'"]
    assert home["style-src"] == ["'self'"]


def test_the_scorer_follows_the_published_table(rf):
    """The scorer, checked on hand-built responses with the modifiers worked out by hand."""
    from django.http import HttpResponse

    bare = HttpResponse("x")
    # No CSP −25, no HSTS −20, no XFO −20, no nosniff −5, no X-XSS-Protection −10 → 20.
    assert observatory_score(bare)[0] == 20
    weak = HttpResponse("x")
    weak["Content-Security-Policy"] = "default-src 'self'; script-src 'self' 'unsafe-inline'"
    weak["Strict-Transport-Security"] = "max-age=300"
    weak["X-Content-Type-Options"] = "nosniff"
    weak["X-Frame-Options"] = "DENY"
    weak["Referrer-Policy"] = "unsafe-url"
    weak.set_cookie("sessionid", "1")
    # unsafe-inline −20, short HSTS −10, unsafe referrer −5, insecure cookie −20, X-XSS −10 → 35.
    assert observatory_score(weak)[0] == 35


@pytest.mark.django_db
def test_admin_history_pages_carry_no_inline_style_the_policy_refuses(admin_client):
    """style-src has no 'unsafe-inline': a style attribute would be dropped by the browser."""
    from tests.factories import make_commitment, make_economy, make_instrument, make_report

    economy = make_economy()
    commitment = make_commitment(make_instrument())
    report = make_report(economy, commitment, "partial", "2020-01-01")
    for url in (
        f"/admin/economies/economy/{economy.pk}/history/",
        f"/admin/instruments/instrument/{commitment.instrument_id}/history/",
        f"/admin/instruments/commitment/{commitment.pk}/history/",
        f"/admin/tracker/statusreport/{report.pk}/history/",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert "'unsafe-inline'" not in response["Content-Security-Policy"].split("style-src")[1]
        assert not re.findall(r'<[^>]+ style="', response.content.decode()), url
