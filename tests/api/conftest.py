"""A small, hand-checkable dataset and API clients for each persona.

Figures the tests work out by hand from this dataset (CBPR has two economy-scope commitments,
CBPR-ECON-5 weight 1 and CBPR-ECON-6 weight 2, and one collective one):

- JPN on CBPR: ECON-5 implemented (3 points), ECON-6 pilot (1 point):
  100 × (1·3 + 2·1) / ((1 + 2)·3) = 500/9 = 55.555…; coverage 2/2 = 1.
  As of 2019-06-30 only ECON-5 partial (2018) counts: 100 × 2/3 = 66.666…; coverage 1/2.
- SGP on CBPR: ECON-5 not applicable (left out, but covered), ECON-6 partial:
  100 × (2·2) / (2·3) = 66.666…; coverage 2/2 = 1. As of 2019-06-30: nothing, no data.
- PNG: no published report: score null, coverage 0.
- AIDER (one commitment, AIDER-KFA-01): JPN has only a draft, so no one has a score.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import make_commitment, make_economy, make_instrument, make_report
from tracker.models import Origin, ReviewState, StatusReport

JPN_CBPR = 500 / 9
SGP_CBPR = 400 / 6


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # Throttle counters live in the cache: each test starts with none spent.
    cache.clear()
    yield
    cache.clear()


@dataclass
class Dataset:
    jpn: object
    sgp: object
    png: object
    cbpr: object
    aider: object
    econ5: object
    econ6: object
    collective: object
    kfa1: object
    forum: object
    theme: object
    jpn_econ5_old: StatusReport
    jpn_econ5: StatusReport
    jpn_econ6: StatusReport
    sgp_econ5: StatusReport
    sgp_econ6: StatusReport
    jpn_draft: StatusReport
    sgp_draft: StatusReport


def _published(days_ago: int) -> datetime.datetime:
    return datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC) - datetime.timedelta(days=days_ago)


@pytest.fixture
def dataset(jpn, sgp, commitment) -> Dataset:
    from instruments.models import Forum, Theme

    forum = Forum.objects.create(short_name="ECSG", name="Electronic Commerce Steering Group")
    theme = Theme.objects.create(slug="privacy", name="Privacy")
    png = make_economy("PNG", iso_alpha2="PG", name="Papua New Guinea", subregion="Melanesia")
    cbpr = commitment.instrument
    cbpr.forum = forum
    cbpr.save()
    cbpr.themes.add(theme)
    econ5 = commitment
    econ6 = make_commitment(cbpr, "CBPR-ECON-6", weight=Decimal(2))
    collective = make_commitment(cbpr, "CBPR-SYS-1", scope="collective")
    aider = make_instrument("AIDER", adopted_on=datetime.date(2017, 11, 1))
    kfa1 = make_commitment(aider, "AIDER-KFA-01")
    return Dataset(
        jpn=jpn,
        sgp=sgp,
        png=png,
        cbpr=cbpr,
        aider=aider,
        econ5=econ5,
        econ6=econ6,
        collective=collective,
        kfa1=kfa1,
        forum=forum,
        theme=theme,
        jpn_econ5_old=make_report(
            jpn, econ5, "partial", "2018-03-01", published_at=_published(2000)
        ),
        jpn_econ5=make_report(
            jpn,
            econ5,
            "implemented",
            "2020-01-01",
            published_at=_published(1000),
            source_urls="https://cbprs.org/\nhttps://www.ppc.go.jp/",
        ),
        jpn_econ6=make_report(
            jpn,
            econ6,
            "pilot",
            "2021-05-01",
            target_date=datetime.date(2022, 12, 31),
            origin=Origin.SELF_REPORTED,
            published_at=_published(900),
        ),
        sgp_econ5=make_report(
            sgp, econ5, "not_applicable", "2020-02-01", published_at=_published(800)
        ),
        sgp_econ6=make_report(
            sgp,
            econ6,
            "partial",
            "2020-07-01",
            published_at=_published(700),
            evidence='=HYPERLINK("http://evil.example")',
        ),
        jpn_draft=make_report(jpn, kfa1, "planned", "2024-01-01", published=False),
        sgp_draft=make_report(sgp, kfa1, "pilot", "2024-01-01", published=False),
    )


@pytest.fixture
def api() -> APIClient:
    """An anonymous client."""
    return APIClient()


def _client_for(user) -> APIClient:
    client = APIClient()
    token = Token.objects.create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def api_officer_jpn(officer_jpn) -> APIClient:
    return _client_for(officer_jpn)


@pytest.fixture
def api_officer_sgp(officer_sgp) -> APIClient:
    return _client_for(officer_sgp)


@pytest.fixture
def api_reviewer(reviewer) -> APIClient:
    return _client_for(reviewer)


__all__ = ["JPN_CBPR", "SGP_CBPR", "ReviewState"]
