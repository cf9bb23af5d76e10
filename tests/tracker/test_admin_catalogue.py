"""The catalogue in the admin (economies, forums, themes, instruments, commitments): editors
maintain it; officers and reviewers read it; officer assignment is managed with the users."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from economies.models import Economy
from instruments.models import Commitment, Forum, Instrument, Theme
from tests.factories import make_commitment, make_instrument

# Every test here needs the database, also those that pick a persona at run time: the mark
# keeps them ordered before the transactional (live-server) tests, which empty it.
pytestmark = pytest.mark.django_db


def changelist(model):
    return reverse(f"admin:{model}_changelist")


MODELS = [
    "economies_economy",
    "instruments_forum",
    "instruments_theme",
    "instruments_instrument",
    "instruments_commitment",
]


@pytest.mark.parametrize("model", MODELS)
def test_editor_may_add_and_change_every_catalogue_model(client, editor, model):
    client.force_login(editor)
    assert client.get(changelist(model)).status_code == 200
    assert client.get(reverse(f"admin:{model}_add")).status_code == 200


@pytest.mark.parametrize("persona", ["officer_jpn", "reviewer"])
@pytest.mark.parametrize("model", ["economies_economy", "instruments_instrument"])
def test_officer_and_reviewer_read_but_never_change_the_catalogue(
    client, request, persona, model, jpn, commitment
):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(changelist(model)).status_code == 200
    assert client.get(reverse(f"admin:{model}_add")).status_code == 403
    obj = jpn if model == "economies_economy" else commitment.instrument
    url = reverse(f"admin:{model}_change", args=[obj.pk])
    assert client.get(url).status_code == 200  # read-only view
    assert client.post(url, {"name": "Changed", "title": "Changed"}).status_code == 403
    obj.refresh_from_db()
    assert "Changed" not in (getattr(obj, "name", ""), getattr(obj, "title", ""))


@pytest.mark.parametrize("persona", ["officer_jpn", "reviewer"])
def test_forums_and_themes_are_editors_only(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(changelist("instruments_forum")).status_code == 403
    assert client.get(changelist("instruments_theme")).status_code == 403


def test_editor_adds_an_instrument_with_commitments_inline(client, editor):
    forum = Forum.objects.create(short_name="ECSG", name="Electronic Commerce Steering Group")
    theme = Theme.objects.create(slug="privacy", name="Privacy")
    client.force_login(editor)
    response = client.post(
        reverse("admin:instruments_instrument_add"),
        {
            "slug": "pf",
            "short_name": "PF",
            "title": "APEC Privacy Framework",
            "kind": "framework",
            "adopted_on": "2005-11-01",
            "adopted_precision": "month",
            "forum": forum.pk,
            "themes": [theme.pk],
            "is_apec_instrument": "on",
            "commitments-TOTAL_FORMS": "2",
            "commitments-INITIAL_FORMS": "0",
            "commitments-MIN_NUM_FORMS": "0",
            "commitments-MAX_NUM_FORMS": "1000",
            "commitments-0-order": "1",
            "commitments-0-code": "PF-P-1",
            "commitments-0-title": "Preventing harm",
            "commitments-0-scope": "economy",
            "commitments-0-weight": "1",
            "commitments-1-order": "2",
            "commitments-1-code": "PF-COLL-1",
            "commitments-1-title": "Cross-border cooperation",
            "commitments-1-scope": "collective",
            "commitments-1-weight": "1",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    instrument = Instrument.objects.get(short_name="PF")
    assert list(instrument.commitments.values_list("code", "scope")) == [
        ("PF-P-1", "economy"),
        ("PF-COLL-1", "collective"),
    ]
    assert {h.history_user for h in instrument.history.all()} == {editor}


def test_editor_changes_a_commitment_weight(client, editor, commitment):
    client.force_login(editor)
    url = reverse("admin:instruments_commitment_change", args=[commitment.pk])
    response = client.post(
        url,
        {
            "instrument": commitment.instrument_id,
            "code": commitment.code,
            "title": commitment.title,
            "order": commitment.order,
            "weight": "2",
            "scope": "economy",
        },
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.weight == 2


def test_editor_cannot_name_officers(client, editor, jpn):
    # Naming an officer grants the right to write an economy's reports: a user manager's job.
    client.force_login(editor)
    form = (
        client.get(reverse("admin:economies_economy_change", args=[jpn.pk]))
        .context["adminform"]
        .form
    )
    assert "officers" not in form.fields


def test_user_manager_assigns_officers_on_the_economy(client, jpn, django_user_model):
    admin_user = django_user_model.objects.create_superuser("root", password="x")
    newcomer = django_user_model.objects.create_user("newcomer", is_staff=True)
    client.force_login(admin_user)
    url = reverse("admin:economies_economy_change", args=[jpn.pk])
    page = client.get(url)
    assert "officers" in page.context["adminform"].form.fields
    assert "selectfilter" in page.content.decode()  # filter_horizontal's widget
    data = {k: v for k, v in page.context["adminform"].form.initial.items() if v not in (None, [])}
    data["officers"] = [newcomer.pk]
    assert client.post(url, data).status_code == 302
    assert list(jpn.officers.all()) == [newcomer]
    # The economy's history keeps the change of officers, with who made it.
    latest = jpn.history.latest()
    assert latest.history_user == admin_user
    assert [o.user_id for o in latest.officers.all()] == [newcomer.pk]


def test_user_manager_assigns_economies_on_the_user(client, jpn, sgp, django_user_model):
    admin_user = django_user_model.objects.create_superuser("root", password="x")
    officer = django_user_model.objects.create_user("officer", is_staff=True)
    sgp.officers.add(officer)
    client.force_login(admin_user)
    url = reverse("admin:auth_user_change", args=[officer.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    assert [e.code for e in form.fields["officer_of"].initial] == ["SGP"]
    response = client.post(
        url,
        {
            "username": "officer",
            "is_active": "on",
            "is_staff": "on",
            "date_joined_0": "2025-01-01",
            "date_joined_1": "00:00:00",
            "officer_of": [jpn.pk],
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(officer.officer_of.values_list("code", flat=True)) == ["JPN"]
    # Recorded on both economies' history: Japan gained an officer, Singapore lost one.
    assert jpn.history.latest().history_user == admin_user
    assert [o.user_id for o in sgp.history.latest().officers.all()] == []


def test_editor_cannot_manage_users(client, editor):
    client.force_login(editor)
    assert client.get(changelist("auth_user")).status_code == 403


def test_economy_changelist_query_count_does_not_grow(client, editor, jpn):
    from tests.factories import make_economy

    client.force_login(editor)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(changelist("economies_economy")).status_code == 200
        return len(queries)

    # 1 session, 2 user, 3 and 4 permissions, 5 filtered count, 6 total count, 7 the user's
    # economies (may the side menu list status reports?), 8 the page, 9-11 the region,
    # sub-region and year filters' choices.
    assert count() == 11
    for _ in range(8):
        make_economy(iso_alpha2=None)
    assert Economy.objects.count() == 9
    assert count() == 11


def test_commitment_changelist_query_count_does_not_grow(client, editor, commitment):
    client.force_login(editor)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(changelist("instruments_commitment")).status_code == 200
        return len(queries)

    # 1 session, 2 user, 3 and 4 permissions, 5 instruments for the filter, 6 filtered count,
    # 7 total count, 8 the user's economies (side menu), 9 the page of commitments with their
    # instrument.
    assert count() == 9
    for n in range(6):
        make_commitment(make_instrument(f"I{n}"))
    assert Commitment.objects.count() == 7
    assert count() == 9
