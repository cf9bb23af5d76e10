"""Where each status comes from: origin on every cell, report and download, the ?origin= filter,
and the cells where two origins' latest statuses disagree (tracker.selectors.cell_origins)."""

import datetime
import re
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import make_commitment, make_economy, make_instrument, make_report
from tests.pages import body, page, text
from tracker import selectors
from tracker.models import Origin, ReviewState, StatusReport

pytestmark = pytest.mark.django_db

UNCTAD = "UNCTAD Global Cyberlaw Tracker"
SNAPSHOT = datetime.date(2026, 4, 27)


@dataclass
class Cells:
    jpn: object
    sgp: object
    law: object  # the commitment the origins disagree on
    plan: object  # secretariat only
    secretariat: StatusReport
    independent: StatusReport
    withdrawn: StatusReport


@pytest.fixture
def cells():
    """Japan on CYBER: LAW-1 partial by the secretariat (2021) and not implemented by UNCTAD's
    independent assessment (2020, snapshot 27 Apr 2026): the figure follows the later effective
    date (partial, 2 points), the disagreement is shown. PLAN-1 implemented by the secretariat
    (3 points); a withdrawn independent report on it says nothing anywhere.
    Score = 100 × (2 + 3) / 6 = 83.3."""
    jpn = make_economy("JPN", iso_alpha2="JP", name="Japan")
    sgp = make_economy("SGP", iso_alpha2="SG", name="Singapore")
    cyber = make_instrument("CYBER", slug="cyber")
    law = make_commitment(cyber, "CYBER-LAW-1", order=1)
    plan = make_commitment(cyber, "CYBER-PLAN-1", order=2)
    independent = make_report(
        jpn,
        law,
        "not_implemented",
        "2020-01-01",
        origin=Origin.INDEPENDENT,
        assessor=UNCTAD,
        assessed_on=SNAPSHOT,
        evidence="No cybercrime law listed.",
    )
    secretariat = make_report(jpn, law, "partial", "2021-06-01", evidence="A draft law.")
    make_report(jpn, plan, "implemented", "2019-01-01")
    withdrawn = make_report(
        jpn,
        plan,
        "not_implemented",
        "2022-01-01",
        published=False,
        review_state=ReviewState.WITHDRAWN,
        origin=Origin.INDEPENDENT,
        assessor=UNCTAD,
        published_at=timezone.now(),
        withdrawn_reason="Superseded by the secretariat's finding.",
        withdrawn_at=timezone.now(),
        evidence="Withdrawn evidence text.",
    )
    make_report(sgp, law, "implemented", "2020-01-01", origin=Origin.SELF_REPORTED)
    return Cells(jpn, sgp, law, plan, secretariat, independent, withdrawn)


def test_cell_origins_keeps_the_latest_of_each_origin_in_one_query(cells):
    # The latest report of each origin on each cell, one range read (origin_until).
    with CaptureQueriesContext(connection) as queries:
        found = selectors.cell_origins()
    assert len(queries) == 1
    law = found[(cells.jpn.pk, cells.law.pk)]
    assert [(s.origin, s.status) for s in law.latest] == [
        ("secretariat", "partial"),
        ("independent", "not_implemented"),
    ]
    assert law.disagree
    # The figure's status: the latest effective date over all origins.
    assert law.current.report_id == cells.secretariat.pk
    assert [s.report_id for s in law.others()] == [cells.independent.pk]
    assert law.latest[1].assessor == UNCTAD and law.latest[1].assessed_on == SNAPSHOT
    # The withdrawn report is no origin's latest: the plan's cell has one origin and no
    # disagreement.
    plan = found[(cells.jpn.pk, cells.plan.pk)]
    assert [(s.origin, s.effective_date) for s in plan.latest] == [
        ("secretariat", datetime.date(2019, 1, 1))
    ]
    assert not plan.disagree and plan.current.origin == "secretariat"
    sgp = found[(cells.sgp.pk, cells.law.pk)]
    assert sgp.current.origin == "self_reported" and not sgp.disagree
    assert cells.withdrawn.pk not in {s.report_id for c in found.values() for s in c.latest}
    # As of 2020-06-30 only the independent assessment was in force: nothing to disagree with.
    before = selectors.cell_origins(as_of=datetime.date(2020, 6, 30))
    assert not before[(cells.jpn.pk, cells.law.pk)].disagree


