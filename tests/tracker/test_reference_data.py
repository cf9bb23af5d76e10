"""The shipped reference data loads, is sourced, says what the figures rest on, and loading it
again changes nothing. The figures are worked out by hand from reference_data/reports.csv."""

import datetime
import io
import urllib.parse
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from economies.models import Economy
from instruments.models import Commitment, Instrument
from tracker import reference, scoring
from tracker.management.commands.load_reference_data import read_rows
from tracker.models import Origin, ReviewState, StatusReport

pytestmark = pytest.mark.django_db

DATA = Path(settings.BASE_DIR) / "reference_data"
TODAY = datetime.date(2026, 12, 1)  # the day of the audit the data was rebuilt for
MIRROR_HOSTS = ("dev2.ts-export.com",)


def header(name: str) -> str:
    with (DATA / name).open(encoding="utf-8") as handle:
        return handle.readline().strip()


@pytest.fixture
def loaded():
    call_command("load_reference_data", stdout=io.StringIO())


def scores_by_code(slug: str) -> dict[str, float | None]:
    instrument = Instrument.objects.get(slug=slug)
    codes = dict(Economy.objects.values_list("pk", "code"))
    scores = scoring.scores_for_region(instrument_ids=[instrument.pk])
    by_code = {code: None for code in codes.values()}
    by_code.update({codes[economy_id]: s.score for (economy_id, _), s in scores.items()})
    return by_code


def test_loads_the_21_economies_and_every_instrument(loaded):
    assert Economy.objects.count() == 21
    assert Instrument.objects.count() == 25
    assert Commitment.objects.count() == 85
    assert StatusReport.objects.count() == 394


def test_second_load_changes_nothing(loaded, capsys):
    history_before = (
        StatusReport.history.count(),
        Economy.history.count(),
        Commitment.history.count(),
    )
    call_command("load_reference_data")
    output = capsys.readouterr().out
    for line in output.strip().splitlines():
        assert ": 0 created, 0 updated, " in line, line
    assert "withdrawn" not in output
    assert StatusReport.objects.count() == 394
    after = (StatusReport.history.count(), Economy.history.count(), Commitment.history.count())
    assert after == history_before


def test_every_report_is_published_sourced_and_on_an_economy_commitment(loaded):
    reports = StatusReport.objects.select_related("commitment")
    assert all(r.review_state == ReviewState.PUBLISHED for r in reports)
    assert all(r.evidence.strip() and r.source_url_list for r in reports)
    assert all(r.commitment.scope == Commitment.Scope.ECONOMY for r in reports)
    by_origin = {}
    for r in reports:
        by_origin[r.origin] = by_origin.get(r.origin, 0) + 1
        if r.origin == Origin.INDEPENDENT:
            assert (r.assessor, r.assessed_on) == (
                "UNCTAD Global Cyberlaw Tracker",
                datetime.date(2026, 4, 27),
            )
        else:
            assert (r.assessor, r.assessed_on) == ("", None)
    # 19 economies UNCTAD covers: cybercrime and e-transactions laws for all 19, consumer
    # protection for 16 (PNG, RUS and SGP: "No Legislation", which gives no report there).
    assert by_origin == {Origin.SECRETARIAT: 340, Origin.INDEPENDENT: 19 + 19 + 16}


def test_no_source_is_a_mirror(loaded):
    for report in StatusReport.objects.all():
        assert not any(host in report.source_urls for host in MIRROR_HOSTS)
        assert not any(host in report.evidence for host in MIRROR_HOSTS)
    for commitment in Commitment.objects.all():
        assert not any(host in commitment.source_url for host in MIRROR_HOSTS)
    assert StatusReport.objects.filter(source_urls="https://cbprs.org/documents/").count() == 25


