"""The choices of a status report: the implementation scale, who made the statement (origin)
and where it stands in review. Kept apart from tracker.models so that tracker.validation, which
the model's fields use, can name them too; tracker.models exports them as before."""

from django.db import models


class Status(models.TextChoices):
    """The implementation scale of the UN Global Survey on Digital and Sustainable Trade
    Facilitation; the points of each step live in tracker.scoring."""

    IMPLEMENTED = "implemented", "Fully implemented"
    PARTIAL = "partial", "Partially implemented"
    PILOT = "pilot", "Pilot stage"
    PLANNED = "planned", "Planning stage"
    NOT_IMPLEMENTED = "not_implemented", "Not implemented"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class Origin(models.TextChoices):
    SELF_REPORTED = "self_reported", "Self-reported by the economy"
    SECRETARIAT = "secretariat", "Secretariat research"
    INDEPENDENT = "independent", "Independent assessment"


class ReviewState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    PUBLISHED = "published", "Published"
    RETURNED = "returned", "Returned"
    # A published report taken back (for instance when the reference data's rules change): kept
    # in the record's history with the reason, and out of every figure.
    WITHDRAWN = "withdrawn", "Withdrawn"
