"""manage.py backup and manage.py restore: a round trip into an emptied database gives the same
API output, byte for byte, for the public and for an officer who sees drafts; the restore refuses
a database that holds data, and a damaged file changes nothing. Runs on whichever database the
suite runs on (CI: SQLite and PostgreSQL)."""

import gzip
import json

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from economies.models import Economy
from tests.conftest import _user
from tests.factories import make_report
from tests.pages import API_DATA_LISTS
from tests.region import build_region
from tracker.models import StatusReport

pytestmark = pytest.mark.django_db

RESOURCES = API_DATA_LISTS


def api_output(token_key: str) -> dict[str, bytes]:
    """Every list (JSON and CSV), the first record of each, as the public and as the officer."""
    output = {}
    for who, client in (("public", APIClient()), ("officer", APIClient())):
        if who == "officer":
            client.credentials(HTTP_AUTHORIZATION=f"Token {token_key}")
        for resource in RESOURCES:
            listing = client.get(f"/api/v1/{resource}/?page_size=500")
            assert listing.status_code == 200, resource
            output[f"{who} {resource}"] = listing.content
            output[f"{who} {resource} csv"] = client.get(f"/api/v1/{resource}/?format=csv").content
            rows = listing.json().get("results", [])
            key = next((k for k in ("code", "slug", "id") if rows and k in rows[0]), None)
            if key:
                record = client.get(f"/api/v1/{resource}/{rows[0][key]}/")
                if record.status_code == 200:
                    output[f"{who} {resource}/{rows[0][key]}"] = record.content
    return output


def empty_the_database():
    """flush, inside the test's transaction. PostgreSQL will not TRUNCATE a table with foreign-key
    checks still pending, so they run first, and are deferred again for the restore."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    assert not Economy.objects.exists() and not User.objects.exists()


def test_round_trip_gives_byte_identical_api_output(tmp_path):
    region = build_region()
    officer_jpn = _user("officer_jpn", "Officers", [region.jpn], is_staff=True)
    draft = make_report(region.jpn, region.c3, "planned", "2030-01-01", published=False)
    token = Token.objects.create(user=officer_jpn)
    before = api_output(token.key)
    drafts_seen = sum(
        draft.pk == row["id"] for row in json.loads(before["officer reports"])["results"]
    )
    assert drafts_seen == 1  # the officer's draft is in what is compared
    groups = sorted(Group.objects.values_list("name", flat=True))
    history = {
        model: model.history.order_by("history_id").values_list("history_id", "history_date")
        for model in (StatusReport, Economy)
    }
    history = {model: list(rows) for model, rows in history.items()}

    backup = tmp_path / "tracker.xml.gz"
    call_command("backup", str(backup), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert gzip.decompress(backup.read_bytes()).startswith(b"<?xml")  # compressed XML
    empty_the_database()
    call_command("restore", str(backup), stdout=open("/dev/null", "w"))  # noqa: SIM115

    after = api_output(token.key)
    assert sorted(after) == sorted(before)
    different = [name for name in before if before[name] != after[name]]
    assert different == []
    assert sorted(Group.objects.values_list("name", flat=True)) == groups
    # The history exactly as it was: no entry lost, none added by the restore itself.
    for model, rows in history.items():
        assert (
            list(model.history.order_by("history_id").values_list("history_id", "history_date"))
            == rows
        )
    # People can still sign in and use their groups' permissions.
    assert User.objects.get(username=officer_jpn.username).check_password("correct-horse-battery")
    # New records after a restore get fresh ids (the sequences were moved past the restored ones).
    newest = make_report(region.sgp, region.c2, "planned", "2031-01-01", published=False)
    assert newest.pk > draft.pk


def test_restore_refuses_a_database_with_data(tmp_path, jpn):
    backup = tmp_path / "tracker.xml"
    call_command("backup", str(backup), stdout=open("/dev/null", "w"))  # noqa: SIM115
    with pytest.raises(CommandError, match=r"not empty \(1 economies\)"):
        call_command("restore", str(backup))


def test_a_damaged_backup_changes_nothing(tmp_path, jpn):
    backup = tmp_path / "tracker.xml"
    call_command("backup", str(backup), stdout=open("/dev/null", "w"))  # noqa: SIM115
    empty_the_database()
    # Cut off part-way, as a full disk or an interrupted copy would leave it.
    text = backup.read_text()
    backup.write_text(text[: len(text) * 3 // 4])
    with pytest.raises(CommandError, match="could not be restored, nothing was changed"):
        call_command("restore", str(backup))
    assert not Economy.objects.exists()


def test_backup_names_the_formats_it_writes(tmp_path):
    with pytest.raises(CommandError, match=r"Name the backup .xml or .xml.gz"):
        call_command("backup", str(tmp_path / "tracker.json"))
