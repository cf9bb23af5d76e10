"""What a client pulls from /api/v1/: every figure worked out by hand from the dataset in
tests/api/conftest.py, filters, ordering, pages, incremental pulls and errors."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from softlaw import clock
from tests.api.conftest import JPN_CBPR, SGP_CBPR
from tests.factories import make_report
from tests.pages import API_DATA_LISTS
from tracker.models import StatusReport

pytestmark = pytest.mark.django_db


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def keyed(rows, *keys):
    return {tuple(row[k] for k in keys): row for row in rows}


# --- reference resources ------------------------------------------------------------------------


def test_economies_are_listed_and_looked_up_by_code(api, dataset):
    rows = results(api.get("/api/v1/economies/"))
    assert [row["code"] for row in rows] == ["JPN", "PNG", "SGP"]  # by name
    japan = api.get("/api/v1/economies/JPN/").json()
    assert japan["name"] == "Japan" and japan["iso_alpha2"] == "JP"
    assert set(japan) >= {"code", "name", "subregion", "year_joined", "grid_row", "updated_at"}


def test_economy_filters_by_codes_and_subregion(api, dataset):
    assert [r["code"] for r in results(api.get("/api/v1/economies/?code=SGP,JPN"))] == [
        "JPN",
        "SGP",
    ]
    assert [r["code"] for r in results(api.get("/api/v1/economies/?subregion=melanesia"))] == [
        "PNG"
    ]


def test_forums_themes_instruments_commitments_by_natural_key(api, dataset):
    assert api.get("/api/v1/forums/ECSG/").json()["name"] == "Electronic Commerce Steering Group"
    assert api.get("/api/v1/themes/privacy/").json()["name"] == "Privacy"
    cbpr = api.get("/api/v1/instruments/cbpr/").json()
    assert (cbpr["forum"], cbpr["themes"], cbpr["short_name"]) == ("ECSG", ["privacy"], "CBPR")
    econ6 = api.get("/api/v1/commitments/CBPR-ECON-6/").json()
    assert (econ6["instrument"], econ6["weight"], econ6["scope"]) == ("cbpr", 2.0, "economy")


def test_instrument_and_commitment_filters(api, dataset):
    assert [r["slug"] for r in results(api.get("/api/v1/instruments/?theme=privacy"))] == ["cbpr"]
    assert [r["slug"] for r in results(api.get("/api/v1/instruments/?forum=ECSG"))] == ["cbpr"]
    codes = [r["code"] for r in results(api.get("/api/v1/commitments/?instrument=cbpr"))]
    assert codes == ["CBPR-ECON-5", "CBPR-ECON-6", "CBPR-SYS-1"]
    collective = results(api.get("/api/v1/commitments/?scope=collective"))
    assert [r["code"] for r in collective] == ["CBPR-SYS-1"]


def test_unknown_natural_key_is_404_with_message(api, dataset):
    response = api.get("/api/v1/economies/XYZ/")
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no economy with code 'XYZ' that you can see."}


# --- current status -------------------------------------------------------------------------------


def test_status_is_latest_published_report_per_economy_and_commitment(api, dataset):
    rows = keyed(results(api.get("/api/v1/status/")), "economy", "commitment")
    # JPN ECON-5 has two published reports: the 2020 one supersedes the 2018 one. Drafts and
    # AIDER (no published report) are absent.
    assert set(rows) == {
        ("JPN", "CBPR-ECON-5"),
        ("JPN", "CBPR-ECON-6"),
        ("SGP", "CBPR-ECON-5"),
        ("SGP", "CBPR-ECON-6"),
    }
    jpn5 = rows[("JPN", "CBPR-ECON-5")]
    assert jpn5["status"] == "implemented"
    assert jpn5["report"] == dataset.jpn_econ5.pk
    assert jpn5["effective_date"] == "2020-01-01"
    assert jpn5["source_urls"] == ["https://cbprs.org/", "https://www.ppc.go.jp/"]
    assert jpn5["instrument"] == "cbpr" and jpn5["as_of"] is None


def test_status_as_of_date_uses_reports_effective_by_then(api, dataset):
    rows = results(api.get("/api/v1/status/?as_of=2019-06-30"))
    assert [(r["economy"], r["commitment"], r["status"], r["as_of"]) for r in rows] == [
        ("JPN", "CBPR-ECON-5", "partial", "2019-06-30")
    ]


def test_status_overdue_flag_target_passed_and_not_implemented(api, dataset):
    rows = keyed(results(api.get("/api/v1/status/")), "economy", "commitment")
    # JPN ECON-6: pilot with a 2022-12-31 target, so overdue today; the others have no target.
    assert rows[("JPN", "CBPR-ECON-6")]["overdue"] is True
    assert [r["overdue"] for k, r in rows.items() if k != ("JPN", "CBPR-ECON-6")] == [False] * 3
    # As of 2022-06-30 the target had not passed yet.
    before = results(api.get("/api/v1/status/?as_of=2022-06-30&economy=JPN&commitment=CBPR-ECON-6"))
    assert [r["overdue"] for r in before] == [False]


def test_status_filter_on_status_means_current_status(api, dataset):
    # JPN ECON-5 was once "partial" (2018) but is now implemented: not a current partial.
    rows = results(api.get("/api/v1/status/?status=partial"))
    assert [(r["economy"], r["commitment"]) for r in rows] == [("SGP", "CBPR-ECON-6")]
    both = results(api.get("/api/v1/status/?status=partial,implemented"))
    assert len(both) == 2


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("economy=SGP", {("SGP", "CBPR-ECON-5"), ("SGP", "CBPR-ECON-6")}),
        (
            "economy=JPN&economy=SGP&commitment=CBPR-ECON-6",
            {("JPN", "CBPR-ECON-6"), ("SGP", "CBPR-ECON-6")},
        ),
        ("instrument=aider", set()),
        ("theme=privacy&origin=self_reported", {("JPN", "CBPR-ECON-6")}),
        ("forum=ECSG&subregion=SOUTH-EASTERN ASIA&status=not_applicable", {("SGP", "CBPR-ECON-5")}),
        (
            "effective_date_after=2020-02-01&effective_date_before=2020-12-31",
            {("SGP", "CBPR-ECON-5"), ("SGP", "CBPR-ECON-6")},
        ),
    ],
)
def test_status_filters(api, dataset, query, expected):
    rows = results(api.get(f"/api/v1/status/?{query}"))
    assert {(r["economy"], r["commitment"]) for r in rows} == expected


def test_status_ordering(api, dataset):
    rows = results(api.get("/api/v1/status/?ordering=-effective_date"))
    assert [r["effective_date"] for r in rows] == [
        "2021-05-01",
        "2020-07-01",
        "2020-02-01",
        "2020-01-01",
    ]


# --- scores and regional figures ----------------------------------------------------------------


def test_scores_are_computed_by_hand(api, dataset):
    rows = keyed(results(api.get("/api/v1/scores/")), "economy", "instrument")
    assert set(rows) == {(e, i) for e in ("JPN", "SGP", "PNG") for i in ("cbpr", "aider")}
    jpn = rows[("JPN", "cbpr")]
    assert jpn["score"] == pytest.approx(JPN_CBPR)  # 100 × (1·3 + 2·1) / 9
    assert (jpn["coverage"], jpn["commitments"], jpn["covered"], jpn["scored"]) == (1, 2, 2, 2)
    sgp = rows[("SGP", "cbpr")]
    assert sgp["score"] == pytest.approx(SGP_CBPR)  # not applicable left out: 100 × 4 / 6
    assert (sgp["coverage"], sgp["covered"], sgp["scored"]) == (1, 2, 1)
    # No data is null, never 0; coverage counts what is there.
    png = rows[("PNG", "cbpr")]
    assert (png["score"], png["coverage"]) == (None, 0)
    assert rows[("JPN", "aider")]["score"] is None  # a draft is not data


def test_scores_as_of(api, dataset):
    rows = keyed(results(api.get("/api/v1/scores/?as_of=2019-06-30&instrument=cbpr")), "economy")
    assert rows[("JPN",)]["score"] == pytest.approx(200 / 3)  # ECON-5 partial only: 2/3
    assert rows[("JPN",)]["coverage"] == 0.5
    assert rows[("SGP",)]["score"] is None
    assert {r["as_of"] for r in rows.values()} == {"2019-06-30"}


def test_scores_filters_and_ordering(api, dataset):
    rows = results(api.get("/api/v1/scores/?economy=SGP,JPN&theme=privacy&ordering=-score"))
    assert [(r["economy"], r["instrument"]) for r in rows] == [("SGP", "cbpr"), ("JPN", "cbpr")]
    rows = results(api.get("/api/v1/scores/?subregion=Melanesia&forum=ECSG"))
    assert [(r["economy"], r["instrument"]) for r in rows] == [("PNG", "cbpr")]
    # Missing scores sort last, whichever the direction.
    ascending = results(api.get("/api/v1/scores/?instrument=cbpr&ordering=score"))
    assert [r["economy"] for r in ascending] == ["JPN", "SGP", "PNG"]


def test_regional_figures_by_hand(api, dataset):
    rows = keyed(results(api.get("/api/v1/regional/")), "instrument")
    cbpr = rows[("cbpr",)]
    a, b = JPN_CBPR, SGP_CBPR
    mean = (a + b) / 2
    assert cbpr["economies_with_data"] == 2  # PNG has no data and is left out, not taken as 0
    assert cbpr["mean"] == pytest.approx(mean)
    assert cbpr["median"] == pytest.approx(mean)
    assert (cbpr["min"], cbpr["max"]) == (pytest.approx(a), pytest.approx(b))
    assert cbpr["stdev"] == pytest.approx(abs(a - b) / 2)  # population σ of two values
    # Gini = Σi Σj |xi − xj| / (2 n² mean) = 2·|a − b| / (2·4·mean)
    assert cbpr["gini"] == pytest.approx(2 * abs(a - b) / (8 * mean))
    aider = rows[("aider",)]
    assert aider["economies_with_data"] == 0
    assert [aider[k] for k in ("mean", "median", "min", "max", "stdev", "gini")] == [None] * 6


def test_regional_over_a_subregion_and_as_of(api, dataset):
    rows = keyed(results(api.get("/api/v1/regional/?economy=JPN&as_of=2019-06-30")), "instrument")
    cbpr = rows[("cbpr",)]
    assert (cbpr["economies_with_data"], cbpr["mean"], cbpr["stdev"], cbpr["gini"]) == (
        1,
        pytest.approx(200 / 3),
        0,
        0,
    )
    assert cbpr["as_of"] == "2019-06-30"


# --- reports: the history -------------------------------------------------------------------------


def test_anonymous_sees_published_history_only(api, dataset):
    rows = results(api.get("/api/v1/reports/"))
    assert {r["id"] for r in rows} == set(
        StatusReport.objects.published().values_list("pk", flat=True)
    )
    assert {r["review_state"] for r in rows} == {"published"}
    assert api.get(f"/api/v1/reports/{dataset.jpn_draft.pk}/").status_code == 404


def test_reports_are_ordered_by_update_for_the_change_feed(api, dataset):
    rows = results(api.get("/api/v1/reports/"))
    stamps = [r["updated_at"] for r in rows]
    assert stamps == sorted(stamps)


def test_report_cursor_pages_cover_everything_once(api, dataset):
    seen, url = [], "/api/v1/reports/?page_size=2"
    while url:
        body = api.get(url).json()
        seen += [r["id"] for r in body["results"]]
        url = body["next"]
    assert sorted(seen) == sorted(StatusReport.objects.published().values_list("pk", flat=True))
    assert len(seen) == len(set(seen)) == 5


def test_report_filters(api, dataset):
    rows = results(api.get("/api/v1/reports/?economy=JPN&commitment=CBPR-ECON-5"))
    assert [r["status"] for r in rows] == ["partial", "implemented"]  # both, history


# --- incremental pulls ----------------------------------------------------------------------------


def test_updated_since_returns_only_later_changes(api, dataset):
    cutoff = timezone.now()
    later = make_report(dataset.png, dataset.econ5, "planned", "2023-01-01")
    stamp = cutoff.isoformat().replace("+00:00", "Z")
    assert [r["id"] for r in results(api.get(f"/api/v1/reports/?updated_since={stamp}"))] == [
        later.pk
    ]
    assert [r["report"] for r in results(api.get(f"/api/v1/status/?updated_since={stamp}"))] == [
        later.pk
    ]
    # Scores: only the cells whose inputs changed; regional: only the instruments.
    scores = results(api.get(f"/api/v1/scores/?updated_since={stamp}"))
    assert [(r["economy"], r["instrument"], r["score"]) for r in scores] == [("PNG", "cbpr", 0)]
    regional = results(api.get(f"/api/v1/regional/?updated_since={stamp}"))
    assert [r["instrument"] for r in regional] == ["cbpr"]


def test_updated_since_reads_one_row_a_changed_cell(api, dataset):
    # Several reports on one cell since the cutoff: the database hands back the cell once (a
    # global tracker's 1.2 million reports are 12,000 cells), not once a report.
    cutoff = timezone.now()
    for day in ("2023-01-01", "2023-02-01", "2023-03-01"):
        make_report(dataset.png, dataset.econ5, "planned", day)
    stamp = cutoff.isoformat().replace("+00:00", "Z")
    with CaptureQueriesContext(connection) as queries:
        scores = results(api.get(f"/api/v1/scores/?updated_since={stamp}"))
    assert [(r["economy"], r["instrument"]) for r in scores] == [("PNG", "cbpr")]
    read = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT DISTINCT") and "tracker_statusreport" in q["sql"]
    ]
    assert len(read) == 1, "the changed cells are read with DISTINCT"
    with connection.cursor() as cursor:
        for sql in read:
            cursor.execute(sql)
            assert len(cursor.fetchall()) == 1, sql


def test_updated_since_on_every_reference_list(api, dataset):
    future = (timezone.now() + datetime.timedelta(days=1)).date().isoformat()
    past = "2000-01-01"
    for resource in ("economies", "forums", "themes", "instruments", "commitments"):
        assert results(api.get(f"/api/v1/{resource}/?updated_since={future}")) == [], resource
        assert results(api.get(f"/api/v1/{resource}/?updated_since={past}")) != [], resource


def test_theme_updated_since_follows_its_history(api, dataset):
    cutoff = timezone.now().isoformat().replace("+00:00", "Z")
    dataset.theme.name = "Privacy and data protection"
    dataset.theme.save()
    assert [r["slug"] for r in results(api.get(f"/api/v1/themes/?updated_since={cutoff}"))] == [
        "privacy"
    ]


# --- errors: 4xx JSON naming the parameter, never 500 ----------------------------------------


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/status/?as_of=2024-13-01", "as_of"),
        ("/api/v1/scores/?as_of=yesterday", "as_of"),
        ("/api/v1/status/?economy=XXX", "economy"),
        ("/api/v1/reports/?commitment=NOPE-1", "commitment"),
        ("/api/v1/regional/?instrument=nope", "instrument"),
        ("/api/v1/instruments/?theme=nope", "theme"),
        ("/api/v1/economies/?code=JPN,ZZZ", "code"),
        ("/api/v1/status/?status=great", "status"),
        ("/api/v1/reports/?updated_since=last-week", "updated_since"),
        ("/api/v1/status/?page=abc", "page"),
        ("/api/v1/status/?page_size=0", "page_size"),
        ("/api/v1/status/?page_size=1001", "page_size"),
        ("/api/v1/reports/?cursor=bz1hYmM=", "cursor"),
        ("/api/v1/reports/?cursor=cD1ub3QtYS1kYXRl", "cursor"),
        ("/api/v1/scores/?ordering=height", "ordering"),
        ("/api/v1/status/?ordering=-nope", "ordering"),
        ("/api/v1/economies/?format=xml", "format"),
    ],
)
def test_bad_parameter_is_400_naming_it(api, dataset, url, parameter):
    response = api.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body["errors"]) == [parameter]
    assert parameter in body["detail"]


def test_page_past_the_end_is_404_saying_where_the_end_is(api, dataset):
    response = api.get("/api/v1/status/?page=3&page_size=2")
    assert response.status_code == 404
    assert response.json() == {"detail": "Page 3 is past the end: there are 2 pages of 2 rows."}


def test_pages_link_to_each_other(api, dataset):
    body = api.get("/api/v1/status/?page_size=3").json()
    assert body["count"] == 4 and len(body["results"]) == 3
    second = api.get(body["next"])
    assert [r["report"] for r in second.json()["results"]] == [dataset.sgp_econ6.pk]
    assert 'rel="prev"' in second["Link"]


def test_error_is_json_even_when_csv_was_asked(api, dataset):
    response = api.get("/api/v1/status/?format=csv&as_of=bad")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"] == {
        "as_of": ["as_of must be a date written YYYY-MM-DD, such as 2020-12-31, not 'bad'."]
    }


def test_null_character_in_a_parameter_is_400(api, dataset):
    response = api.get("/api/v1/status/", {"economy": "JP\x00N"})
    assert response.status_code == 400


def test_versioned_root_lists_every_resource(api):
    assert set(api.get("/api/v1/").json()) == {*API_DATA_LISTS, "rounds"}


def test_status_today_and_as_of_today_agree_with_scoring(api, dataset):
    from tracker import scoring

    expected = {s.report_id for s in scoring.current_statuses().values()}
    today = {r["report"] for r in results(api.get("/api/v1/status/"))}
    as_of_today = {
        r["report"] for r in results(api.get(f"/api/v1/status/?as_of={clock.today().isoformat()}"))
    }
    assert today == as_of_today == expected


@pytest.mark.parametrize("ordering", ["-effective_date", "effective_date", "-id", "created_at"])
def test_report_cursor_pages_follow_any_ordering(api, dataset, ordering):
    seen, url = [], f"/api/v1/reports/?page_size=2&ordering={ordering}"
    while url:
        body = api.get(url).json()
        seen += body["results"]
        url = body["next"]
    field, descending = ordering.lstrip("-"), ordering.startswith("-")
    values = [row[field] for row in seen]
    assert values == sorted(values, reverse=descending)
    assert len({row["id"] for row in seen}) == len(seen) == 5
