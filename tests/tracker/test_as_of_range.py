"""The status of every cell on a past date, read as one range (scoring.current_statuses, through
StatusReport.objects.current_on), and the scores summed over it in SQL, equal a replay of the
history written out here; and every report's valid_until and cell_position (tracker.as_of)
equal a recomputation from scratch, after every kind of write."""

import datetime
import importlib
import io
import random
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from economies.models import Economy
from instruments.models import Commitment
from tests.factories import make_commitment, make_economy, make_instrument, make_report
from tracker import current_status, importing, scoring
from tracker.models import CURRENT_ORDER, CurrentStatus, Origin, ReviewState, StatusReport
from tracker.selectors import cell_origins, origins_by_score, origins_on, origins_today

pytestmark = pytest.mark.django_db

STATUSES = [*scoring.POINTS, "not_applicable"]


def recomputed() -> dict[int, tuple[datetime.date | None, int | None]]:
    """(valid_until, cell_position, origin_until) of every report, from its cell's published
    reports alone."""
    expected = {pk: (None, None, None) for pk in StatusReport.objects.values_list("pk", flat=True)}
    cells: dict[tuple[int, int], list] = {}
    published = StatusReport.objects.published().order_by(*CURRENT_ORDER)
    for report in published.only("pk", "economy_id", "commitment_id", "effective_date", "origin"):
        cells.setdefault((report.economy_id, report.commitment_id), []).append(report)
    for cell in cells.values():
        for index, report in enumerate(cell):
            following = cell[index + 1].effective_date if index + 1 < len(cell) else None
            same_origin = [r for r in cell[index + 1 :] if r.origin == report.origin]
            origin_next = same_origin[0].effective_date if same_origin else None
            expected[report.pk] = (following, index + 1, origin_next)
    return expected


def replayed(
    date: datetime.date, *, economy_ids=None, commitment_ids=None
) -> dict[tuple[int, int], scoring.CellStatus]:
    """The status of every cell on the date by the rule itself: the published reports effective
    by then, walked in CURRENT_ORDER (latest effective date, ties to the one published last);
    the last one seen on a cell is current, and it is the n-th."""
    reports = StatusReport.objects.published().filter(effective_date__lte=date)
    if economy_ids is not None:
        reports = reports.filter(economy_id__in=economy_ids)
    if commitment_ids is not None:
        reports = reports.filter(commitment_id__in=commitment_ids)
    found: dict[tuple[int, int], scoring.CellStatus] = {}
    for report in reports.select_related("commitment").order_by(*CURRENT_ORDER):
        key = (report.economy_id, report.commitment_id)
        earlier = found.get(key)
        found[key] = scoring.CellStatus(
            economy_id=report.economy_id,
            commitment_id=report.commitment_id,
            report_id=report.pk,
            status=report.status,
            effective_date=report.effective_date,
            target_date=report.target_date or report.commitment.target_date,
            reports=earlier.reports + 1 if earlier else 1,
        )
    return found


def stored() -> dict[int, tuple[datetime.date | None, int | None]]:
    return {
        pk: (valid_until, position, origin_until)
        for pk, valid_until, position, origin_until in StatusReport.objects.values_list(
            "pk", "valid_until", "cell_position", "origin_until"
        )
    }


def dates_to_ask() -> list[datetime.date]:
    """Every effective date and the days around it, and dates before and after everything."""
    dates = {datetime.date(1990, 1, 1), timezone.localdate() - datetime.timedelta(days=1)}
    for effective in StatusReport.objects.values_list("effective_date", flat=True).distinct():
        dates |= {effective + datetime.timedelta(days=d) for d in (-1, 0, 1)}
    return sorted(dates)


def origins_stored() -> dict[tuple[int, int], tuple[str, bool]]:
    """Each cell's origin and disagreement as the current-status table holds them."""
    return {
        (economy_id, commitment_id): (origin, disagree)
        for economy_id, commitment_id, origin, disagree in CurrentStatus.objects.values_list(
            "economy_id", "commitment_id", "origin", "disagree"
        )
    }