def test_a_later_report_of_the_same_origin_settles_the_disagreement(cells):
    make_report(
        cells.jpn,
        cells.law,
        "partial",
        "2022-01-01",
        origin=Origin.INDEPENDENT,
        assessor=UNCTAD,
        assessed_on=SNAPSHOT,
    )
    assert not selectors.cell_origins()[(cells.jpn.pk, cells.law.pk)].disagree


def test_the_query_count_does_not_grow_with_cells(cells):
    for _n in range(5):
        economy = make_economy()
        make_report(economy, cells.law, "pilot", "2020-01-01")
        make_report(economy, cells.law, "partial", "2021-01-01", origin=Origin.INDEPENDENT)
    with CaptureQueriesContext(connection) as queries:
        found = selectors.cell_origins()
    assert len(queries) == 1
    assert sum(c.disagree for c in found.values()) == 6
    # And with no cell where two origins speak, the same one query.
    with CaptureQueriesContext(connection) as queries:
        found = selectors.cell_origins(economy_ids=[cells.sgp.pk])
    assert len(queries) == 1 and not any(c.disagree for c in found.values())


def commitment_row(html: str, code: str) -> str:
    match = re.search(rf'<tr id="c-{code}" data-commitment="{code}">(.*?)</tr>', html, re.S)
    assert match, code
    return text(match.group(1))


def test_economy_page_row_says_where_the_status_comes_from_and_that_sources_disagree(client, cells):
    html = page(client, "/economies/JPN/")
    law = commitment_row(html, "CYBER-LAW-1")
    assert "Partially implemented" in law  # the figure's status
    assert "Secretariat research" in law
    assert (
        "Sources disagree. Independent assessment: UNCTAD Global Cyberlaw Tracker, snapshot "
        "27 Apr 2026: ✖ Not implemented since 1 Jan 2020 . The score uses the status above" in law
    )
    plan = commitment_row(html, "CYBER-PLAN-1")
    assert "disagree" not in plan and "Fully implemented" in plan
    # The score follows the current-status rule: 100 × (2 + 3) / 6.
    assert 'data-field="score">83.3</td>' in html
    # The timeline names the assessor of each independent report; the withdrawn one is absent.
    assert "Independent assessment: UNCTAD Global Cyberlaw Tracker, snapshot 27 Apr 2026" in (
        text(html.split(f'id="report-{cells.independent.pk}"')[1][:2000])
    )
    assert "Withdrawn evidence text." not in html
    # It is kept in the cell's public history, marked withdrawn with its reason, and in no
    # figure: PLAN-1 stays fully implemented.
    withdrawn = re.search(
        rf'<li id="report-{cells.withdrawn.pk}" data-withdrawn[^>]*>(.*?)</li>', html, re.S
    )
    assert text(withdrawn.group(1)) == (
        "1 Jan 2022 CYBER-PLAN-1 (CYBER): Not implemented withdrawn on "
        f"{timezone.localtime(cells.withdrawn.withdrawn_at):%-d %b %Y}: Superseded by the "
        "secretariat&#x27;s finding. Independent assessment: UNCTAD Global Cyberlaw Tracker"
    )
    assert html.count(f'id="report-{cells.withdrawn.pk}"') == 1


def test_instrument_matrix_cell_shows_origin_and_disagreement_in_words(client, cells):
    html = page(client, "/instruments/cyber/")
    row = re.search(r'<tr data-economy="JPN">(.*?)</tr>', html, re.S)
    cells_html = re.findall(r'<td class="status-cell".*?</td>', row.group(1), re.S)
    law, plan = (text(c) for c in cells_html)
    assert law.startswith("◑ Partial Partially implemented Sec. Secretariat research")
    assert (
        "Disagrees: Ind. Independent assessment: UNCTAD Global Cyberlaw Tracker, snapshot "
        "27 Apr 2026 ✖ Not impl. Not implemented" in law
    )
    assert "Disagrees" not in plan and "Secretariat research" in plan
    sgp = re.search(r'<tr data-economy="SGP">(.*?)</tr>', html, re.S).group(1)
    assert "Self-reported by the economy" in text(sgp)


