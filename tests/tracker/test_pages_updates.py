"""/updates/ and its Atom feed, on tests/region.py."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import region as r
from tests.factories import make_report
from tests.pages import page

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def entries(html: str) -> list[str]:
    found = re.findall(r'<li class="update" id="update-\d+">(.*?)</li>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", e).split()) for e in found]


def test_every_published_report_newest_first_with_what_it_replaced(client, region):
    html = page(client, "/updates/")
    assert "9 reports." in html  # the draft is not published
    listed = entries(html)
    assert len(listed) == 9
    assert listed[0].startswith("1 Jan 2020 Papua New Guinea · AIDER AIDER-KFA-02")
    assert listed[-1].startswith("1 Jun 2012 Japan · CBPR CBPR-ECON-1")
    correction = next(e for e in listed if e.startswith("1 Jan 2016"))
    # The short word is shown; screen readers hear the full label and "changed to".
    assert "◑ Partial Partially implemented → changed to ✔ Fully implemented" in correction
    assert "First report:" in listed[-1]
    sgp = next(e for e in listed if "Singapore · CBPR" in e)
    assert "Overdue" in sgp and "target 31 Dec 2015" in sgp


def test_as_of_and_filters(client, region):
    html = page(client, "/updates/?as_of=2015-01-01")
    assert "4 reports." in html
    assert "Overdue" not in html  # SGP's target was still ahead
    assert len(entries(page(client, "/updates/?subregion=Melanesia"))) == 1
    assert len(entries(page(client, "/updates/?theme=privacy"))) == 5  # JPN 4, SGP 1
    assert len(entries(page(client, "/updates/?forum=DESG&subregion=Eastern+Asia"))) == 2


def test_pages_of_fifty(client, region):
    for n in range(50):
        make_report(region.sgp, region.a2, "pilot", r.D(2021, 1, 1) + r.datetime.timedelta(n))
    html = page(client, "/updates/?page=2")
    assert "59 reports; page 2 of 2." in html
    assert len(entries(html)) == 9
    assert 'href="?page=1" rel="prev"' in html
    for bad in ("3", "0", "two"):
        response = client.get(f"/updates/?page={bad}")
        assert response.status_code == 400
        assert "page must be a whole number from 1 to 2" in response.content.decode()


def test_query_count_does_not_grow(client, region, django_assert_num_queries):
    # 1 sub-regions, 2 themes, 3 forums (filter choices), 4 count, 5 the page of reports
    # with economy and commitment, 6 the statuses they replaced.
    with django_assert_num_queries(6):
        page(client, "/updates/")
    r.add_economies(region, 10)
    with CaptureQueriesContext(connection) as queries:
        html = page(client, "/updates/")
    assert len(queries) == 6
    assert len(entries(html)) == 50


def test_atom_feed(client, region, django_assert_num_queries):
    # 1 the latest published reports with economy, commitment and instrument.
    with django_assert_num_queries(1):
        response = client.get("/updates/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    items = feed.findall(f"{ATOM}entry")
    assert len(items) == 9
    titles = {e.find(f"{ATOM}title").text for e in items}
    assert "Japan: CBPR-ECON-2 (CBPR) — Fully implemented" in titles
    assert "Papua New Guinea: CBPR-ECON-1 (CBPR) — Fully implemented" not in titles  # draft
    link = items[0].find(f"{ATOM}link").get("href")
    assert re.fullmatch(r"http://testserver/reports/\d+/", link)
    assert all(e.find(f"{ATOM}id").text.startswith("tag:soft-law-tracker,") for e in items)
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "Soft-Law Tracker"  # Atom needs one


def test_feed_is_linked_from_every_page(client, region):
    html = page(client, "/methodology/")
    assert 'type="application/atom+xml"' in html and 'href="/updates/feed/"' in html