def origins_from_history(date=None) -> dict[tuple[int, int], tuple[str, bool]]:
    """The same, worked out here from the published history (in force by the date): the
    current report's origin, and whether the last reports of two origins (in CURRENT_ORDER)
    state different statuses."""
    cells: dict[tuple[int, int], list] = {}
    published = StatusReport.objects.published().order_by(*CURRENT_ORDER)
    if date is not None:
        published = published.filter(effective_date__lte=date)
    for report in published:
        cells.setdefault((report.economy_id, report.commitment_id), []).append(report)
    found = {}
    for key, reports in cells.items():
        latest_by_origin = {report.origin: report.status for report in reports}
        found[key] = (reports[-1].origin, len(set(latest_by_origin.values())) > 1)
    return found


def origins_read(date=None) -> dict[tuple[int, int], tuple[str, bool]]:
    """The same, as the pages read it on any date (cell_origins, through origin_until)."""
    found = cell_origins(as_of=date)
    return {key: (cell.current.origin, cell.disagree) for key, cell in found.items()}


def assert_in_step(*, every_date: bool = True) -> None:
    assert stored() == recomputed()
    # Today's status, as the API lists it: the published reports with no end to their time as
    # their cell's status are exactly those of the current-status table.
    assert set(
        StatusReport.objects.published()
        .filter(valid_until__isnull=True)
        .values_list("pk", flat=True)
    ) == set(CurrentStatus.objects.values_list("report_id", flat=True))
    assert origins_stored() == origins_from_history() == origins_read()
    # Summed by score, as the dashboard shows them: the same from the table and the history.
    instrument_of = dict(Commitment.objects.economy_scope().values_list("pk", "instrument_id"))
    economy_ids = list(Economy.objects.values_list("pk", flat=True))
    assert origins_today(
        economy_ids=economy_ids, instrument_ids=list(set(instrument_of.values()))
    ) == origins_by_score(cell_origins(), instrument_of=instrument_of)
    dates = dates_to_ask()
    if not every_date:
        dates = random.Random(len(dates)).sample(dates, min(len(dates), 12))
    commitments = scoring.scored_commitments()
    instrument_ids = list(set(instrument_of.values()))
    # Each economy's latest status date and overdue count, grouped in the database, as
    # worked out here from the statuses the rule gives: today (the table) and on every date.
    scored = {c.commitment_id for c in commitments}
    for date in [None, *dates]:
        activity = scoring.economies_activity(as_of=date, economy_ids=economy_ids)
        assert activity == activity_by_hand(
            replayed(date or timezone.localdate()), scored, date or timezone.localdate()
        ), date
    # The reports the status download lists (StatusReport.objects.current()): those whose
    # status scoring reads, today and on every date.
    for date in [None, *dates]:
        assert {
            (r.economy_id, r.commitment_id): r.pk for r in StatusReport.objects.current(date)
        } == {key: cell.report_id for key, cell in scoring.current_statuses(as_of=date).items()}
    for date in dates:
        replay = replayed(date)
        assert scoring.current_statuses(as_of=date) == replay, date
        assert origins_read(date) == origins_from_history(date), date
        if date < timezone.localdate():
            # The dashboard's origins on a past date, grouped in the database, as summed here.
            assert origins_on(
                date, economy_ids=economy_ids, instrument_ids=instrument_ids
            ) == origins_by_score(cell_origins(as_of=date), instrument_of=instrument_of), date
        if date < timezone.localdate():
            # Any past date: a year-end (the year-end sums), or any other (those of the
            # year-end before, and the changes since).
            by_hand = scoring.scores_from_statuses(
                statuses=replay, commitments=commitments, economy_ids=economy_ids
            )
            assert scoring.scores_for_region(as_of=date) == by_hand, date
            # A few economies and instruments asked for: read for them alone, the same figures.
            few_economies, few_instruments = economy_ids[:2], instrument_ids[:1]
            assert scoring.scores_for_region(
                as_of=date, economy_ids=few_economies, instrument_ids=few_instruments
            ) == {
                key: score
                for key, score in by_hand.items()
                if key[0] in few_economies and key[1] in few_instruments
            }, date


