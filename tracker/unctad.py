"""UNCTAD's Global Cyberlaw Tracker as status reports: rule R5 of the reference data, in one place.

Used by scripts/build_reference_data.py (the reference data) and by `manage.py import_unctad`
(a refresh from a later UNCTAD snapshot), so both map an UNCTAD entry the same way. Standard
library only: the build script imports it without Django.

UNCTAD publishes, per country (UN M49 code), the state of five areas of legislation in
`data.csv` (`Legislation`, `Draft Legislation`, `No Legislation`, `No Data`) and, in
`document_links.json`, the laws it lists for each area as `[url, title]` pairs (or `false`).
Three areas map onto commitments; Indirect Taxation and Privacy and Data Protection do not (no
instrument asks for tax laws; UNCTAD's privacy status counts sectoral laws and is stale for some
economies, while the reference data's own law series covers privacy).
"""

import csv
import datetime
import html
import io
import json
import re
from dataclasses import dataclass

ASSESSOR = "UNCTAD Global Cyberlaw Tracker"
ORIGIN = "independent"
TRACKER_URL = "https://github.com/unctad-infovis/2026-cyberlaw_tracker"

AREAS = (
    "Electronic Transactions",
    "Consumer Protection",
    "Privacy and Data Protection",
    "Cybercrime",
    "Indirect Taxation",
)
WORDS = ("Legislation", "Draft Legislation", "No Legislation", "No Data")
NOT_COVERED = "Not covered"

# Area -> (commitment, {UNCTAD word: status}, the mapping sentence for the evidence). A word not
# in the table gives no report: UNCTAD's "No Data", and "No Legislation" where the commitment
# does not ask for a law.
MAPPING = {
    "Cybercrime": (
        "CYBERSEC-2002-LAW-1",
        {
            "Legislation": "implemented",
            "Draft Legislation": "planned",
            # The commitment asks for laws, so their absence is a status.
            "No Legislation": "not_implemented",
        },
        "",
    ),
    "Electronic Transactions": (
        "BLUEPRINT-EC-GOV-1",
        {"Legislation": "implemented", "Draft Legislation": "planned"},
        "Mapping: an electronic-transactions law is taken as the legal aspect of a favourable, "
        "predictable environment for e-commerce (judgment).",
    ),
    "Consumer Protection": (
        "BLUEPRINT-EC-GOV-2",
        {"Legislation": "implemented", "Draft Legislation": "planned"},
        "Mapping: a consumer-protection law is taken as promoting trust and confidence among "
        "e-commerce participants (judgment).",
    ),
}
# The commitment whose implemented report (from the UNCITRAL status pages) dates an Electronic
# Transactions entry: UNCTAD's snapshot only shows that the law exists by then.
DATED_BY = {"Electronic Transactions": "BLUEPRINT-EC-GOV-3"}

# UN M49 codes of the APEC economies (ISO 3166-1 numeric). Hong Kong, China (344) and Chinese
# Taipei (158) are not in UNCTAD's list.
M49 = {
    "036": "AUS",
    "096": "BRN",
    "124": "CAN",
    "152": "CHL",
    "156": "CHN",
    "158": "TWN",
    "344": "HKG",
    "360": "IDN",
    "392": "JPN",
    "410": "KOR",
    "458": "MYS",
    "484": "MEX",
    "554": "NZL",
    "598": "PNG",
    "604": "PER",
    "608": "PHL",
    "643": "RUS",
    "702": "SGP",
    "704": "VNM",
    "764": "THA",
    "840": "USA",
}

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


class UnctadFileError(ValueError):
    """A published UNCTAD file that cannot be read as one: refused whole."""

    def __init__(self, filename: str, line: int, reason: str):
        self.filename, self.line, self.reason = filename, line, reason
        where = f"{filename} line {line}" if line else filename
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class Entry:
    """One economy's entry for one area in one snapshot."""

    economy: str  # ISO alpha-3
    area: str
    word: str  # UNCTAD's word, or NOT_COVERED
    titles: tuple[str, ...]
    urls: tuple[str, ...]


