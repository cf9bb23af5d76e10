"""Time the import of a 10,000-row spreadsheet of status reports.

    .venv/bin/python bench/import_10k.py            # CSV and XLSX, scratch SQLite database
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/softlaw_bench \
        .venv/bin/python bench/import_10k.py        # an existing, empty PostgreSQL database

A scratch database is migrated and loaded with the project's reference data (or, when the
reference data is missing, a generated set of 21 economies and 80 commitments). The generated
rows are valid, made-up statements for timing only: they never leave the scratch database.
The figure is printed, not asserted: timing belongs in a note, not in a unit test.
"""

import csv
import datetime
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS = 10_000


def setup_django(scratch: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{scratch / 'bench.sqlite3'}"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "softlaw.settings")
    import django

    django.setup()


def load_catalogue() -> str:
    from django.core.management import CommandError, call_command

    call_command("migrate", verbosity=0)
    try:
        call_command("load_reference_data", stdout=io.StringIO())
        return "reference data"
    except (CommandError, KeyError):
        from tests.factories import make_commitment, make_economy, make_instrument

        economies = [make_economy() for _ in range(21)]
        for n in range(8):
            instrument = make_instrument(f"BENCH{n}")
            for _ in range(10):
                make_commitment(instrument)
        return f"{len(economies)} generated economies, 80 generated commitments"


def rows(label: str) -> list[list[str]]:
    from economies.models import Economy
    from instruments.models import Commitment
    from tracker.models import Status

    economies = list(Economy.objects.order_by("code").values_list("code", flat=True))
    commitments = list(
        Commitment.objects.economy_scope().order_by("code").values_list("code", flat=True)
    )
    statuses = Status.values
    out = []
    day = datetime.date(1990, 1, 1)
    n = 0
    while len(out) < ROWS:
        for economy in economies:
            for commitment in commitments:
                if len(out) == ROWS:
                    break
                out.append(
                    [
                        economy,
                        commitment,
                        statuses[n % len(statuses)],
                        (day + datetime.timedelta(days=n // 1000)).isoformat(),
                        f"Benchmark {label} row {n}: a statement of about the length officers "
                        "write, quoting the law, regulation or programme that shows the status.",
                        "https://example.org/evidence/" + str(n),
                    ]
                )
                n += 1
        day += datetime.timedelta(days=30)
    return out


HEADER = ["economy", "commitment", "status", "effective_date", "evidence", "source_url"]


def write_csv(path: Path, data: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(data)


def write_xlsx(path: Path, data: list[list[str]]) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    for row in data:
        sheet.append(row)
    workbook.save(path)


def timed_import(path: Path, *extra: str) -> float:
    from django.core.management import call_command

    start = time.perf_counter()
    call_command("import_status", str(path), *extra, stdout=io.StringIO())
    return time.perf_counter() - start


def two_reviewers() -> tuple[str, str]:
    """The reviewer entering the rows and the second one publishing them (four-eyes)."""
    from django.contrib.auth.models import Group, User

    names = ("bench-entering-reviewer", "bench-publishing-reviewer")
    for name in names:
        user, _ = User.objects.get_or_create(username=name, defaults={"is_staff": True})
        user.groups.add(Group.objects.get(name="Reviewers"))
    return names


def main() -> None:
    scratch = Path(tempfile.mkdtemp(prefix="softlaw-bench-"))
    setup_django(scratch)
    from django.db import connection

    from tracker.models import StatusReport

    print(f"database: {connection.vendor}; catalogue: {load_catalogue()}")
    entering, publishing = two_reviewers()
    for fmt, writer in (("csv", write_csv), ("xlsx", write_xlsx)):
        path = scratch / f"reports-10k.{fmt}"
        writer(path, rows(fmt))
        before = StatusReport.objects.count()
        dry = timed_import(path, "--dry-run", "--verbosity", "0")
        real = timed_import(
            path, "--publish", "--user", entering, "--reviewer", publishing, "--verbosity", "0"
        )
        written = StatusReport.objects.count() - before
        size = path.stat().st_size / 1048576
        print(
            f"{fmt}: {written:,} rows ({size:.1f} MB): check only {dry:.1f} s, "
            f"check and write {real:.1f} s"
        )


if __name__ == "__main__":
    main()