def activity_by_hand(statuses, scored: set[int], day: datetime.date) -> dict:
    """Per economy, over its statuses on economy-scope commitments: the latest effective date
    and how many are overdue on the day (by scoring.is_overdue, the rule in Python)."""
    found: dict[int, scoring.Activity] = {}
    for (economy_id, commitment_id), status in statuses.items():
        if commitment_id not in scored:
            continue
        latest, overdue = found.get(economy_id, (status.effective_date, 0))
        found[economy_id] = scoring.Activity(
            max(latest, status.effective_date), overdue + status.is_overdue(day)
        )
    return found


def random_history(rng: random.Random, steps: int, economies, commitments, days) -> None:
    """Publishes (same-day ties included), drafts, publications of drafts, corrections of the
    date or status of a published report, withdrawals and deletions, in random order."""
    for _ in range(steps):
        reports = list(StatusReport.objects.all())
        action = rng.random()
        if action < 0.45 or not reports:
            effective = rng.choice(days)
            make_report(
                rng.choice(economies),
                rng.choice(commitments),
                rng.choice(STATUSES),
                effective,
                published=rng.random() < 0.8,
                origin=rng.choice(Origin.values),
                # Some with a target (never before the report's own date), some without.
                target_date=rng.choice([None, None, *(d for d in days if d >= effective)]),
            )
            continue
        report = rng.choice(reports)
        if action < 0.55 and not report.is_published:
            report.review_state = ReviewState.PUBLISHED
            report.published_at = timezone.now()
            report.save()
        elif action < 0.7 and report.is_published:
            # A correction made in place: another date or status, saved over the report (with
            # whatever it held in memory).
            report.effective_date = rng.choice(days)
            report.status = rng.choice(STATUSES)
            if report.target_date and report.target_date < report.effective_date:
                report.target_date = report.effective_date
            report.save()
        elif action < 0.8 and report.is_published:
            report.review_state = ReviewState.WITHDRAWN
            report.withdrawn_reason = "Taken back in a test."
            report.withdrawn_at = timezone.now()
            report.save()
        elif action < 0.9:
            report.delete()


@pytest.mark.parametrize("seed", range(6))
def test_random_histories_read_as_a_range_equal_the_replay(seed):
    rng = random.Random(seed)
    economies = [make_economy() for _ in range(3)]
    instrument = make_instrument("RNG")
    commitments = [make_commitment(instrument) for _ in range(3)]
    # A second instrument, its commitments weighted unequally (0.29 × 100 is 28.999… as a
    # double: the weights are summed in hundredths).
    other = make_instrument("RNG2")
    commitments += [
        make_commitment(other, weight=Decimal(weight)) for weight in ("0.29", "1.5", "2")
    ]
    # Few dates, so that many reports of a cell share a day and the tie rule decides.
    days = [datetime.date(2012 + rng.randint(0, 3), rng.choice([1, 7]), 1) for _ in range(6)]
    # One commitment states a deadline: a report without a target of its own takes it (R6).
    Commitment.objects.filter(pk=commitments[0].pk).update(target_date=days[0])
    for _ in range(4):
        random_history(rng, 20, economies, commitments, days)
        assert_in_step()


def test_the_first_year_of_the_calendar_has_no_year_end_before_it(client, jpn, commitment):
    # A report as old as a date can be: as of later that year, there is no 31 December before
    # to start from; every status current on the date is summed as it is.
    make_report(jpn, commitment, "partial", datetime.date(1, 3, 1))
    make_report(jpn, commitment, "implemented", datetime.date(1, 5, 1))
    economy_ids = list(Economy.objects.values_list("pk", flat=True))
    for date in (datetime.date(1, 1, 1), datetime.date(1, 4, 1), datetime.date(1, 6, 30)):
        by_hand = scoring.scores_from_statuses(
            statuses=replayed(date),
            commitments=scoring.scored_commitments(),
            economy_ids=economy_ids,
        )
        assert scoring.scores_for_region(as_of=date) == by_hand, date
    key = (jpn.pk, commitment.instrument_id)
    assert scoring.scores_for_region(as_of=datetime.date(1, 4, 1))[key].score == 200 / 3
    for address in ("/", "/api/v1/scores/", f"/economies/{jpn.code}/", "/trends/"):
        assert client.get(f"{address}?as_of=0001-06-30").status_code == 200, address