def test_dashboard_cell_lists_origins_and_counts_disagreements(client, cells):
    html = page(client, "/")
    jpn = re.search(r'<td class="cell [^"]*" data-economy="JPN".*?</td>', html, re.S).group(0)
    assert "83" in text(jpn)
    assert "From: Sec. Secretariat research" in text(jpn)
    assert "1 disagreement between sources" in text(jpn)
    sgp = re.search(r'<td class="cell [^"]*" data-economy="SGP".*?</td>', html, re.S).group(0)
    assert "Self-reported by the economy" in text(sgp) and "disagree" not in sgp


def test_updates_name_the_origin_and_filter_by_it(client, cells):
    html = page(client, "/updates/")
    entry = re.search(
        rf'<li class="update" id="update-{cells.independent.pk}">(.*?)</li>', html, re.S
    ).group(1)
    assert "Independent assessment: UNCTAD Global Cyberlaw Tracker, snapshot 27 Apr 2026" in (
        text(entry)
    )
    assert f"update-{cells.withdrawn.pk}" not in html
    only = page(client, "/updates/?origin=independent")
    assert re.findall(r'id="update-(\d+)"', only) == [str(cells.independent.pk)]
    both = page(client, "/updates/?origin=independent,self_reported")
    assert len(re.findall(r'id="update-(\d+)"', both)) == 2
    assert '<option value="independent" selected>' in only


def test_a_bad_origin_is_a_400_on_the_page_the_download_and_the_api(client, cells):
    response = client.get("/updates/?origin=rumour")
    assert response.status_code == 400
    assert "origin" in response.content.decode() and "rumour" in response.content.decode()
    assert client.get("/data/download/reports.csv?origin=rumour").status_code == 400
    assert client.get("/api/v1/reports/?origin=rumour").status_code == 400
    assert client.get("/api/v1/status/?origin=rumour").status_code == 400


def test_api_serves_assessor_and_snapshot_date_and_filters_by_origin(client, cells):
    rows = client.get("/api/v1/reports/?origin=independent").json()["results"]
    assert [(r["id"], r["assessor"], r["assessed_on"]) for r in rows] == [
        (cells.independent.pk, UNCTAD, "2026-04-27")
    ]
    status = client.get("/api/v1/status/?economy=JPN&commitment=CYBER-LAW-1").json()["results"]
    assert [(s["origin"], s["assessor"], s["assessed_on"]) for s in status] == [
        ("secretariat", "", None)
    ]


def test_downloads_carry_origin_assessor_and_snapshot_date(client, cells):
    import csv
    import io

    def rows(url):
        response = client.get(url)
        assert response.status_code == 200
        return list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))

    reports = rows("/data/download/reports.csv")
    independent = [r for r in reports if r["report_id"] == str(cells.independent.pk)]
    assert [(r["origin"], r["assessor"], r["assessed_on"]) for r in independent] == [
        ("independent", UNCTAD, "2026-04-27")
    ]
    assert str(cells.withdrawn.pk) not in {r["report_id"] for r in reports}
    only = rows("/data/download/reports.csv?origin=independent")
    assert [r["report_id"] for r in only] == [str(cells.independent.pk)]
    status = rows("/data/download/status.csv?origin=self_reported")
    assert [(r["economy"], r["origin"]) for r in status] == [("SGP", "self_reported")]


def test_feed_entries_name_the_assessor(client, cells):
    feed = client.get("/updates/feed/").content.decode()
    assert "(Independent assessment: UNCTAD Global Cyberlaw Tracker, snapshot 27 Apr 2026)" in feed
