"""How the pages print figures and statuses (tracker/templatetags/tracker_tags.py)."""

import datetime

from django.template import Context, Template
from django.test import RequestFactory

from softlaw import clock
from tracker.templatetags import tracker_tags as tags


def render(source: str, **context) -> str:
    return Template("{% load tracker_tags %}" + source).render(Context(context))


def test_score_band_follows_the_scoring_bands():
    assert [tags.score_band(s) for s in (None, 0, 19.9, 20, 59.9, 79.99, 80, 100)] == [
        "no-data",
        "band-0",
        "band-0",
        "band-1",
        "band-2",
        "band-3",
        "band-4",
        "band-4",
    ]


def test_percent_and_figure_never_print_no_data_as_zero():
    assert tags.percent(0.875) == "88 %"
    assert tags.percent(0) == "0 %"
    assert tags.percent(None) == "—"
    assert tags.figure(83.333) == "83.3"
    assert tags.figure(0.0) == "0.0"
    assert tags.figure(None) == "no data"
    assert tags.figure(0.4444, 3) == "0.444"


def test_status_badge_is_symbol_and_words_never_colour_alone():
    html = render("{% status_badge 'partial' %}")
    assert 'class="status band-3"' in html and "◑" in html and "Partially implemented" in html
    compact = render("{% status_badge 'not_implemented' compact=True %}")
    assert (
        "Not impl." in compact and '<span class="visually-hidden">Not implemented</span>' in compact
    )
    none = render("{% status_badge '' overdue=True %}")
    assert "No data" in none and "no-data" in none and "Overdue" in none


def test_score_legend_labels():
    assert tags.score_legend() == [
        ("band-0", "under 20"),
        ("band-1", "20 to under 40"),
        ("band-2", "40 to under 60"),
        ("band-3", "60 to under 80"),
        ("band-4", "80 or more"),
    ]


def test_page_url_carries_as_of():
    assert render("{% page_url 'economy_detail' 'JPN' %}") == "/economies/JPN/"
    assert (
        render("{% page_url 'economy_detail' 'JPN' %}", as_of=datetime.date(2020, 5, 1))
        == "/economies/JPN/?as_of=2020-05-01"
    )


def test_permalink_and_without_as_of_keep_the_filters():
    request = RequestFactory().get("/trends/", {"theme": "privacy", "as_of": "2019-01-01"})
    as_of = datetime.date(2019, 1, 1)
    assert render("{% permalink %}", request=request, as_of=as_of) == (
        "/trends/?theme=privacy&amp;as_of=2019-01-01"
    )
    assert render("{% without_as_of %}", request=request, as_of=as_of) == "/trends/?theme=privacy"
    today = clock.today().isoformat()
    plain = RequestFactory().get("/")
    assert render("{% permalink %}", request=plain) == f"/?as_of={today}"
    assert render("{% without_as_of %}", request=plain) == "/"


def test_source_list_keeps_one_address_a_line():
    assert tags.source_list("https://a.example\n\n  https://b.example  \n") == [
        "https://a.example",
        "https://b.example",
    ]
    assert tags.source_list("") == []
