"""Reporting rounds: the answer rule (tracker.rounds), the public pages, the API and the admin's
progress grid, with every figure computed by hand.

Over 400 lines because the one hand-worked round below is shared by every check: split, each
file would build it again."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from instruments.models import Commitment
from softlaw import clock
from tests.factories import make_commitment, make_economy, make_instrument, make_report
from tests.pages import page, row, text
from tracker import rounds
from tracker.admin import rounds as admin_rounds
from tracker.models import Origin, ReportingRound, ReviewState

pytestmark = pytest.mark.django_db


def at(day: str, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour))
    )


def answer(economy, commitment, submitted, published=None, **fields):
    """A self-reported report submitted on one day and (unless published is False) published on
    another."""
    fields.setdefault("origin", Origin.SELF_REPORTED)
    if published is False:
        return make_report(
            economy,
            commitment,
            "partial",
            "2025-06-01",
            published=False,
            review_state=ReviewState.SUBMITTED,
            submitted_at=at(submitted),
            **fields,
        )
    return make_report(
        economy,
        commitment,
        "partial",
        "2025-06-01",
        submitted_at=at(submitted),
        published_at=at(published),
        **fields,
    )


@pytest.fixture
def cbpr_round(jpn, sgp):
    """A closed round on three CBPR commitments (and a collective one it does not ask):
    opened 10 January 2026, deadline 31 January 2026.

    Japan: A submitted 15 Jan, published 17 Jan (on time, 2 days); B submitted 3 Feb, published
    4 Feb (late, 1 day); C submitted 5 Jan, before the opening (missing), and C again submitted
    20 Jan but still waiting for review (missing). Singapore: nothing."""
    instrument = make_instrument("CBPR")
    a = make_commitment(instrument, "CBPR-A", order=1)
    b = make_commitment(instrument, "CBPR-B", order=2)
    c = make_commitment(instrument, "CBPR-C", order=3)
    make_commitment(instrument, "CBPR-SYS", order=4, scope=Commitment.Scope.COLLECTIVE)
    round = ReportingRound.objects.create(
        name="CBPR 2026",
        slug="cbpr-2026",
        opens_on=datetime.date(2026, 1, 10),
        deadline=datetime.date(2026, 1, 31),
    )
    round.instruments.add(instrument)
    answer(jpn, a, "2026-01-15", "2026-01-17")
    answer(jpn, a, "2026-02-10", "2026-02-11")  # a later answer: the first one decides
    answer(jpn, b, "2026-02-03", "2026-02-04")
    answer(jpn, c, "2026-01-05", "2026-01-06")
    answer(jpn, c, "2026-01-20", published=False)
    return round


def test_commitment_answered_on_time_late_or_missing(cbpr_round, jpn):
    items = rounds.round_checklist(round=cbpr_round, economy=jpn)
    assert [(i.commitment.code, i.answer) for i in items] == [
        ("CBPR-A", "on_time"),
        ("CBPR-B", "late"),
        ("CBPR-C", "missing"),
    ]
    assert items[0].report.submitted_at == at("2026-01-15")
    assert items[2].report is None
    assert isinstance(items[0], rounds.ChecklistItem)


def test_a_submission_on_the_deadline_day_is_on_time(cbpr_round, sgp):
    b = Commitment.objects.get(code="CBPR-B")
    answer(sgp, b, "2026-01-31", "2026-02-02")  # 12:00 on the deadline day
    assert [i.answer for i in rounds.round_checklist(round=cbpr_round, economy=sgp)] == [
        "missing",
        "on_time",
        "missing",
    ]


def test_grace_period_makes_a_late_answer_on_time(cbpr_round, jpn):
    cbpr_round.grace_until = datetime.date(2026, 2, 5)
    cbpr_round.save()
    assert [i.answer for i in rounds.round_checklist(round=cbpr_round, economy=jpn)] == [
        "on_time",
        "on_time",
        "missing",
    ]


def test_withdrawn_or_returned_reports_do_not_answer(cbpr_round, sgp):
    a = Commitment.objects.get(code="CBPR-A")
    report = answer(sgp, a, "2026-01-15", "2026-01-16")
    report.review_state = ReviewState.WITHDRAWN
    report.withdrawn_reason = "Wrong economy."
    report.save()
    make_report(
        sgp,
        a,
        "partial",
        "2025-06-01",
        published=False,
        review_state=ReviewState.RETURNED,
        submitted_at=at("2026-01-15"),
    )
    assert rounds.round_checklist(round=cbpr_round, economy=sgp)[0].answer == "missing"


def test_secretariat_research_is_not_the_economy_answer(cbpr_round, sgp):
    a = Commitment.objects.get(code="CBPR-A")
    answer(sgp, a, "2026-01-15", "2026-01-16", origin=Origin.SECRETARIAT)
    answer(sgp, a, "2026-01-15", "2026-01-16", origin=Origin.INDEPENDENT, assessor="UNCTAD")
    assert rounds.round_checklist(round=cbpr_round, economy=sgp)[0].answer == "missing"


def test_progress_per_economy_with_median_review_time(cbpr_round, jpn, sgp):
    progress = rounds.round_progress(round=cbpr_round, on=datetime.date(2026, 3, 1))
    assert progress.state == "closed"
    assert [c.code for c in progress.commitments] == ["CBPR-A", "CBPR-B", "CBPR-C"]
    japan, singapore = progress.economies  # by name
    assert (japan.economy, singapore.economy) == (jpn, sgp)
    assert (japan.asked, japan.on_time, japan.late, japan.missing) == (3, 1, 1, 1)
    assert japan.share_answered == pytest.approx(2 / 3)
    # Answers waited 2 days (A) and 1 day (B): the median is 1.5 days.
    assert japan.median_review == datetime.timedelta(days=1, hours=12)
    assert japan.median_review_days == 1.5
    assert japan.overall == rounds.PARTLY
    assert (singapore.on_time, singapore.late, singapore.missing) == (0, 0, 3)
    assert singapore.median_review is None
    assert singapore.overall == rounds.NOT_AT_ALL
    assert (progress.on_time, progress.late, progress.missing) == (1, 1, 4)
    assert [c.code for c in singapore.missing_commitments] == ["CBPR-A", "CBPR-B", "CBPR-C"]


def test_overall_answer_in_full(cbpr_round, sgp):
    for code in ("CBPR-A", "CBPR-B"):
        answer(sgp, Commitment.objects.get(code=code), "2026-01-12", "2026-01-13")
    answer(sgp, Commitment.objects.get(code="CBPR-C"), "2026-02-12", "2026-02-13")
    row_ = rounds.round_progress(round=cbpr_round, economies=[sgp]).economies[0]
    assert row_.overall == rounds.ALL_SOME_LATE
    assert row_.overall_label == "Answered in full, partly late"


def test_a_round_may_name_single_commitments(jpn):
    other = make_commitment(make_instrument("AIDER"), "AIDER-KFA-01")
    round = ReportingRound.objects.create(
        name="One", slug="one", opens_on=datetime.date(2026, 1, 1), deadline="2026-02-01"
    )
    round.commitments.add(other)
    assert [c.code for c in rounds.round_commitments(round=round)] == ["AIDER-KFA-01"]


def test_open_rounds_from_opening_to_end_of_grace():
    def make(slug, opens, deadline, grace=None):
        return ReportingRound.objects.create(
            name=slug, slug=slug, opens_on=opens, deadline=deadline, grace_until=grace
        )

    make("past", "2026-01-01", "2026-01-31")
    make("grace", "2026-01-01", "2026-01-31", "2026-02-10")
    make("now", "2026-02-01", "2026-02-28")
    make("later", "2026-03-01", "2026-03-31")
    on = datetime.date(2026, 2, 5)
    assert sorted(r.slug for r in rounds.open_rounds(on=on)) == ["grace", "now"]
    assert sorted(r.slug for r in rounds.open_rounds(on=datetime.date(2026, 2, 1))) == [
        "grace",
        "now",
    ]
    assert [r.slug for r in rounds.open_rounds(on=datetime.date(2026, 2, 11))] == ["now"]


# --- the checklist partial (wired into the officer's workspace) --------------------------------


def test_checklist_partial_names_each_commitment_and_its_answer(cbpr_round, jpn):
    html = render_to_string(
        "admin/tracker/_round_checklist.html",
        {"round_checklists": [(cbpr_round, rounds.round_checklist(round=cbpr_round, economy=jpn))]},
    )
    assert "Reporting round: CBPR 2026 — deadline 31 January 2026" in html
    assert text(row(html, "data-commitment", "CBPR-A")).startswith(
        "CBPR-A Commitment CBPR-A Answered on time"
    )
    assert "Answered late" in text(row(html, "data-commitment", "CBPR-B"))
    assert "Not answered" in text(row(html, "data-commitment", "CBPR-C"))
    assert '<th scope="col">Answer</th>' in html
    assert render_to_string("admin/tracker/_round_checklist.html", {}).strip() == ""


def test_checklists_for_lists_the_open_rounds_only(cbpr_round, jpn):
    assert rounds.checklists_for(economy=jpn, on=datetime.date(2026, 1, 20))[0][0] == cbpr_round
    assert rounds.checklists_for(economy=jpn, on=datetime.date(2026, 3, 1)) == []


# --- public pages ------------------------------------------------------------------------------


def test_public_round_page_shows_each_economy_answer(client, cbpr_round):
    html = page(client, "/rounds/cbpr-2026/")
    japan = text(row(html, "data-economy", "JPN"))
    assert japan == "Japan Answered in part 1 1 1 67 % 1.5"
    assert text(row(html, "data-economy", "SGP")) == "Singapore Not answered 0 0 3 0 % no answer"
    assert '<h1>CBPR 2026<span class="subtitle">Reporting round · closed</span></h1>' in html


def test_round_pages_show_no_unpublished_answer(client, cbpr_round):
    # Japan's second answer on C waits for review: nothing about it shows.
    html = page(client, "/rounds/cbpr-2026/")
    assert "1 1 1" in text(row(html, "data-economy", "JPN"))
    assert client.get("/rounds/nope/").status_code == 404


def test_round_list_links_every_round(client, cbpr_round):
    html = page(client, "/rounds/")
    assert 'href="/rounds/cbpr-2026/"' in html
    assert "Closed" in html


def test_dashboard_links_a_round_while_it_is_open(client, cbpr_round):
    assert "Reporting round open" not in page(client, "/")
    today = clock.today()
    cbpr_round.opens_on = today - datetime.timedelta(days=3)
    cbpr_round.deadline = today + datetime.timedelta(days=3)
    cbpr_round.save()
    html = page(client, "/")
    assert "Reporting round open" in html
    assert 'href="/rounds/cbpr-2026/"' in html


def test_round_page_query_count_is_pinned(client, cbpr_round, django_assert_num_queries):
    # 1 the round, 2 its commitments, 3 the economies, 4 the answering reports, 5 its
    # instruments.
    with django_assert_num_queries(5):
        page(client, "/rounds/cbpr-2026/")
    for n in range(4):
        economy = make_economy()
        for commitment in Commitment.objects.filter(code__in=["CBPR-A", "CBPR-B"]):
            answer(economy, commitment, f"2026-01-1{n}", "2026-01-20")
    with django_assert_num_queries(5):
        html = page(client, "/rounds/cbpr-2026/")
    assert html.count("data-economy=") == 6


# --- API -----------------------------------------------------------------------------------------


def test_api_lists_rounds_with_explicit_fields(client, cbpr_round):
    body = client.get("/api/v1/rounds/").json()
    assert body["count"] == 1
    item = body["results"][0]
    assert item == {
        "slug": "cbpr-2026",
        "name": "CBPR 2026",
        "description": "",
        "opens_on": "2026-01-10",
        "deadline": "2026-01-31",
        "grace_until": None,
        "state": "closed",
        "instruments": ["cbpr"],
        "commitments": [],
        "page": "http://testserver/rounds/cbpr-2026/",
    }


def test_api_round_gives_each_economy_answer(client, cbpr_round):
    body = client.get("/api/v1/rounds/cbpr-2026/").json()
    assert body["economies"] == [
        {
            "economy": "JPN",
            "economy_name": "Japan",
            "answer": "partly",
            "asked": 3,
            "on_time": 1,
            "late": 1,
            "missing": 1,
            "median_review_days": 1.5,
        },
        {
            "economy": "SGP",
            "economy_name": "Singapore",
            "answer": "not_at_all",
            "asked": 3,
            "on_time": 0,
            "late": 0,
            "missing": 3,
            "median_review_days": None,
        },
    ]


def test_api_round_as_csv_is_its_table_of_answers(client, cbpr_round):
    response = client.get("/api/v1/rounds/cbpr-2026/?format=csv")
    assert response.content.decode().splitlines() == [
        "economy,economy_name,answer,asked,on_time,late,missing,median_review_days",
        "JPN,Japan,partly,3,1,1,1,1.5",
        "SGP,Singapore,not_at_all,3,0,0,3,",
    ]
    lines = client.get("/api/v1/rounds/?format=csv").content.decode().splitlines()
    assert lines[0] == (
        "slug,name,description,opens_on,deadline,grace_until,state,instruments,commitments,page"
    )
    assert lines[1] == (
        "cbpr-2026,CBPR 2026,,2026-01-10,2026-01-31,,closed,cbpr,,http://testserver/rounds/cbpr-2026/"
    )


def test_api_rounds_query_counts_are_pinned(client, cbpr_round, django_assert_num_queries):
    # List: 1 ETag, 2 COUNT, 3 the page, 4 instruments, 5 commitments (prefetched).
    with django_assert_num_queries(5):
        client.get("/api/v1/rounds/")
    for n in range(5):
        ReportingRound.objects.create(
            name=f"R{n}", slug=f"r{n}", opens_on="2026-01-01", deadline="2026-02-01"
        ).instruments.add(cbpr_round.instruments.get())
    with django_assert_num_queries(5):
        assert client.get("/api/v1/rounds/").json()["count"] == 6
    # Detail: 1 ETag, 2 the round, 3 instruments, 4 commitments, 5 the round's commitments,
    # 6 economies, 7 answering reports.
    with django_assert_num_queries(7):
        client.get("/api/v1/rounds/cbpr-2026/")


def test_rounds_are_in_the_openapi_schema(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    assert "/api/v1/rounds/" in schema["paths"]
    assert "/api/v1/rounds/{slug}/" in schema["paths"]
    assert "median_review_days" in schema["components"]["schemas"]["RoundEconomy"]["properties"]


def test_rounds_api_is_read_only(admin_client, cbpr_round):
    assert admin_client.post("/api/v1/rounds/", {}).status_code == 405


# --- admin: editors only, with the progress grid -----------------------------------------------


def test_editor_sees_the_progress_grid(client, editor, cbpr_round):
    client.force_login(editor)
    html = page(client, f"/admin/tracker/reportinground/{cbpr_round.pk}/change/")
    japan = text(row(html, "data-economy", "JPN"))
    assert japan == "Japan 67 % (2/3) 1 1 1 on time late missing"
    assert (
        text(row(html, "data-economy", "SGP"))
        == "Singapore 0 % (0/3) 0 0 3 missing missing missing"
    )


def test_a_round_asking_more_than_a_grid_reads_across_gives_each_economys_totals(
    client, editor, cbpr_round, monkeypatch
):
    # A global tracker's round of 60 instruments asks 1,200 commitments: a column each would
    # be 240,000 cells. Lowered here below the round's 3.
    monkeypatch.setattr(admin_rounds, "GRID_COLUMNS", 2)
    client.force_login(editor)
    html = page(client, f"/admin/tracker/reportinground/{cbpr_round.pk}/change/")
    assert text(row(html, "data-economy", "JPN")) == "Japan 67 % (2/3) 1 1 1"
    assert "The round asks 3 commitments, too many for a column each" in html
    assert "answer-on_time" not in html and "<abbr title=" not in html.split("round-progress")[1]


def test_editor_creates_a_round(client, editor, jpn):
    instrument = make_instrument("AIDER")
    make_commitment(instrument, "AIDER-1")
    client.force_login(editor)
    response = client.post(
        "/admin/tracker/reportinground/add/",
        {
            "name": "AIDER 2027",
            "slug": "aider-2027",
            "description": "",
            "instruments": [instrument.pk],
            "opens_on": "2027-01-01",
            "deadline": "2026-12-01",
        },
    )
    assert b"The deadline cannot be before the opening date." in response.content
    response = client.post(
        "/admin/tracker/reportinground/add/",
        {
            "name": "AIDER 2027",
            "slug": "aider-2027",
            "instruments": [instrument.pk],
            "opens_on": "2027-01-01",
            "deadline": "2027-02-01",
        },
    )
    assert response.status_code == 302
    assert list(ReportingRound.objects.get().instruments.all()) == [instrument]


def test_round_must_not_ask_collective_commitments(client, editor):
    collective = make_commitment(make_instrument("X"), "X-SYS", scope=Commitment.Scope.COLLECTIVE)
    client.force_login(editor)
    response = client.post(
        "/admin/tracker/reportinground/add/",
        {
            "name": "X",
            "slug": "x",
            "commitments": [collective.pk],
            "opens_on": "2027-01-01",
            "deadline": "2027-02-01",
        },
    )
    assert b"these are collective: X-SYS" in response.content


@pytest.mark.parametrize("persona", ["officer_jpn", "officer_sgp", "reviewer"])
def test_only_editors_manage_rounds(client, cbpr_round, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/admin/tracker/reportinground/").status_code == 403
    assert client.get(f"/admin/tracker/reportinground/{cbpr_round.pk}/change/").status_code in (
        302,
        403,
    )
    assert client.get("/admin/tracker/reportinground/add/").status_code == 403