def test_a_same_day_tie_goes_to_the_report_published_last(jpn, commitment):
    day = datetime.date(2016, 3, 1)
    later = make_report(jpn, commitment, "pilot", day, published_at=timezone.now())
    earlier = make_report(
        jpn, commitment, "partial", day, published_at=timezone.now() - datetime.timedelta(days=9)
    )
    stored_now = stored()
    # The earlier-published report is current for no day at all: an empty interval.
    assert stored_now[earlier.pk] == (day, 1, day)
    assert stored_now[later.pk] == (None, 2, None)
    on_the_day = scoring.current_statuses(as_of=day)[(jpn.pk, commitment.pk)]
    assert (on_the_day.report_id, on_the_day.reports) == (later.pk, 2)
    assert scoring.current_statuses(as_of=day - datetime.timedelta(days=1)) == {}
    assert_in_step()


def test_a_target_falls_back_to_the_commitment_s_deadline(jpn, sgp, commitment):
    commitment.target_date = datetime.date(2003, 10, 31)
    commitment.save()
    make_report(jpn, commitment, "planned", "2001-01-01")
    make_report(sgp, commitment, "planned", "2001-01-01", target_date=datetime.date(2005, 1, 1))
    targets = {
        key: cell.target_date
        for key, cell in scoring.current_statuses(as_of=datetime.date(2002, 1, 1)).items()
    }
    assert targets == {
        (jpn.pk, commitment.pk): datetime.date(2003, 10, 31),
        (sgp.pk, commitment.pk): datetime.date(2005, 1, 1),
    }
    assert_in_step()


def test_the_read_takes_economies_and_commitments(jpn, sgp, commitment):
    other = make_commitment(commitment.instrument, "CBPR-ECON-6")
    for economy in (jpn, sgp):
        for item in (commitment, other):
            make_report(economy, item, "pilot", "2015-01-01")
            make_report(economy, item, "partial", "2017-01-01")
    date = datetime.date(2016, 1, 1)
    for economy_ids, commitment_ids in [([jpn.pk], None), (None, [other.pk]), ([sgp.pk], [])]:
        asked = {"economy_ids": economy_ids, "commitment_ids": commitment_ids}
        assert scoring.current_statuses(as_of=date, **asked) == replayed(date, **asked)
    assert len(scoring.current_statuses(as_of=date)) == 4


def test_the_publish_workflow_keeps_the_fields_in_step(officer_jpn, reviewer, jpn, commitment):
    from tracker import services

    make_report(jpn, commitment, "pilot", "2015-01-01")
    draft = services.report_create(
        user=officer_jpn,
        economy=jpn,
        commitment=commitment,
        status="partial",
        effective_date=datetime.date(2019, 1, 1),
        evidence="Draft.",
    )
    assert_in_step()
    services.report_submit(report=draft, user=officer_jpn)
    services.report_publish(report=draft, reviewer=reviewer)
    assert stored()[draft.pk] == (None, 2, None)
    assert_in_step()


@pytest.mark.parametrize("rebuild_above", [200, 2])
def test_a_published_import_keeps_the_fields_in_step(
    reviewer, second_reviewer, monkeypatch, rebuild_above
):
    from tracker import services

    # Past REBUILD_ABOVE_CELLS cells the import rebuilds every cell instead of refreshing its own.
    monkeypatch.setattr(services, "REBUILD_ABOVE_CELLS", rebuild_above)
    rng = random.Random(rebuild_above)
    economies = [make_economy() for _ in range(3)]
    instrument = make_instrument(f"IMP{rebuild_above}")
    commitments = [make_commitment(instrument) for _ in range(2)]
    for economy in economies:
        make_report(economy, commitments[0], "pilot", "2014-02-01")
        make_report(economy, commitments[0], "partial", "2014-03-01", published=False)
    rows = {
        (rng.choice(economies).code, rng.choice(commitments).code, f"2014-0{rng.randint(1, 3)}-01")
        for _ in range(12)
    }
    data = "economy,commitment,status,effective_date,evidence,source_url\n" + "".join(
        f"{economy},{code},{rng.choice(STATUSES)},{date},Imported.,\n"
        for economy, code, date in sorted(rows)
    )
    importing.import_reports(
        data.encode(), filename="r.csv", user=reviewer, publish=True, reviewer=second_reviewer
    )
    assert StatusReport.objects.published().count() > 3
    assert_in_step()