@dataclass(frozen=True)
class Mapped:
    """What an entry becomes: a report on a commitment, with its evidence."""

    economy: str
    commitment: str
    status: str
    effective_date: datetime.date
    evidence: str


def clean_title(title: str) -> str:
    """UNCTAD's title as the reference data prints it: `<br>` as a space, an inner `;` as `,`
    (the list of titles is `;`-separated), runs of blanks as one."""
    title = re.sub(r"<br\s*/?>", " ", html.unescape(title), flags=re.IGNORECASE)
    return " ".join(title.replace(";", ",").split())


def clean_url(url: str) -> str:
    """A link with `&amp;` decoded and line breaks removed; UNCTAD's `#` (no link) as empty."""
    url = "".join(html.unescape(url).splitlines()).strip()
    return "" if url == "#" else url


def status_for(area: str, word: str) -> str | None:
    """The status an UNCTAD word gives on the area's commitment, or None for no report."""
    if area not in MAPPING:
        return None
    return MAPPING[area][1].get(word)


def commitment_for(area: str) -> str | None:
    return MAPPING[area][0] if area in MAPPING else None


def day_words(day: datetime.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def evidence(entry: Entry, *, snapshot: datetime.date, caveat: str = "", dated_by: str = "") -> str:
    """The evidence text of the report an entry becomes (rule R5)."""
    listed = "; ".join(t for t in entry.titles if t) or "none"
    parts = [
        f"UNCTAD Global Cyberlaw Tracker (snapshot {day_words(snapshot)}): {entry.area}: "
        f"{entry.word}. Laws listed: {listed}."
    ]
    if MAPPING[entry.area][2]:
        parts.append(MAPPING[entry.area][2])
    if caveat:
        parts.append(f"UNCTAD caveat: {caveat.rstrip('.')}.")
    if dated_by:
        parts.append(
            f"Effective date: {dated_by}, dated by the UNCITRAL fact (the implemented report on "
            f"{DATED_BY[entry.area]}); the snapshot shows the law exists by then."
        )
    return " ".join(parts)


def automatic_caveat(entry: Entry) -> str:
    """An inconsistency visible in UNCTAD's own files, said in the evidence of a refresh."""
    if entry.word == "No Legislation" and any(entry.titles):
        return (
            f"data.csv gives 'No Legislation' but document_links.json lists "
            f"{'; '.join(t for t in entry.titles if t)}"
        )
    return ""


def map_entry(
    entry: Entry,
    *,
    snapshot: datetime.date,
    caveat: str = "",
    dated_from: datetime.date | None = None,
    floor: datetime.date | None = None,
) -> Mapped | None:
    """The report an entry becomes, or None (area not mapped, or a word that gives no report).

    dated_from: for an area in DATED_BY, the effective date of the economy's implemented report
    on that commitment, used instead of the snapshot date when earlier. floor: the instrument's
    adoption (end of its known period); a report never starts before it."""
    status = status_for(entry.area, entry.word)
    if status is None:
        return None
    effective, dated_by = snapshot, ""
    earlier = dated_from is not None and dated_from < snapshot
    if entry.area in DATED_BY and status == "implemented" and earlier:
        effective, dated_by = dated_from, dated_from.isoformat()
    if floor is not None and effective < floor:
        effective = floor
    return Mapped(
        economy=entry.economy,
        commitment=commitment_for(entry.area),
        status=status,
        effective_date=effective,
        evidence=evidence(entry, snapshot=snapshot, caveat=caveat, dated_by=dated_by),
    )


# --- reading UNCTAD's published files ------------------------------------------------------------


def _text(data: bytes, filename: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UnctadFileError(filename, line, "not UTF-8 text") from None


def read_status_csv(data: bytes, filename: str = "data.csv") -> dict[str, dict[str, str]]:
    """{M49 code: {area: word}} from UNCTAD's data.csv; any bad line refuses the whole file."""
    reader = csv.reader(io.StringIO(_text(data, filename), newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise UnctadFileError(filename, 1, "the file is empty")
        missing = [c for c in ("code", *AREAS) if c not in header]
        if missing:
            raise UnctadFileError(filename, 1, f"missing column(s) {', '.join(missing)}")
        index = {name: header.index(name) for name in ("code", *AREAS)}
        out: dict[str, dict[str, str]] = {}
        line = reader.line_num
        for cells in reader:
            start, line = line + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                raise UnctadFileError(
                    filename, start, f"{len(cells)} cells, the header names {len(header)}"
                )
            code = cells[index["code"]].strip()
            if not re.fullmatch(r"\d{3}", code):
                raise UnctadFileError(filename, start, f"code {code[:20]!r} is not a UN M49 code")
            if code in out:
                raise UnctadFileError(filename, start, f"code {code} appears twice")
            words = {}
            for area in AREAS:
                word = cells[index[area]].strip()
                if word not in WORDS:
                    raise UnctadFileError(
                        filename,
                        start,
                        f"{area} {word[:30]!r} is not one of {', '.join(WORDS)}",
                    )
                words[area] = word
            out[code] = words
    except csv.Error as exc:
        raise UnctadFileError(filename, reader.line_num, f"the CSV cannot be read: {exc}") from None
    return out


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def read_links_json(data: bytes, filename: str = "document_links.json") -> dict[str, dict]:
    """{M49 code: {area: [(url, title), ...]}} from UNCTAD's document_links.json."""
    text = _text(data, filename)
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnctadFileError(filename, exc.lineno, f"not valid JSON: {exc.msg}") from None
    if not isinstance(raw, dict):
        raise UnctadFileError(filename, 1, "the file is not an object keyed by M49 code")
    out: dict[str, dict] = {}
    for code, country in raw.items():
        where = _line_of(text, max(text.find(f'"{code}"'), 0))
        if not re.fullmatch(r"\d{3}", code) or not isinstance(country, dict):
            raise UnctadFileError(filename, where, f"entry {code[:20]!r} is not a country")
        areas = {}
        for area in AREAS:
            value = country.get(area, False)
            if value is False or value is None:
                areas[area] = []
                continue
            # UNCTAD's lists hold [url, title] pairs, and here and there a bare word ("No Data",
            # ""), which lists no law.
            if not isinstance(value, list) or not all(
                isinstance(item, str)
                or (
                    isinstance(item, list)
                    and len(item) == 2
                    and all(isinstance(part, str) for part in item)
                )
                for item in value
            ):
                raise UnctadFileError(
                    filename, where, f"{code} {area}: expected a list of [url, title] pairs"
                )
            areas[area] = [
                (clean_url(item[0]), clean_title(item[1]))
                for item in value
                if isinstance(item, list)
            ]
        out[code] = areas
    return out


def read_snapshot(
    status_csv: bytes,
    links_json: bytes,
    *,
    csv_name: str = "data.csv",
    json_name: str = "document_links.json",
) -> list[Entry]:
    """Every APEC economy's entry for every area, from UNCTAD's two published files."""
    statuses = read_status_csv(status_csv, csv_name)
    links = read_links_json(links_json, json_name)
    entries = []
    for code, economy in sorted(M49.items(), key=lambda item: item[1]):
        for area in AREAS:
            if code not in statuses:
                entries.append(Entry(economy, area, NOT_COVERED, (), ()))
                continue
            pairs = links.get(code, {}).get(area, [])
            entries.append(
                Entry(
                    economy,
                    area,
                    statuses[code][area],
                    tuple(title for _, title in pairs),
                    tuple(url for url, _ in pairs),
                )
            )
    return entries
