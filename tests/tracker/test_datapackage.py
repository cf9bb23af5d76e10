"""The data package at /data/: the whole published dataset as a Frictionless Data Package that
`frictionless validate` passes with zero errors, on whichever database the suite runs on."""

import csv
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests import region as r
from tests.factories import make_report
from tests.pages import body
from tracker import datapackage
from tracker.models import DataVersion, Origin, ReviewState

pytestmark = pytest.mark.django_db

FRICTIONLESS = Path(sys.executable).with_name("frictionless")


@pytest.fixture
def region(settings, tmp_path):
    settings.REFERENCE_DATA_DIR = tmp_path / "no-reference-files"
    region = r.build_region()
    make_report(
        region.png,
        region.c1,
        "not_implemented",
        "2020-01-01",
        origin=Origin.INDEPENDENT,
        assessor="UNCTAD Global Cyberlaw Tracker",
        assessed_on=r.D(2026, 4, 27),
        evidence="=HYPERLINK(1) is not a law",  # a formula trigger: written as text
    )
    make_report(
        region.sgp,
        region.c2,
        "implemented",
        "2021-01-01",
        published=False,
        review_state=ReviewState.WITHDRAWN,
        published_at=timezone.now(),
        withdrawn_reason="Retired mapping rule.",
        evidence="Withdrawn evidence.",
    )
    return region


def unpack(content: bytes, directory: Path) -> dict:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        archive.extractall(directory)
    return json.loads((directory / "datapackage.json").read_text(encoding="utf-8"))


def table(directory: Path, name: str) -> list[dict]:
    with (directory / "data" / f"{name}.csv").open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def validate(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(FRICTIONLESS), "validate", "--json", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_package_validates_with_zero_errors(region, tmp_path):
    unpack(datapackage.build(), tmp_path)
    result = validate(tmp_path / "datapackage.json")
    report = json.loads(result.stdout)
    assert result.returncode == 0, result.stdout[:3000]
    assert report["valid"] is True
    assert sum(len(task["errors"]) for task in report["tasks"]) == 0
    assert {task["name"] for task in report["tasks"]} == {
        "economies",
        "instruments",
        "commitments",
        "reports",
        "statuses",
        "scores",
    }


def test_validation_catches_a_broken_package(region, tmp_path):
    # The check above means something: a status on an economy the package does not list fails.
    unpack(datapackage.build(), tmp_path)
    path = tmp_path / "data" / "statuses.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("\nJPN,", "\nXXX,"), "utf-8")
    assert validate(tmp_path / "datapackage.json").returncode != 0


def test_package_holds_the_published_data_with_origin_and_no_withdrawn_report(region, tmp_path):
    package = unpack(datapackage.build(), tmp_path)
    reports = table(tmp_path, "reports")
    # 9 published reports in the region (4 + 1 on CBPR, 4 on AIDER; PNG's draft and the
    # withdrawn report left out), and UNCTAD's.
    assert len(reports) == 10
    assert "Withdrawn evidence." not in {row["evidence"] for row in reports}
    unctad = [row for row in reports if row["origin"] == "independent"]
    assert [(row["economy"], row["assessor"], row["assessed_on"]) for row in unctad] == [
        ("PNG", "UNCTAD Global Cyberlaw Tracker", "2026-04-27")
    ]
    assert unctad[0]["evidence"] == "'=HYPERLINK(1) is not a law"  # formula-safe
    statuses = {(row["economy"], row["commitment"]): row for row in table(tmp_path, "statuses")}
    assert statuses[("SGP", "CBPR-ECON-1")]["overdue"] == "yes"
    assert ("SGP", "CBPR-ECON-2") not in statuses
    scores = {(row["economy"], row["instrument"]): row for row in table(tmp_path, "scores")}
    # By hand (tests/region.py): JPN CBPR 100, SGP 33.3; PNG now has CBPR 0, not no data.
    assert scores[("JPN", "CBPR")]["score"] == "100.0"
    assert scores[("SGP", "CBPR")]["score"] == "33.3"
    assert scores[("PNG", "CBPR")]["score"] == "0.0"
    assert scores[("PNG", "CBPR")]["coverage"] == "0.333"
    assert scores[("JPN", "AIDER")]["score"] == "44.4"
    assert {row["code"] for row in table(tmp_path, "economies")} == {"JPN", "SGP", "PNG"}
    commitments = {row["code"]: row for row in table(tmp_path, "commitments")}
    assert commitments["CBPR-ECON-2"]["prerequisites"] == "CBPR-ECON-1"
    # The descriptor: version from DataVersion, date, licence of the compilation, sources.
    assert package["version"] == f"{DataVersion.objects.get().version}.0.0"
    assert package["created"].startswith(timezone.now().strftime("%Y-%m-%d"))
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert "keeps its own licence" in package["description"]
    assert [s["title"] for s in package["sources"]][-1].startswith("Each status report's own")
    schema = {res["name"]: res["schema"] for res in package["resources"]}
    origin = next(f for f in schema["reports"]["fields"] if f["name"] == "origin")
    assert origin["constraints"]["enum"] == ["self_reported", "secretariat", "independent"]


def test_package_lists_the_external_sources_with_their_snapshot_dates(region, settings, tmp_path):
    directory = tmp_path / "reference"
    directory.mkdir()
    (directory / "sources.csv").write_text(
        "name,url,snapshot_date,used_for,report_count\n"
        "UNCTAD Global Cyberlaw Tracker,https://unctad.org/cyberlaw,2026-04-27,"
        "cyber laws,40\n",
        encoding="utf-8",
    )
    settings.REFERENCE_DATA_DIR = directory
    package = unpack(datapackage.build(), tmp_path / "out")
    assert package["sources"][0] == {
        "title": "UNCTAD Global Cyberlaw Tracker (snapshot 2026-04-27)",
        "path": "https://unctad.org/cyberlaw",
    }
    assert validate(tmp_path / "out" / "datapackage.json").returncode == 0


def test_data_page_offers_the_package_as_one_download(client, region, tmp_path):
    html = client.get("/data/").content.decode()
    assert 'href="/data/download/datapackage.zip"' in html
    response = client.get("/data/download/datapackage.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "datapackage" in response["Content-Disposition"]
    package = unpack(body(response), tmp_path)
    assert [res["path"] for res in package["resources"]] == [
        "data/economies.csv",
        "data/instruments.csv",
        "data/commitments.csv",
        "data/reports.csv",
        "data/statuses.csv",
        "data/scores.csv",
    ]


def test_export_command_writes_a_package_that_validates(region, tmp_path):
    out = tmp_path / "package.zip"
    call_command("export_datapackage", str(out), stdout=io.StringIO())
    result = validate(out)
    assert result.returncode == 0, result.stdout[:3000]
