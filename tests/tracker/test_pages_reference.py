"""/methodology/ and /data/: the scale and every formula, downloads and the API."""

import re

import pytest
from django.urls import reverse

from tests.pages import figure, page

pytestmark = pytest.mark.django_db


def test_methodology_states_the_scale(client, django_assert_num_queries):
    # 1: published reports per origin, assessor and snapshot date (selectors.reports_by_origin).
    with django_assert_num_queries(1):
        html = page(client, "/methodology/")
    points = dict(
        re.findall(r'<tr data-status="(\w+)">.*?data-field="points">(.*?)</td>', html, re.S)
    )
    assert points == {
        "implemented": "3",
        "partial": "2",
        "pilot": "1",
        "planned": "0",
        "not_implemented": "0",
        "not_applicable": "left out of the score (counts for coverage)",
    }


def test_methodology_worked_examples_by_hand(client):
    html = page(client, "/methodology/")
    # 100 × (3 + 2) / (3 + 3) = 83.3; coverage 3 of 4 = 75 %.
    assert figure(html, "example-score") == "83.3"
    assert figure(html, "example-coverage") == "75 %"
    # 100, 50 and 0 (and one no data): mean 50, σ √(5000 / 3) = 40.82,
    # Gini (2 × (50 + 100 + 50)) / (2 × 9 × 50) = 0.444.
    assert figure(html, "example-mean") == "50.0"
    assert figure(html, "example-stdev") == "40.82"
    assert figure(html, "example-gini") == "0.444"
    for formula in ("100 × Σ w·points ÷ Σ w·3", "√(Σ (x − mean)² ÷ n)", "(2 n² · mean)"):
        assert formula in html


def test_data_page_links_downloads_and_api(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        html = page(client, "/data/")
    for dataset in ("status", "reports"):
        for fmt in ("csv", "xlsx"):
            url = reverse("data_download", kwargs={"dataset": dataset, "fmt": fmt})
            assert f'href="{url}" data-download="{dataset}.{fmt}"' in html
    for api in ("/api/v1/", "/api/v1/docs/", "/api/v1/schema/"):
        assert f'href="{api}"' in html


def test_data_page_as_of_reaches_the_downloads(client):
    html = page(client, "/data/?as_of=2020-12-31")
    assert 'href="/data/download/status.csv?as_of=2020-12-31"' in html
    assert 'href="/data/download/reports.xlsx?as_of=2020-12-31"' in html


def test_bad_as_of_on_a_page_without_figures_is_still_a_400(client):
    response = client.get("/methodology/?as_of=31/12/2020")
    assert response.status_code == 400
    assert "as_of must be a date written YYYY-MM-DD" in response.content.decode()
