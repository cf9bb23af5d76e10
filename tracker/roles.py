"""Who may do what. Every path (admin, API, import, export) asks these functions.

- Officer: a user listed among an economy's officers; records that economy's reports while they
  are draft or returned, and submits them. Never publishes.
- Reviewer: member of the "Reviewers" group (permission tracker.publish_statusreport); publishes
  or returns submitted reports of any economy.
- Editor: member of the "Editors" group; maintains economies, forums, themes, instruments and
  commitments.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from economies.models import Economy
from tracker.models import ReviewState, StatusReport

OFFICERS_GROUP = "Officers"
REVIEWERS_GROUP = "Reviewers"
EDITORS_GROUP = "Editors"

EDITABLE_STATES = (ReviewState.DRAFT, ReviewState.RETURNED)


def is_reviewer(user: User | AnonymousUser) -> bool:
    return user.is_active and user.has_perm("tracker.publish_statusreport")


def is_editor(user: User | AnonymousUser) -> bool:
    return user.is_active and user.has_perm("instruments.change_instrument")


def economies_of_officer(user: User | AnonymousUser) -> QuerySet[Economy]:
    """Economies whose reports the user records (all of them for a superuser)."""
    if not user.is_authenticated or not user.is_active:
        return Economy.objects.none()
    if user.is_superuser:
        return Economy.objects.all()
    return Economy.objects.filter(officers=user)


def is_officer_of(user: User | AnonymousUser, economy_id: int) -> bool:
    return economies_of_officer(user).filter(pk=economy_id).exists()


def reports_visible_to(user: User | AnonymousUser) -> QuerySet[StatusReport]:
    """Published reports for everyone; an officer also sees every report of their economies;
    a reviewer sees every report that has been submitted at least once, and their own."""
    reports = StatusReport.objects.all()
    if not user.is_authenticated or not user.is_active:
        return reports.filter(review_state=ReviewState.PUBLISHED)
    if user.is_superuser:
        return reports
    from django.db.models import Q

    visible = Q(review_state=ReviewState.PUBLISHED) | Q(economy__officers=user)
    if is_reviewer(user):
        visible |= Q(review_state__in=[ReviewState.SUBMITTED, ReviewState.RETURNED])
    return reports.filter(visible).distinct()


def can_edit_report(user: User | AnonymousUser, report: StatusReport) -> bool:
    return report.review_state in EDITABLE_STATES and is_officer_of(user, report.economy_id)
