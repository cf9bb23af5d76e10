"""The whole published dataset as a Frictionless Data Package (https://specs.frictionlessdata.io/):
datapackage.json, with a Table Schema for each CSV, and the CSVs, in one ZIP.

Built from the database through tracker.exporting (formula-safe CSV, the same rows as the
downloads) and tracker.scoring (every figure), printed by softlaw.numbers' one rule. Only
published reports are in it; withdrawn reports and drafts never are.
"""

import datetime
import io
import json
import zipfile
from typing import BinaryIO

from django.utils import timezone

from economies.models import Economy
from instruments.models import Commitment, Instrument
from softlaw import numbers, spreadsheets
from tracker import exporting, reference, scoring
from tracker.models import DataVersion, Origin, Status, StatusReport

NAME = "soft-law-tracker"
LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}
LICENCE_NOTE = (
    "The licence covers the Soft-Law Tracker's own compilation: the selection and arrangement of "
    "the records, the mapping of facts to statuses, the statuses and the scores. It does not "
    "cover the sources: each source named in the reports (source_url) and in this package's "
    "sources keeps its own licence and terms, and evidence text quoted from a source stays "
    "under that source's terms."
)


def _field(name: str, kind: str = "string", description: str = "", **extra) -> dict:
    field = {"name": name, "type": kind}
    if description:
        field["description"] = description
    field.update(extra)
    return field


def _enum(values) -> dict:
    return {"constraints": {"enum": list(values)}}


REQUIRED = {"constraints": {"required": True}}
YES_NO = {"trueValues": ["yes"], "falseValues": ["no"]}


def _economy_key(column="economy"):
    return {"fields": column, "reference": {"resource": "economies", "fields": "code"}}


def _instrument_key(column="instrument"):
    return {"fields": column, "reference": {"resource": "instruments", "fields": "short_name"}}


def _commitment_key(column="commitment"):
    return {"fields": column, "reference": {"resource": "commitments", "fields": "code"}}


ECONOMY_FIELDS = [
    _field("code", description="ISO 3166 alpha-3 code.", **REQUIRED),
    _field("name", description="APEC's name of the economy."),
    _field("iso_alpha2", description="ISO 3166 alpha-2 code."),
    _field("iso_short_name", description="ISO short name."),
    _field("year_joined", "integer", "Year the economy joined APEC."),
    _field("region", description="UN M49 region."),
    _field("subregion", description="UN M49 sub-region."),
]

INSTRUMENT_FIELDS = [
    _field("short_name", description="Short name of the instrument.", **REQUIRED),
    _field("slug", description="Its identifier in the tracker's addresses and API."),
    _field("title"),
    _field("kind", description="Declaration, roadmap, framework, …"),
    _field("adopted_on", "date", "Date of adoption (to the precision known)."),
    _field("adopting_body"),
    _field("forum", description="Short name of the overseeing APEC forum."),
    _field("source_url", description="Where the instrument's text is published."),
    _field("superseded_by", description="Short name of the instrument that replaced it."),
]

COMMITMENT_FIELDS = [
    _field("code", description="Stable code of the commitment.", **REQUIRED),
    _field("instrument", description="Short name of its instrument."),
    _field("title"),
    _field(
        "scope",
        description="economy: each economy carries it out and is scored on it; "
        "collective: carried out by APEC as a whole.",
        **_enum(("economy", "collective")),
    ),
    _field("weight", "number", "Weight in the instrument's score."),
    _field("order", "integer", "Order within the instrument."),
    _field("prerequisites", description="Codes of the commitments it depends on, space-separated."),
]

REPORT_TYPES = {
    "report_id": ("integer", "Id of the published report."),
    "economy": ("string", "ISO alpha-3 code of the economy."),
    "economy_name": ("string", "APEC's name of the economy."),
    "instrument": ("string", "Short name of the instrument."),
    "commitment": ("string", "Code of the commitment."),
    "commitment_title": ("string", ""),
    "status": ("string", "Status on the scale of the UN Global Survey."),
    "status_label": ("string", ""),
    "points": ("integer", "Points of the status (3, 2, 1, 0); empty for not applicable."),
    "effective_date": ("date", "The date from which the status holds."),
    "target_date": ("date", "When the economy commits to reach full implementation."),
    "overdue": ("boolean", "The target date has passed and the status is short of implemented."),
    "evidence": ("string", "What shows the status, quoted or summarised from the source."),
    "source_url": ("string", "The report's sources, one web address a line."),
    "origin": (
        "string",
        "Where the claim comes from: self_reported by the economy, "
        "secretariat research, or an independent assessment.",
    ),
    "assessor": ("string", "Who made an independent assessment."),
    "assessed_on": ("date", "The snapshot date of an independent assessment."),
    "published_at": ("datetime", "When the report was published after review (UTC)."),
}