def test_reference_data_load_and_upgrade_keep_the_fields_in_step():
    from tests.tracker.test_reference_upgrade import OLD

    # The previous reference data, then the upgrade: withdrawals, corrections in place, new
    # reports in bulk.
    call_command("load_reference_data", directory=OLD, stdout=io.StringIO())
    assert_in_step(every_date=False)
    call_command("load_reference_data", stdout=io.StringIO())
    assert StatusReport.objects.filter(review_state=ReviewState.WITHDRAWN).exists()
    assert_in_step(every_date=False)


def test_synthetic_generation_writes_the_fields_as_a_rebuild_would():
    call_command(
        "generate_synthetic",
        economies=3,
        instruments=2,
        commitments=3,
        years=5,
        seed=4,
        stdout=io.StringIO(),
    )
    assert_in_step(every_date=False)


def test_a_rebuild_and_the_migration_fill_the_fields_from_scratch(jpn, sgp, commitment):
    rng = random.Random(11)
    for _ in range(30):
        make_report(
            rng.choice([jpn, sgp]),
            commitment,
            rng.choice(STATUSES),
            datetime.date(2015, rng.randint(1, 3), 1),
            published=rng.random() < 0.8,
            origin=rng.choice(Origin.values),
        )
    expected = recomputed()
    # Wrong values everywhere, drafts included: a rebuild puts every one right.
    StatusReport.objects.update(
        valid_until=datetime.date(2000, 1, 1),
        cell_position=99,
        origin_until=datetime.date(2000, 1, 1),
    )
    current_status.current_status_rebuild()
    assert stored() == expected
    # The migrations' passes fill a table whose fields are still empty.
    StatusReport.objects.update(valid_until=None, cell_position=None, origin_until=None)
    for name in ("0012_report_valid_until", "0014_report_origin_until"):
        migration = importlib.import_module(f"tracker.migrations.{name}")
        migration.fill(apps, SimpleNamespace(connection=connection))
    assert stored() == expected
    assert_in_step()


def test_the_migration_fills_each_cell_s_origin_and_disagreement(jpn, sgp, commitment):
    rng = random.Random(5)
    for _ in range(40):
        make_report(
            rng.choice([jpn, sgp]),
            commitment,
            rng.choice(["implemented", "partial"]),
            datetime.date(2015, rng.randint(1, 3), rng.randint(1, 2)),
            origin=rng.choice(Origin.values),
        )
    expected = origins_stored()
    assert expected == origins_from_history()
    assert any(disagree for _origin, disagree in expected.values())  # the case is exercised
    migration = importlib.import_module("tracker.migrations.0013_current_status_origin")
    CurrentStatus.objects.update(origin=Origin.SECRETARIAT, disagree=False)
    migration.fill(apps, SimpleNamespace(connection=connection))
    assert origins_stored() == expected


def test_restoring_a_backup_made_before_the_fields_existed_fills_them(tmp_path, jpn, sgp):
    from tests.tracker.test_backup_restore import empty_the_database

    commitment = make_commitment(make_instrument("BAK"))
    for economy in (jpn, sgp):
        make_report(economy, commitment, "pilot", "2015-01-01")
        make_report(economy, commitment, "partial", "2016-01-01")
        make_report(economy, commitment, "implemented", "2017-01-01", published=False)
    StatusReport.objects.update(valid_until=None, cell_position=None, origin_until=None)
    backup = tmp_path / "tracker.xml"
    call_command("backup", str(backup), stdout=io.StringIO())
    empty_the_database()
    call_command("restore", str(backup), stdout=io.StringIO())
    assert StatusReport.objects.count() == 6
    assert_in_step()
