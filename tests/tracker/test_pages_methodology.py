"""The methodology page's parts generated from the data: reports per origin from the database,
the mapping rules and external sources from the reference data's files, and the rules for
printing numbers and for disagreeing origins."""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone

from tests.factories import make_commitment, make_economy, make_instrument, make_report
from tests.pages import page, text
from tracker import reference
from tracker.models import Origin, ReviewState

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "reference"


@pytest.fixture
def reports():
    jpn = make_economy("JPN", iso_alpha2="JP", name="Japan")
    c = make_commitment(make_instrument("CYBER"), "CYBER-LAW-1")
    make_report(jpn, c, "partial", "2019-01-01")
    make_report(jpn, c, "partial", "2020-01-01")
    for day in (1, 2, 3):
        make_report(
            jpn,
            c,
            "not_implemented",
            f"2021-01-0{day}",
            origin=Origin.INDEPENDENT,
            assessor="UNCTAD Global Cyberlaw Tracker",
            assessed_on=datetime.date(2026, 4, 27),
        )
    make_report(jpn, c, "implemented", "2022-01-01", published=False)  # a draft: not counted
    make_report(
        jpn,
        c,
        "implemented",
        "2022-02-01",
        published=False,
        review_state=ReviewState.WITHDRAWN,
        origin=Origin.SELF_REPORTED,
        published_at=timezone.now(),
        withdrawn_reason="Wrong law cited.",
    )


def test_methodology_counts_published_reports_per_origin(client, reports, settings, tmp_path):
    settings.REFERENCE_DATA_DIR = tmp_path
    html = page(client, "/methodology/")
    rows = dict(re.findall(r'<tr data-origin="(\w+)">(.*?)</tr>', html, re.S))
    assert {origin: text(row) for origin, row in rows.items()} == {
        "self_reported": "Self-reported by the economy 0 —",
        "secretariat": "Secretariat research 2 —",
        "independent": "Independent assessment 3 UNCTAD Global Cyberlaw Tracker, snapshot "
        "27 Apr 2026 (3)",
    }


def test_methodology_states_the_number_rule_and_the_disagreement_rule(client, settings, tmp_path):
    settings.REFERENCE_DATA_DIR = tmp_path
    html = text(page(client, "/methodology/"))
    assert "half up on the figure's decimal value" in html
    assert "62.5 to 0 decimals: 63" in html
    assert "0.05 to 1 decimal: 0.1" in html
    assert "99.95 to 1 decimal: 100.0" in html
    assert "2.675 to 2 decimals: 2.68" in html
    assert "where two of them give different statuses, the cell says disagree" in html
    assert "the report with the latest effective date counts" in html


def test_methodology_lists_rules_and_sources_from_the_reference_files(client, settings):
    settings.REFERENCE_DATA_DIR = FIXTURES
    html = page(client, "/methodology/")
    rules = re.findall(r'<div data-rule="(\w+)">(.*?)</div>', html, re.S)
    assert [(code, text(body)) for code, body in rules] == [
        (
            "R1",
            "R1 A law in force is implemented A data-protection law in force makes the economy "
            "&quot;partial&quot; or &quot;implemented&quot;, by its scope.",  # escaped quotes
        ),
        (
            "R2",
            "R2 Membership is a prerequisite ECON-1 (being an APEC member) is shown as "
            "eligibility, never scored.",
        ),
    ]
    sources = re.findall(r'<tr data-source="\d+">(.*?)</tr>', html, re.S)
    assert [text(s) for s in sources] == [
        "UNCTAD Global Cyberlaw Tracker 27 Apr 2026 Cybercrime, e-transactions, consumer "
        "protection and data-protection laws 52",
        "CBPR System directory 1 Mar 2026 Accountability agents and participating economies 25",
    ]
    assert 'href="https://www.cbprs.org/"' in html
    assert 'href="#rules"' in html and 'href="#sources"' in html


def test_methodology_leaves_the_sections_out_without_the_files(client, settings, tmp_path):
    settings.REFERENCE_DATA_DIR = tmp_path
    html = page(client, "/methodology/")
    assert 'id="rules"' not in html and 'id="sources"' not in html
    assert 'href="#rules"' not in html


def test_reader_refuses_a_file_without_its_columns(tmp_path):
    (tmp_path / "rules.csv").write_text("code,name\nR1,x\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"rules\.csv lacks the column"):
        reference.rules_read(directory=tmp_path)
    (tmp_path / "sources.csv").write_text(
        "name,url,snapshot_date,used_for,report_count\nX,,27 April,y,1\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match=r"sources\.csv line 2"):
        reference.sources_read(directory=tmp_path)


def test_reader_reads_the_fixture_files():
    assert [r.code for r in reference.rules_read(directory=FIXTURES)] == ["R1", "R2"]
    sources = reference.sources_read(directory=FIXTURES)
    assert sources[0].snapshot_date == datetime.date(2026, 4, 27)
    assert sources[0].report_count == 52
