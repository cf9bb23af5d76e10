"""The rules a status report's values follow, each written once with its one message.

report_errors() is asked by StatusReport.clean() (so by every full_clean: the admin's forms and
the API's writes through tracker.services) and by the spreadsheet import (tracker.importing),
which checks its rows in bulk without a full_clean each. validate_source_urls() is the sources
field's own validator. Messages name the fields as the API and the import's columns do.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from softlaw import clock
from tracker.choices import Origin

EVIDENCE_EMPTY = "evidence is empty: say what shows the status."
ASSESSMENT_ONLY = "assessor and assessed_on belong to an independent assessment only."

_WEB_ADDRESS = URLValidator(schemes=["http", "https"])


def validate_source_urls(value: str) -> None:
    """One web address a line, http or https only; an address is named by its place."""
    addresses = [line.strip() for line in value.splitlines() if line.strip()]
    for number, address in enumerate(addresses, start=1):
        try:
            _WEB_ADDRESS(address)
        except ValidationError:
            raise ValidationError(
                "address %(number)s is not a web address (http or https): %(value)s",
                params={"number": number, "value": address[:100]},
            ) from None


def report_errors(
    *,
    commitment,
    effective_date: datetime.date | None,
    target_date: datetime.date | None = None,
    origin: str = Origin.SELF_REPORTED,
    assessor: str = "",
    assessed_on: datetime.date | None = None,
    evidence: str | None = None,
    source_urls: str | None = None,
    today: datetime.date | None = None,
) -> dict[str, list[str]]:
    """What is wrong with a report's values, by field (empty: nothing). A value that could not
    be read is passed as None and not judged again.

    evidence and source_urls are judged when given: the model leaves them to its field
    declarations (blank=False, validate_source_urls), which its clean_fields() applies; the
    import, which runs no clean_fields(), gives them here."""
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if commitment is not None and not commitment.is_scored:
        refuse(
            "commitment",
            f"{commitment.code} is a collective commitment, carried out by APEC as a whole: "
            "status reports are made only on commitments each economy carries out.",
        )
    if effective_date and target_date and target_date < effective_date:
        refuse(
            "target_date", f"target_date {target_date} is before effective_date {effective_date}."
        )
    if effective_date and effective_date > (today or clock.today()):
        # Today's figures are the latest published statuses; a status that does not hold yet
        # would show early. A commitment for the future is "planned" with a target date.
        refuse(
            "effective_date",
            f"effective_date {effective_date} is in the future: record a plan as status "
            "'planned' with a target_date.",
        )
    if (assessor or assessed_on) and origin != Origin.INDEPENDENT:
        refuse("assessor", ASSESSMENT_ONLY)
    if evidence is not None and not evidence.strip():
        refuse("evidence", EVIDENCE_EMPTY)
    if source_urls is not None:
        try:
            validate_source_urls(source_urls)
        except ValidationError as exc:
            errors.setdefault("source_urls", []).extend(exc.messages)
    return errors