def test_cbpr_membership_is_not_scored_and_participation_is_uneven(loaded):
    econ_1 = Commitment.objects.get(code="CBPR-ECON-1")
    assert econ_1.scope == Commitment.Scope.COLLECTIVE
    assert "Eligibility prerequisite, met by all 21 APEC economies" in econ_1.description
    assert not econ_1.reports.exists()
    assert not Commitment.objects.get(code="CBPR-ECON-2").prerequisites.exists()

    by_code = scores_by_code("cbpr")
    # ECON-2 to ECON-5 (six steps). The nine participants took all six; Hong Kong and New
    # Zealand take part in the CPEA (ECON-2, 3 points) but not CBPR (ECON-5, 0): 3 / 6; the
    # other ten are absent from both lists: 0. No one is at 33.3 for membership alone.
    participants = {"AUS", "CAN", "JPN", "KOR", "MEX", "PHL", "SGP", "TWN", "USA"}
    for code, score in by_code.items():
        expected = 100 if code in participants else 50 if code in {"HKG", "NZL"} else 0
        assert score == pytest.approx(expected), code
    values = [100] * 9 + [50] * 2 + [0] * 10
    mean = sum(values) / 21
    gini = sum(abs(a - b) for a in values for b in values) / (2 * 21 * 21 * mean)
    assert gini == pytest.approx(21800 / 42000)
    regional = scoring.regional_compute(by_code.values())
    assert regional.gini == pytest.approx(gini)
    assert round(regional.gini, 1) == 0.5


def test_chile_is_partial_on_the_privacy_framework_and_not_overdue(loaded):
    chile = Economy.objects.get(code="CHL")
    assert scores_by_code("privacy-fw")["CHL"] == pytest.approx(100 * 2 / 3)
    principles = Commitment.objects.filter(instrument__slug="privacy-fw")
    statuses = scoring.current_statuses(
        economy_ids=[chile.pk], commitment_ids=principles.values_list("pk", flat=True)
    )
    assert len(statuses) == 9
    for status in statuses.values():
        assert status.status == "partial"
        assert status.target_date == datetime.date(2026, 12, 1)
        assert not status.is_overdue(TODAY)
    assert not StatusReport.objects.filter(economy=chile, status="planned").exists()
    # Law 19.628 already made it partial from the Framework's adoption.
    as_of_2010 = scoring.current_statuses(
        as_of=datetime.date(2010, 12, 31), economy_ids=[chile.pk], commitment_ids=[principles[0].pk]
    )
    assert [s.status for s in as_of_2010.values()] == ["partial"]


def test_brunei_is_implemented_from_the_orders_entry_into_force(loaded):
    brunei = Economy.objects.get(code="BRN")
    privacy = Instrument.objects.get(slug="privacy-fw")
    assert scores_by_code("privacy-fw")["BRN"] == 100
    before = scoring.score_for_economy(
        economy_id=brunei.pk, instrument_id=privacy.pk, as_of=datetime.date(2025, 12, 31)
    )
    assert before.score == pytest.approx(100 * 2 / 3)


def test_global_cbpr_agents_of_singapore_and_chinese_taipei(loaded):
    agents = StatusReport.objects.filter(commitment__code="GLOBAL-CBPR-MEM-3")
    assert sorted(agents.values_list("economy__code", flat=True)) == [
        "JPN",
        "KOR",
        "SGP",
        "TWN",
        "USA",
    ]


def test_aider_has_figures_for_the_18_economies_with_a_strategy(loaded):
    by_code = scores_by_code("aider")
    # KFA-04 implemented (3 of 3) is each one's only status; IDN, PHL and USA have no sourced
    # strategy and stay no data.
    assert {code for code, score in by_code.items() if score is not None} == set(by_code) - {
        "IDN",
        "PHL",
        "USA",
    }
    assert {score for score in by_code.values() if score is not None} == {100}
    assert StatusReport.objects.filter(commitment__instrument__slug="aider").count() == 18
    assert not StatusReport.objects.filter(
        commitment__instrument__slug="aider", effective_date__lt=datetime.date(2017, 11, 30)
    ).exists()


