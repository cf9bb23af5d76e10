"""Query counts pinned per endpoint, each query named; none grows with rows or page size."""

import pytest

from tests.factories import make_commitment, make_economy, make_instrument, make_report

pytestmark = pytest.mark.django_db


def more_rows(dataset, n=6):
    """Several times the rows of every table an endpoint reads."""
    from instruments.models import Forum, Theme

    for i in range(n):
        economy = make_economy(f"Q{chr(65 + i)}A", subregion="Melanesia")
        instrument = make_instrument(f"EXTRA{i}")
        instrument.themes.add(Theme.objects.create(slug=f"t{i}", name=f"Theme {i}"))
        Forum.objects.create(short_name=f"F{i}", name=f"Forum {i}", parent=dataset.forum)
        extra = make_commitment(instrument, f"EXTRA{i}-C1")
        extra.prerequisites.add(dataset.econ5)
        for commitment in (dataset.econ5, dataset.econ6, extra):
            make_report(economy, commitment, "partial", "2021-01-01")
            make_report(economy, commitment, "implemented", "2022-01-01", target_date=None)


# Each list: (url, queries, what they are). The ETag query is a UNION ALL of one
# COUNT/MAX(updated_at) per table the response shows.
ANONYMOUS_LISTS = [
    ("/api/v1/economies/", 3, "ETag; COUNT for the page count; the page"),
    ("/api/v1/forums/", 3, "ETag; COUNT; the page, parent joined"),
    ("/api/v1/themes/", 3, "ETag (theme history); COUNT; the page"),
    ("/api/v1/instruments/", 4, "ETag; COUNT; the page, forum joined; themes prefetched"),
    ("/api/v1/commitments/", 4, "ETag; COUNT; the page, instrument joined; prerequisites"),
    ("/api/v1/status/", 3, "ETag; COUNT of current reports (subquery); the page, values_list"),
    (
        "/api/v1/status/?as_of=2021-06-30",
        3,
        "ETag; COUNT of the reports current on the date (a range subquery); the page",
    ),
    ("/api/v1/reports/", 2, "ETag; the cursor page (no COUNT with cursor pages)"),
    (
        "/api/v1/scores/",
        5,
        "ETag; economies; scored instruments; scoring: commitments, published reports",
    ),
    ("/api/v1/regional/", 5, "ETag; economies; instruments; scoring: commitments, reports"),
    ("/api/v1/economies/JPN/", 2, "ETag; the economy"),
    ("/api/v1/instruments/cbpr/", 3, "ETag; the instrument; its themes"),
]


@pytest.mark.parametrize(("url", "queries", "named"), ANONYMOUS_LISTS)
def test_anonymous_query_count_is_pinned_and_does_not_grow(
    api, dataset, django_assert_num_queries, url, queries, named
):
    with django_assert_num_queries(queries):
        assert api.get(url).status_code == 200
    more_rows(dataset)
    with django_assert_num_queries(queries):
        body = api.get(url).json()
    if "results" in body:
        assert len(body["results"]) > 4  # the rows did grow


@pytest.mark.parametrize("resource", ["status", "economies", "scores"])
def test_query_count_does_not_grow_with_page_size(
    api, dataset, django_assert_num_queries, resource
):
    more_rows(dataset)
    small = f"/api/v1/{resource}/?page_size=1"
    with django_assert_num_queries(3 if resource != "scores" else 5) as small_run:
        api.get(small)
    with django_assert_num_queries(len(small_run.captured_queries)):
        body = api.get(f"/api/v1/{resource}/?page_size=1000").json()
    assert len(body["results"]) >= 9


def test_filters_on_natural_keys_cost_one_lookup_each(api, dataset, django_assert_num_queries):
    # ETag; economy codes checked; theme checked; COUNT; the page.
    with django_assert_num_queries(5):
        assert api.get("/api/v1/status/?economy=JPN,SGP&theme=privacy").status_code == 200


def test_not_modified_answer_costs_only_the_etag_query(api, dataset, django_assert_num_queries):
    etag = api.get("/api/v1/scores/")["ETag"]
    with django_assert_num_queries(1):  # the ETag query; nothing is computed
        assert api.get("/api/v1/scores/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_officer_report_list_query_count(api_officer_jpn, dataset, django_assert_num_queries):
    # Token with its user; ETag; the user's and their groups' permissions (is the officer a
    # reviewer? tracker.roles); the scoped cursor page.
    with django_assert_num_queries(5):
        assert api_officer_jpn.get("/api/v1/reports/").status_code == 200
    more_rows(dataset)
    with django_assert_num_queries(5):
        assert api_officer_jpn.get("/api/v1/reports/").status_code == 200


def test_report_detail_reads_the_report_once(api, dataset, django_assert_num_queries):
    # ETag; the report (scope, and its version for the ETag); its row with codes joined.
    with django_assert_num_queries(3):
        assert api.get(f"/api/v1/reports/{dataset.jpn_econ5.pk}/").status_code == 200
