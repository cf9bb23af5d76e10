"""What must always hold in the data, enforced by the database or by model validation."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from instruments.models import Commitment
from tests.factories import make_commitment, make_economy, make_instrument, make_report
from tracker.models import StatusReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    economy = make_economy("JPN", iso_alpha2="JP")
    instrument = make_instrument("CBPR")
    return economy, make_commitment(instrument, "CBPR-ECON-1")


def test_database_refuses_status_outside_the_scale(pair):
    economy, commitment = pair
    with pytest.raises(IntegrityError), transaction.atomic():
        make_report(economy, commitment, "almost_done", "2020-01-01")


def test_validation_refuses_status_outside_the_scale(pair):
    economy, commitment = pair
    report = StatusReport(
        economy=economy,
        commitment=commitment,
        status="almost_done",
        effective_date=datetime.date(2020, 1, 1),
        evidence="x",
    )
    with pytest.raises(ValidationError) as error:
        report.full_clean()
    assert "status" in error.value.message_dict


def test_report_on_collective_commitment_is_refused(pair):
    economy, commitment = pair
    collective = make_commitment(commitment.instrument, "CBPR-COMP-1", scope="collective")
    report = StatusReport(
        economy=economy,
        commitment=collective,
        status="implemented",
        effective_date=datetime.date(2020, 1, 1),
        evidence="x",
    )
    with pytest.raises(ValidationError) as error:
        report.full_clean()
    assert "collective" in error.value.message_dict["commitment"][0]


def test_duplicate_commitment_code_is_refused(pair):
    _, commitment = pair
    with pytest.raises(IntegrityError), transaction.atomic():
        Commitment.objects.create(instrument=commitment.instrument, code="CBPR-ECON-1", title="x")


def test_commitment_weight_must_be_positive(pair):
    _, commitment = pair
    with pytest.raises(IntegrityError), transaction.atomic():
        make_commitment(commitment.instrument, "CBPR-ECON-9", weight=0)


def test_published_report_needs_publication_time(pair):
    economy, commitment = pair
    with pytest.raises(IntegrityError), transaction.atomic():
        make_report(
            economy,
            commitment,
            "implemented",
            "2020-01-01",
            published=False,
            review_state="published",
        )


def test_target_date_cannot_precede_effective_date(pair):
    economy, commitment = pair
    with pytest.raises(IntegrityError), transaction.atomic():
        make_report(
            economy, commitment, "planned", "2020-01-01", target_date=datetime.date(2019, 1, 1)
        )


def test_source_urls_are_validated_line_by_line(pair):
    economy, commitment = pair
    report = StatusReport(
        economy=economy,
        commitment=commitment,
        status="implemented",
        effective_date=datetime.date(2020, 1, 1),
        evidence="x",
        source_urls="https://example.org/a\nnot a url",
    )
    with pytest.raises(ValidationError) as error:
        report.full_clean()
    assert "address 2" in error.value.message_dict["source_urls"][0]


def test_instrument_date_precision_must_match_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_instrument("X", adopted_on=None, adopted_precision="year")


def test_instrument_adopted_display_follows_precision():
    year = make_instrument("A", adopted_on=datetime.date(2004, 1, 1), adopted_precision="year")
    month = make_instrument("B", adopted_on=datetime.date(2004, 11, 1), adopted_precision="month")
    day = make_instrument("C", adopted_on=datetime.date(2010, 7, 16), adopted_precision="day")
    assert year.adopted_display == "2004"
    assert month.adopted_display == "November 2004"
    assert day.adopted_display == "16 July 2010"


def test_economy_code_must_be_iso_alpha3():
    economy = make_economy("jp1", iso_alpha2="JQ")
    with pytest.raises(ValidationError) as error:
        economy.full_clean()
    assert "code" in error.value.message_dict


def test_every_model_is_in_the_admin():
    from django.apps import apps
    from django.contrib import admin

    ours = [
        m
        for m in apps.get_models()
        if m._meta.app_label in {"economies", "instruments", "tracker"}
        and not m.__name__.startswith("Historical")
        and not m._meta.auto_created
    ]
    assert ours
    assert [m.__name__ for m in ours if not admin.site.is_registered(m)] == []


@pytest.mark.parametrize("table", ["currentstatus", "yearendscore"])
def test_derived_tables_list_in_the_same_queries_however_many_rows(
    admin_client, jpn, sgp, commitment, table
):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(f"/admin/tracker/{table}/").status_code == 200
        return len(queries)

    make_report(jpn, commitment, "implemented", "2020-01-01")
    few = count()
    other = make_commitment(commitment.instrument, "CBPR-ECON-6")
    for economy in (jpn, sgp):
        for day in ("2019-01-01", "2021-01-01"):
            make_report(economy, other, "partial", day)
        make_report(economy, commitment, "planned", "2018-06-01")
    assert count() == few


def test_current_status_admin_is_read_only(admin_client, jpn, commitment):
    make_report(jpn, commitment, "implemented", "2020-01-01")
    response = admin_client.get("/admin/tracker/currentstatus/")
    assert response.status_code == 200
    assert b"JPN" in response.content or b"Japan" in response.content
    assert admin_client.get("/admin/tracker/currentstatus/add/").status_code == 403
