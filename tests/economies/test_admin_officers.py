"""Who is an officer of an economy is seen in the admin only by those who name officers.

Naming an officer grants the right to write that economy's reports, so it is managed with the
users (tracker.roles.can_manage_officers). Everyone else who may read an economy in the admin
(officers, reviewers, editors) reads its form and its history without the officers: not the
field, not the changes to it, not the rows that record nothing but an assignment.
"""

import pytest
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tracker import roles

# Every test here needs the database, also those that pick a persona at run time: the mark
# keeps them ordered before the transactional (live-server) tests, which empty it.
pytestmark = pytest.mark.django_db

READERS = ["officer_jpn", "officer_sgp", "reviewer", "editor"]
MANAGERS = ["superuser", "user_manager"]


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", password="x")


@pytest.fixture
def user_manager(django_user_model):
    """Staff who manage users (and so officers) without being superusers."""
    user = django_user_model.objects.create_user("user_manager", is_staff=True)
    for codename in ("view_user", "change_user", "view_economy"):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


@pytest.fixture
def jpn_history(client, jpn, officer_jpn, editor, superuser, django_user_model):
    """Japan's history: created, officer_jpn named, an editor's note, then a superuser naming
    a second officer through the economy's form (the assignment alone: a form that changes only
    the officers leaves the economy itself unsaved, so nothing public moves)."""
    client.force_login(editor)
    url = reverse("admin:economies_economy_change", args=[jpn.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v not in (None, [])}
    assert client.post(url, {**data, "notes": "Joined in 1989."}).status_code == 302

    second = django_user_model.objects.create_user("second_officer_jpn", is_staff=True)
    client.force_login(superuser)
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v not in (None, [])}
    data["officers"] = [officer_jpn.pk, second.pk]
    assert client.post(url, data).status_code == 302
    client.logout()
    assert jpn.history.count() == 4
    return jpn


def history(client, economy):
    return client.get(reverse("admin:economies_economy_history", args=[economy.pk]))


def shown_fields(response) -> list[str]:
    """Every field of the form, editable or read-only."""
    return flatten_fieldsets(response.context["adminform"].fieldsets)


def changed_fields(response) -> list[list[str]]:
    """The fields each listed record changes, newest first (the creation changes none)."""
    return [
        [change["field"].lower() for change in getattr(record, "history_delta_changes", [])]
        for record in response.context["page_obj"].object_list
    ]


def test_who_manages_officers(request, anonymous):
    assert [roles.can_manage_officers(request.getfixturevalue(p)) for p in MANAGERS] == [True] * 2
    assert [roles.can_manage_officers(request.getfixturevalue(p)) for p in READERS] == [False] * 4
    assert not roles.can_manage_officers(anonymous)


@pytest.mark.parametrize("persona", READERS)
def test_history_leaves_officer_assignments_out_for_readers(client, request, persona, jpn_history):
    client.force_login(request.getfixturevalue(persona))
    response = history(client, jpn_history)
    assert response.status_code == 200
    # The editor's note and the creation; not the assignments, nor the superuser's save of
    # the form that only carried one.
    assert changed_fields(response) == [["notes"], []]
    page = response.content.decode()
    assert "Joined in 1989." in page
    assert "Officers" not in page
    assert "second_officer_jpn" not in page
    assert "root" not in page


@pytest.mark.parametrize("persona", MANAGERS)
def test_history_shows_officer_assignments_to_user_managers(client, request, persona, jpn_history):
    client.force_login(request.getfixturevalue(persona))
    response = history(client, jpn_history)
    assert response.status_code == 200
    assert changed_fields(response) == [["officers"], ["notes"], ["officers"], []]
    page = response.content.decode()
    assert "second_officer_jpn" in page and "officer_jpn" in page


def test_anonymous_is_sent_to_login_for_the_history(client, jpn_history):
    response = history(client, jpn_history)
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("persona", READERS)
def test_an_old_version_shows_no_officers_to_readers(client, request, persona, jpn_history):
    latest = jpn_history.history.latest()
    client.force_login(request.getfixturevalue(persona))
    response = client.get(
        reverse("admin:economies_economy_simple_history", args=[jpn_history.pk, latest.pk])
    )
    assert response.status_code == 200
    assert "officers" not in shown_fields(response)
    assert "second_officer_jpn" not in response.content.decode()


@pytest.mark.parametrize("persona", READERS)
def test_change_form_shows_no_officers_to_readers(client, request, persona, jpn_history):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("admin:economies_economy_change", args=[jpn_history.pk]))
    assert response.status_code == 200
    assert "officers" not in shown_fields(response)
    page = response.content.decode()
    assert "second_officer_jpn" not in page and "Officers" not in page


@pytest.mark.parametrize("persona", MANAGERS)
def test_change_form_shows_officers_to_user_managers(client, request, persona, jpn_history):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("admin:economies_economy_change", args=[jpn_history.pk]))
    assert "officers" in shown_fields(response)
    assert "second_officer_jpn" in response.content.decode()


def test_editor_saving_the_form_keeps_the_officers(client, editor, officer_jpn, jpn_history):
    client.force_login(editor)
    url = reverse("admin:economies_economy_change", args=[jpn_history.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v not in (None, [])}
    assert client.post(url, {**data, "notes": "Edited again."}).status_code == 302
    assert set(jpn_history.officers.values_list("username", flat=True)) == {
        "officer_jpn",
        "second_officer_jpn",
    }


def test_reader_history_query_count_does_not_grow(client, editor, jpn_history, django_user_model):
    client.force_login(editor)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert history(client, jpn_history).status_code == 200
        return len(queries)

    before = count()
    for n in range(5):
        jpn_history.officers.add(django_user_model.objects.create_user(f"extra_{n}"))
        jpn_history.notes = f"Note {n}."
        jpn_history.save()
    assert count() == before


def test_user_reader_does_not_see_whom_a_user_is_officer_of(
    client, officer_jpn, user_manager, django_user_model
):
    reader = django_user_model.objects.create_user("user_reader", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_user"))
    url = reverse("admin:auth_user_change", args=[officer_jpn.pk])
    client.force_login(reader)
    response = client.get(url)
    assert response.status_code == 200
    assert "officer_of" not in shown_fields(response)
    assert "Japan" not in response.content.decode()
    client.force_login(user_manager)
    assert "officer_of" in shown_fields(client.get(url))