def _report_fields(columns) -> list[dict]:
    fields = []
    for column in columns:
        kind, description = REPORT_TYPES[column]
        extra = {}
        if column == "status":
            extra = _enum(Status.values)
        elif column == "origin":
            extra = _enum(Origin.values)
        elif column == "overdue":
            extra = YES_NO
        elif column == "published_at":
            extra = {"format": "%Y-%m-%dT%H:%M:%SZ"}
        fields.append(_field(column, kind, description, **extra))
    return fields


SCORE_FIELDS = [
    _field("economy", description="ISO alpha-3 code of the economy.", **REQUIRED),
    _field("instrument", description="Short name of the instrument.", **REQUIRED),
    _field(
        "score",
        "number",
        "100 × Σ weight·points / Σ weight·3 over the commitments with a scored status, to one "
        "decimal (rounded half up); empty when none has one: no data, never 0.",
        **{"constraints": {"minimum": 0, "maximum": 100}},
    ),
    _field(
        "coverage",
        "number",
        "Share of the economy-scope commitments with any published status, to three decimals.",
        **{"constraints": {"minimum": 0, "maximum": 1}},
    ),
    _field("commitments", "integer", "Economy-scope commitments of the instrument."),
    _field("covered", "integer", "Of those, with any published status."),
    _field("scored", "integer", "Of those, with a scored status."),
]


# --- rows ----------------------------------------------------------------------------------------


def economy_rows() -> list[dict]:
    def value(economy, name):
        found = getattr(economy, name)
        return "" if found is None else found

    return [
        {f["name"]: value(e, f["name"]) for f in ECONOMY_FIELDS}
        for e in Economy.objects.order_by("code")
    ]


def instrument_rows() -> list[dict]:
    rows = []
    for i in Instrument.objects.select_related("forum", "superseded_by").order_by("short_name"):
        rows.append(
            {
                "short_name": i.short_name,
                "slug": i.slug,
                "title": i.title,
                "kind": i.kind,
                "adopted_on": i.adopted_on or "",
                "adopting_body": i.adopting_body,
                "forum": i.forum.short_name if i.forum else "",
                "source_url": i.source_url,
                "superseded_by": i.superseded_by.short_name if i.superseded_by else "",
            }
        )
    return rows


def commitment_rows() -> list[dict]:
    return [
        {
            "code": c.code,
            "instrument": c.instrument.short_name,
            "title": c.title,
            "scope": c.scope,
            "weight": numbers.trimmed(c.weight, 2),
            "order": c.order,
            "prerequisites": " ".join(sorted(p.code for p in c.prerequisites.all())),
        }
        for c in Commitment.objects.select_related("instrument")
        .prefetch_related("prerequisites")
        .order_by("instrument__short_name", "order", "code")
    ]


def score_rows() -> list[dict]:
    """Today's score of every economy on every instrument that has one to give."""
    economies = list(Economy.objects.order_by("code"))
    instruments = list(Instrument.objects.scored().order_by("short_name"))
    scores = scoring.scores_for_region(
        economy_ids=[e.pk for e in economies], instrument_ids=[i.pk for i in instruments]
    )
    rows = []
    for economy in economies:
        for instrument in instruments:
            score = scores[(economy.pk, instrument.pk)]
            rows.append(
                {
                    "economy": economy.code,
                    "instrument": instrument.short_name,
                    "score": "" if score.score is None else numbers.number(score.score, 1),
                    "coverage": "" if score.coverage is None else numbers.number(score.coverage, 3),
                    "commitments": score.commitments,
                    "covered": score.covered,
                    "scored": score.scored,
                }
            )
    return rows