def test_cybercrime_laws_from_unctad_for_the_economies_it_covers(loaded):
    by_code = scores_by_code("cybersec-2002")
    # UNCTAD lists cybercrime legislation for all 19 APEC economies it covers; Hong Kong,
    # China and Chinese Taipei are not in its list.
    assert {code for code, score in by_code.items() if score is None} == {"HKG", "TWN"}
    assert {score for score in by_code.values() if score is not None} == {100}
    law = Commitment.objects.get(code="CYBERSEC-2002-LAW-1")
    assert law.target_date == datetime.date(2003, 10, 31)
    reports = StatusReport.objects.filter(commitment=law)
    assert {r.origin for r in reports} == {Origin.INDEPENDENT}
    # Dated by the snapshot, after the deadline: the reports do not carry it.
    assert {(r.effective_date, r.target_date) for r in reports} == {
        (datetime.date(2026, 4, 27), None)
    }


def test_e_transactions_assessment_keeps_the_uncitral_date(loaded):
    singapore = StatusReport.objects.get(economy__code="SGP", commitment__code="BLUEPRINT-EC-GOV-1")
    assert singapore.effective_date == datetime.date(1998, 12, 31)  # UNCITRAL: 1998
    assert "dated by the UNCITRAL fact" in singapore.evidence
    # The United States' MLEC-based law is only partial (GOV-3): the snapshot dates it.
    usa = StatusReport.objects.get(economy__code="USA", commitment__code="BLUEPRINT-EC-GOV-1")
    assert usa.effective_date == datetime.date(2026, 4, 27)


def test_as_of_before_the_cbpr_system_has_no_participants(loaded):
    cbpr = Instrument.objects.get(slug="cbpr")
    regional = scoring.regional_for_instruments(
        as_of=datetime.date(2010, 12, 31), instrument_ids=[cbpr.pk]
    )
    assert regional[cbpr.pk].economies_with_data == 0


def test_unconfirmed_facts_stay_no_data(loaded):
    png = Economy.objects.get(code="PNG")
    privacy = Instrument.objects.get(slug="privacy-fw")
    score = scoring.score_for_economy(economy_id=png.pk, instrument_id=privacy.pk)
    assert score.score is None
    assert score.coverage == 0


# --- the files the methodology page reads --------------------------------------------------------


def test_rules_csv_lists_the_general_rules_and_r1_to_r6():
    assert header("rules.csv") == "code,title,text"
    rules = reference.rules_read(directory=DATA)
    codes = [rule.code for rule in rules]
    assert codes == ["G1", "G2", "G3", "G4", "G5", "G6", "R1", "R2", "R3", "R4", "R5", "R6"]
    assert all(rule.title and rule.text for rule in rules)


def test_sources_csv_covers_every_report_source():
    assert header("sources.csv") == "name,url,snapshot_date,used_for,report_count"
    sources = reference.sources_read(directory=DATA)
    reports = read_rows(DATA, "reports.csv")
    hosts = {}
    for source in sources:
        parts = urllib.parse.urlsplit(source.url)
        hosts[parts.hostname] = parts.path
    for report in reports:
        parts = urllib.parse.urlsplit(report["source_url"])
        assert parts.hostname in hosts, report["source_url"]
        assert parts.path.startswith(hosts[parts.hostname]), report["source_url"]
    assert sum(s.report_count for s in sources) == len(reports)
    unctad = next(s for s in sources if s.name == "UNCTAD Global Cyberlaw Tracker")
    assert (unctad.snapshot_date, unctad.report_count) == (datetime.date(2026, 4, 27), 54)
    assert unctad.used_for == "blueprint-ec;cybersec-2002"
    cbprs = next(s for s in sources if s.url == "https://cbprs.org/")
    assert cbprs.snapshot_date is None
    assert not any(host in s.url for s in sources for host in MIRROR_HOSTS)


def test_readme_states_the_counts_of_the_files():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for name in ("reports", "commitments", "rules", "sources", "retired"):
        rows = read_rows(DATA, f"{name}.csv")
        assert f"| `{name}.csv` | {len(rows)} |" in readme, name
