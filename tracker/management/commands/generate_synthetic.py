"""Fill a separate database with synthetic economies, instruments and report histories.

For measuring speed at regional and global scale. Everything it writes is marked as synthetic:
economy and instrument names say so, codes start with Z, and every report is flagged
is_illustrative, which the public pages announce. It refuses a database that holds real data.

    manage.py generate_synthetic --scale global          # 200 × 60 × 20 × 10 years
    manage.py generate_synthetic --economies 21 --instruments 25 --commitments 10 --years 10
"""

import datetime
import itertools
import random
import string
import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from economies.models import Economy
from instruments.models import Commitment, Instrument
from tracker import as_of
from tracker.current_status import current_status_rebuild
from tracker.models import Origin, ReviewState, Status, StatusReport

SCALES = {
    "region": {"economies": 21, "instruments": 25, "commitments": 10, "years": 10},
    "global": {"economies": 200, "instruments": 60, "commitments": 20, "years": 10},
}
LAST_YEAR = 2025
# The path a commitment usually takes; a cell walks some way along it over the years.
LADDER = [Status.NOT_IMPLEMENTED, Status.PLANNED, Status.PILOT, Status.PARTIAL, Status.IMPLEMENTED]
SUBREGIONS = ["Synthetic North", "Synthetic South", "Synthetic East", "Synthetic West"]


def _codes(count: int, width: int) -> list[str]:
    letters = string.ascii_uppercase
    combos = ("Z" + "".join(c) for c in itertools.product(letters, repeat=width - 1))
    codes = list(itertools.islice(combos, count))
    if len(codes) < count:
        raise CommandError(f"at most {len(letters) ** (width - 1)} synthetic economies")
    return codes


class Command(BaseCommand):
    help = "Generate synthetic data, clearly marked as such, in an empty database."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES))
        parser.add_argument("--economies", type=int)
        parser.add_argument("--instruments", type=int)
        parser.add_argument("--commitments", type=int, help="economy-scope commitments each")
        parser.add_argument("--years", type=int)
        parser.add_argument("--seed", type=int, default=2017)
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args, **options):
        sizes = dict(SCALES[options["scale"]]) if options["scale"] else {}
        for key in ("economies", "instruments", "commitments", "years"):
            if options[key] is not None:
                sizes[key] = options[key]
            if sizes.get(key) is None or sizes[key] < 1:
                raise CommandError(f"--{key} must be a positive number (or pick --scale)")
        if Economy.objects.exclude(code__startswith="Z").exists():
            raise CommandError(
                "This database holds real economies. Synthetic data goes in a separate database: "
                "set DATABASE_URL to an empty one and migrate it first."
            )
        if Economy.objects.exists():
            raise CommandError(
                "This database already holds synthetic data; start from an empty one."
            )
        started = time.perf_counter()
        with transaction.atomic():
            rng = random.Random(options["seed"])
            reports = self.generate(rng=rng, batch=options["batch_size"], **sizes)
        self.stdout.write(
            f"{sizes['economies']} economies × {sizes['instruments']} instruments × "
            f"{sizes['commitments']} commitments × {sizes['years']} years: {reports:,} synthetic "
            f"reports in {time.perf_counter() - started:.1f} s"
        )

    def generate(self, *, rng, batch, economies, instruments, commitments, years) -> int:
        columns = max(8, round(economies**0.5 * 1.5))
        economy_rows = Economy.objects.bulk_create(
            Economy(
                code=code,
                iso_alpha2=code[1:],
                name=f"Synthetic economy {n:03d}",
                year_joined=1989 + n % 20,
                region="Synthetic",
                subregion=SUBREGIONS[n % len(SUBREGIONS)],
                grid_row=n // columns,
                grid_col=n % columns,
                notes="Synthetic: generated for performance measurement, not a real economy.",
            )
            for n, code in enumerate(_codes(economies, 3))
        )
        first_year = LAST_YEAR - years + 1
        instrument_rows = Instrument.objects.bulk_create(
            Instrument(
                slug=f"synthetic-{n:03d}",
                short_name=f"SYN-{n:03d}",
                title=f"Synthetic instrument {n:03d}",
                kind=Instrument.Kind.FRAMEWORK,
                adopted_on=datetime.date(first_year - 1, 1 + n % 12, 1),
                adopted_precision=Instrument.DatePrecision.MONTH,
                summary="Synthetic: generated for performance measurement.",
            )
            for n in range(instruments)
        )
        commitment_rows = Commitment.objects.bulk_create(
            Commitment(
                instrument=instrument,
                code=f"{instrument.short_name}-C{k:02d}",
                title=f"Synthetic commitment {k:02d} of {instrument.short_name}",
                order=k,
                weight=Decimal(1 + (k % 3 == 0)),
                scope=Commitment.Scope.ECONOMY,
            )
            for instrument in instrument_rows
            for k in range(1, commitments + 1)
        )
        now = timezone.now()
        total = 0
        pending: list[StatusReport] = []
        for economy in economy_rows:
            pace = rng.uniform(0.3, 1.0)  # some economies move faster than others
            for commitment in commitment_rows:
                if rng.random() < 0.08:
                    continue  # no data for this cell
                if rng.random() < 0.03:
                    steps = [(Status.NOT_APPLICABLE, first_year)]
                else:
                    steps = self._trajectory(rng, pace, first_year, years)
                cell = []
                for status, year in steps:
                    effective = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
                    target = datetime.date(year + 3, 12, 31) if status == Status.PLANNED else None
                    cell.append(
                        StatusReport(
                            economy=economy,
                            commitment=commitment,
                            status=status,
                            effective_date=effective,
                            target_date=target,
                            evidence="Synthetic report generated for performance measurement.",
                            origin=Origin.SECRETARIAT,
                            review_state=ReviewState.PUBLISHED,
                            is_illustrative=True,
                            submitted_at=now,
                            published_at=now,
                        )
                    )
                # One report a year, in order, published together: the cell's current order is
                # the order of creation, so each report's place in it is known here and the
                # rebuild below has none to write (tracker.as_of).
                for report, *derived in as_of.positions(cell):
                    report.valid_until, report.cell_position, report.origin_until = derived
                pending += cell
                if len(pending) >= batch:
                    StatusReport.objects.bulk_create(pending, batch_size=batch)
                    total += len(pending)
                    pending = []
        StatusReport.objects.bulk_create(pending, batch_size=batch)
        # Bulk creation sends no signals: derive every cell's current status in one pass.
        current_status_rebuild(batch_size=batch)
        return total + len(pending)

    @staticmethod
    def _trajectory(rng, pace, first_year, years):
        """A report when the status moves (now and then a step back) and, in some other years,
        one that confirms it: a cell's history over the years, as economies report it."""
        level = rng.randint(0, 2)
        steps = [(LADDER[level], first_year)]
        for year in range(first_year + 1, first_year + years):
            roll = rng.random()
            if roll < 0.45 * pace and level < len(LADDER) - 1:
                level += 1
            elif roll > 0.97 and level > 0:
                level -= 1
            elif rng.random() >= 0.35:
                continue
            steps.append((LADDER[level], year))
        return steps