# --- the package ---------------------------------------------------------------------------------


def _sources() -> list[dict]:
    sources = [
        {
            "title": f"{s.name} (snapshot {s.snapshot_date.isoformat()})"
            if s.snapshot_date
            else s.name,
            **({"path": s.url} if s.url else {}),
        }
        for s in reference.sources_read()
    ]
    sources.append(
        {
            "title": "Each status report's own sources: the source_url column of reports.csv "
            "and statuses.csv"
        }
    )
    return sources


def descriptor(resources: list[dict], *, version: int, created: datetime.datetime) -> dict:
    return {
        "name": NAME,
        "title": "Soft-Law Tracker: how APEC economies implement soft-law digital-trade "
        "instruments",
        "description": "Every published status report, the current status of each economy on "
        "each commitment, and the scores, as published on the tracker. Figures follow the "
        "tracker's methodology page. " + LICENCE_NOTE,
        "version": f"{version}.0.0",
        "created": created.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "licenses": [LICENCE],
        "sources": _sources(),
        "keywords": ["APEC", "soft law", "digital trade", "implementation"],
        "resources": resources,
    }


def _resource(name: str, title: str, fields: list[dict], **schema) -> dict:
    return {
        "name": name,
        "path": f"data/{name}.csv",
        "profile": "tabular-data-resource",
        "title": title,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {"fields": fields, **schema},
    }


def build(*, today: datetime.date | None = None) -> bytes:
    """The data package as ZIP bytes: datapackage.json and data/*.csv."""
    out = io.BytesIO()
    write(out, today=today)
    return out.getvalue()


def write(out: BinaryIO, *, today: datetime.date | None = None) -> None:
    """The data package, written as a ZIP into a file: each table streamed into its member
    as it is read, so that a global tracker's 1.2 million reports are never all held at once."""
    created = timezone.now()
    version = DataVersion.objects.values_list("version", flat=True).first() or 0
    report_columns = exporting.report_columns()
    tables = [
        (
            _resource(
                "economies",
                "APEC member economies",
                ECONOMY_FIELDS,
                primaryKey=["code"],
            ),
            [f["name"] for f in ECONOMY_FIELDS],
            economy_rows(),
        ),
        (
            _resource(
                "instruments",
                "Soft-law instruments",
                INSTRUMENT_FIELDS,
                primaryKey=["short_name"],
            ),
            [f["name"] for f in INSTRUMENT_FIELDS],
            instrument_rows(),
        ),
        (
            _resource(
                "commitments",
                "Commitments of the instruments",
                COMMITMENT_FIELDS,
                primaryKey=["code"],
                foreignKeys=[_instrument_key()],
            ),
            [f["name"] for f in COMMITMENT_FIELDS],
            commitment_rows(),
        ),
        (
            _resource(
                "reports",
                "Published status reports (the full history), with where each comes from",
                _report_fields(report_columns),
                primaryKey=["report_id"],
                foreignKeys=[_economy_key(), _commitment_key()],
            ),
            list(report_columns),
            exporting.report_rows(StatusReport.objects.published()),
        ),
        (
            _resource(
                "statuses",
                "Current status of each economy on each commitment",
                _report_fields(exporting.STATUS_COLUMNS),
                primaryKey=["economy", "commitment"],
                foreignKeys=[_economy_key(), _commitment_key()],
            ),
            list(exporting.STATUS_COLUMNS),
            exporting.status_rows(today=today),
        ),
        (
            _resource(
                "scores",
                "Score and coverage of each economy on each instrument",
                SCORE_FIELDS,
                primaryKey=["economy", "instrument"],
                foreignKeys=[_economy_key(), _instrument_key()],
            ),
            [f["name"] for f in SCORE_FIELDS],
            score_rows(),
        ),
    ]
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        resources = []
        for resource, columns, rows in tables:
            with archive.open(resource["path"], "w", force_zip64=True) as member:
                for chunk in spreadsheets.csv_chunks(columns, rows, bom=False):
                    member.write(chunk)
            resources.append(resource)
        package = descriptor(resources, version=version, created=created)
        archive.writestr("datapackage.json", json.dumps(package, indent=2, ensure_ascii=False))
