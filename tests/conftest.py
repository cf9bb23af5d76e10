"""Fixtures every test shares: the hand-worked region (tests/region.py) and users of each role."""

import os

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The real hasher is slow by design; tests only need passwords to match.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    # Tests that check the page cache turn it on themselves.
    settings.PAGE_CACHE_SECONDS = 0


def pytest_sessionfinish(session, exitstatus):
    """In CI a skipped test is a failed run: a test that cannot run there checks nothing."""
    if not os.environ.get("CI"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped:
        reporter.write_line(f"CI: {skipped} test(s) skipped; skipped tests fail CI.", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


# --- named personas ----------------------------------------------------------------------------
# Two economies with one commitment each, and one person for each role. Tests name the persona
# whose behaviour they check: test_officer_cannot_edit_other_economy.


@pytest.fixture
def jpn(db):
    from tests.factories import make_economy

    return make_economy("JPN", iso_alpha2="JP", name="Japan")


@pytest.fixture
def sgp(db):
    from tests.factories import make_economy

    return make_economy("SGP", iso_alpha2="SG", name="Singapore")


@pytest.fixture
def commitment(db):
    from tests.factories import make_commitment, make_instrument

    return make_commitment(make_instrument("CBPR"), "CBPR-ECON-5")


def _user(username, group=None, economies=(), **flags):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username, password="correct-horse-battery", **flags)
    if group:
        user.groups.add(Group.objects.get(name=group))
    for economy in economies:
        economy.officers.add(user)
    return user


@pytest.fixture
def officer_jpn(jpn):
    """Officer of Japan only."""
    return _user("officer_jpn", "Officers", [jpn], is_staff=True)


@pytest.fixture
def officer_sgp(sgp):
    """Officer of Singapore only."""
    return _user("officer_sgp", "Officers", [sgp], is_staff=True)


@pytest.fixture
def reviewer(db):
    """Secretariat reviewer: publishes or returns, any economy."""
    return _user("reviewer", "Reviewers", is_staff=True)


@pytest.fixture
def second_reviewer(db):
    """Another secretariat reviewer: the second pair of eyes on what the first one entered."""
    return _user("second_reviewer", "Reviewers", is_staff=True)


@pytest.fixture
def officer_reviewer(jpn):
    """Officer of Japan who is also a reviewer: may write Japan's reports, and publish the
    reports of others, but never one they entered or last changed."""
    from django.contrib.auth.models import Group

    user = _user("officer_reviewer", "Officers", [jpn], is_staff=True)
    user.groups.add(Group.objects.get(name="Reviewers"))
    return user


@pytest.fixture
def editor(db):
    """Secretariat editor: maintains economies, instruments and commitments."""
    return _user("editor", "Editors", is_staff=True)


@pytest.fixture
def anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


@pytest.fixture
def region(db):
    """The hand-worked small region of tests/region.py, whose every figure is computed by hand
    in the page tests."""
    from tests.region import build_region

    return build_region()
