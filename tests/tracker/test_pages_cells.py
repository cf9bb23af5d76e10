"""The cells the economy and instrument pages build in Python (tracker.tables, tracker.markup)
are the HTML the template tags and filters would give."""

import datetime
import re

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from tracker import markup, tables
from tracker.models import Status


def render(source: str, **context) -> str:
    return Template("{% load tracker_tags %}" + source).render(Context(context))


# The badge as includes/status.html wrote it, when the template tag and the tables each had a
# copy of it: one status in full, one compact and overdue, and no data.
BADGES = {
    ("partial", False, False): (
        '<span class="status band-3"><span class="sym" aria-hidden="true">◑</span> '
        "Partially implemented</span>"
    ),
    ("planned", True, True): (
        '<span class="status band-1 compact"><span class="sym" aria-hidden="true">◷</span> '
        '<span class="short" aria-hidden="true">Planned</span><span class="visually-hidden">'
        'Planning stage</span></span> <span class="overdue"><span aria-hidden="true">⚠</span> '
        "Overdue</span>"
    ),
    ("", False, True): (
        '<span class="status no-data compact"><span class="sym" aria-hidden="true">?</span> '
        '<span class="short" aria-hidden="true">No data</span><span class="visually-hidden">'
        "No data</span></span>"
    ),
}


@pytest.mark.parametrize(("code", "overdue", "compact"), list(BADGES))
def test_badge_is_the_markup_the_pages_showed(code, overdue, compact):
    assert markup.badge(code, overdue=overdue, compact=compact) == BADGES[code, overdue, compact]


@pytest.mark.parametrize("code", [*Status.values, ""])
@pytest.mark.parametrize("overdue", [False, True])
@pytest.mark.parametrize("compact", [False, True])
def test_status_badge_tag_and_tables_write_one_badge(code, overdue, compact):
    rendered = render(
        "{% status_badge code overdue=overdue compact=compact %}",
        code=code,
        overdue=overdue,
        compact=compact,
    )
    python = markup.Cells().badge(code, overdue=overdue, compact=compact)
    assert rendered == python == markup.badge(code, overdue=overdue, compact=compact)


def test_python_dates_are_the_date_filter():
    cells = markup.Cells()
    for day in (datetime.date(2012, month, 1 + month) for month in range(1, 13)):
        assert cells.day(day) == render('{{ day|date:"j M Y" }}', day=day)
        assert cells.time(day) == render(
            '<time datetime="{{ day|date:\'Y-m-d\' }}">{{ day|date:"j M Y" }}</time>', day=day
        )
    assert cells.time(None) == "—"


def test_python_dates_follow_the_active_language():
    with translation.override("fr"):
        assert markup.Cells().day(datetime.date(2012, 2, 1)) == render(
            '{{ day|date:"j M Y" }}', day=datetime.date(2012, 2, 1)
        )


@pytest.mark.django_db
def test_timeline_publication_date_is_in_the_site_time_zone(settings):
    from tests.region import build_region
    from tracker.models import StatusReport
    from tracker.selectors import Update

    build_region()
    report = StatusReport.objects.select_related("commitment__instrument").first()
    report.published_at = datetime.datetime(2020, 1, 1, 20, 0, tzinfo=datetime.UTC)
    with timezone.override("Pacific/Auckland"):  # 2 January there
        html = tables.timeline_items([Update(report, None, False)])
        assert " · published 2 Jan 2020 after review" in html
        assert render('{{ when|date:"j M Y" }}', when=report.published_at) == "2 Jan 2020"


# The matrix's cells as the instrument page's template wrote them.
MATRIX_CELLS_TEMPLATE = (
    "{% for cell in row.cells %}"
    '<td class="status-cell" data-status="{{ cell.status.status|default:\'\' }}">'
    "{% if cell.status %}<a href=\"{% page_url 'report_detail' cell.status.report_id %}\" "
    "title=\"since {{ cell.status.effective_date|date:'j M Y' }}\">"
    "{% status_badge cell.status.status overdue=cell.overdue compact=True %}</a>"
    '{% else %}{% status_badge "" compact=True %}{% endif %}</td>'
    "{% endfor %}"
)


@pytest.mark.django_db
@pytest.mark.parametrize("as_of", [None, datetime.date(2015, 12, 31)])
def test_matrix_cells_are_what_the_template_wrote(as_of):
    from instruments.selectors import instrument_profile
    from tests.region import build_region

    region = build_region()
    profile = instrument_profile(instrument=region.cbpr, as_of=as_of)
    for row in profile.matrix_rows(profile.ranking):
        expected = render(MATRIX_CELLS_TEMPLATE, row=row, as_of=as_of).replace("\n", "")
        html = tables.matrix_cells(row, as_of=as_of)
        # Beside each status, where it comes from (tested in test_pages_origins.py); no two
        # origins disagree in this region.
        assert html.count('<abbr class="origin"') == sum(1 for c in row.cells if c.status)
        assert "disagree" not in html
        assert re.sub(r' <abbr class="origin".*?</abbr>', "", html) == expected
