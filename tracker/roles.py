"""Who may do what. Every path (admin, API, import, export) asks these functions.

- Officer: a user listed among an economy's officers; records that economy's reports while they
  are draft or returned, and submits them. Never publishes.
- Reviewer: member of the "Reviewers" group (permission tracker.publish_statusreport); publishes
  or returns submitted reports of any economy, except those they entered or last changed
  (four-eyes: has_written()), whatever other role they also hold.
- Editor: member of the "Editors" group; maintains economies, forums, themes, instruments and
  commitments.
- User manager: may change users (a superuser, typically); names each economy's officers.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet

from economies.models import Economy
from instruments.models import Commitment
from tracker.models import PUBLISHED, ReviewState, StatusReport

OFFICERS_GROUP = "Officers"
REVIEWERS_GROUP = "Reviewers"
EDITORS_GROUP = "Editors"

EDITABLE_STATES = (ReviewState.DRAFT, ReviewState.RETURNED)


def is_reviewer(user: User | AnonymousUser) -> bool:
    return user.is_active and user.has_perm("tracker.publish_statusreport")


def is_editor(user: User | AnonymousUser) -> bool:
    return user.is_active and user.has_perm("instruments.change_instrument")


def can_manage_officers(user: User | AnonymousUser) -> bool:
    """Whether the user names economies' officers, and so may see who they are: naming an
    officer grants the right to write that economy's reports, so it is done by those who manage
    users (superusers included), never by editors; officers do not see each other's names."""
    return user.is_active and user.has_perm("auth.change_user")


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
        return reports.published()
    if user.is_superuser:
        return reports
    visible = PUBLISHED | Q(economy__officers=user)
    if is_reviewer(user):
        visible |= Q(review_state__in=[ReviewState.SUBMITTED, ReviewState.RETURNED])
    return reports.filter(visible).distinct()


# --- who entered a report, as the public reads it -------------------------------------------------
# Public pages and the public API name the role, never the person: "economy officer, Japan" or
# "secretariat". Names are for the admin, where each role sees what it may.

SECRETARIAT = "secretariat"


def with_entered_by(reports: QuerySet[StatusReport]) -> QuerySet[StatusReport]:
    """The reports, each with entered_by_officer: true when an officer of its economy entered
    it, one who is its officer now or who has no secretariat role (only officers enter reports,
    so a former officer's reports stay theirs); false for the secretariat: reviewers, editors,
    superusers, and the operator's or the reference data's reports (no user). And economy_name,
    to say which economy. Read in the same query, whatever the number of reports."""
    officers = Economy.officers.through.objects.filter(
        economy_id=OuterRef("economy_id"), user_id=OuterRef("entered_by_id")
    )
    secretariat = User.groups.through.objects.filter(
        user_id=OuterRef("entered_by_id"), group__name__in=[REVIEWERS_GROUP, EDITORS_GROUP]
    )
    by_officer = Q(entered_by__isnull=False) & (
        Exists(officers) | ~(Q(entered_by__is_superuser=True) | Exists(secretariat))
    )
    return reports.annotate(
        entered_by_officer=ExpressionWrapper(by_officer, output_field=BooleanField()),
        economy_name=F("economy__name"),
    )


def entered_by_role(*, by_officer: bool, economy_name: str) -> str:
    """Who entered a report as the public reads it (with_entered_by() gives both values)."""
    return f"economy officer, {economy_name}" if by_officer else SECRETARIAT


# --- the admin workspace ------------------------------------------------------------------------
# The admin lists a narrower set than reports_visible_to(): an officer works on their own
# economies' reports only, a reviewer on what has been sent for review, an editor reads what is
# published. Every admin path (change list, form, actions, history, import, export) asks these.

REVIEWED_STATES = (
    ReviewState.SUBMITTED,
    ReviewState.RETURNED,
    ReviewState.PUBLISHED,
    ReviewState.WITHDRAWN,
)
# What editors see: what was published, including what was published and later withdrawn.
PUBLIC_RECORD_STATES = (ReviewState.PUBLISHED, ReviewState.WITHDRAWN)


def officer_economy_ids(user: User | AnonymousUser) -> frozenset[int]:
    """Ids of the economies the user is an officer of, cached on the user object for the rest of
    the request (as Django caches permissions); writes ask afresh (fresh=True below)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_officer_economy_ids", None)
    if cached is None:
        cached = frozenset(economies_of_officer(user).values_list("pk", flat=True))
        user._officer_economy_ids = cached
    return cached


def is_officer(user: User | AnonymousUser) -> bool:
    """An officer of at least one economy (every economy for a superuser)."""
    return bool(officer_economy_ids(user))


def reports_in_workspace(user: User | AnonymousUser) -> QuerySet[StatusReport]:
    """The reports a user works with in the admin: an officer, every report of their own
    economies; a reviewer, every report sent for review; an editor, the published ones."""
    return StatusReport.objects.filter(workspace_filter(user))


def workspace_filter(user: User | AnonymousUser) -> Q:
    """The rule of reports_in_workspace() as a filter, for reports and for their history (an
    editor reading a published report's history must not see the wording of its drafts)."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    visible = Q(economy_id__in=officer_economy_ids(user))
    if is_reviewer(user):
        visible |= Q(review_state__in=REVIEWED_STATES)
    if is_editor(user):
        visible |= Q(review_state__in=PUBLIC_RECORD_STATES)
    return visible


def can_use_workspace(user: User | AnonymousUser) -> bool:
    """Whether the user has any reason to open the status reports in the admin."""
    return user.is_active and (
        user.is_superuser or is_officer(user) or is_reviewer(user) or is_editor(user)
    )


def can_view_report(user: User | AnonymousUser, report: StatusReport) -> bool:
    """The rule of reports_in_workspace() for one report (a live or historical copy)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or report.economy_id in officer_economy_ids(user):
        return True
    if is_reviewer(user) and report.review_state in REVIEWED_STATES:
        return True
    return is_editor(user) and report.review_state in PUBLIC_RECORD_STATES


# The rules on one report. Screens ask them from the request's cached scope to decide what to
# show; tracker.services asks the same rules with fresh=True before each write, so that an
# officer named off a moment ago writes nothing.


def _officer_of(user: User | AnonymousUser, economy_id: int, *, fresh: bool) -> bool:
    if fresh:
        return is_officer_of(user, economy_id)
    return economy_id in officer_economy_ids(user)


def can_change_report(
    user: User | AnonymousUser, report: StatusReport, *, fresh: bool = False
) -> bool:
    """An officer of its economy edits a draft or a returned report."""
    return report.review_state in EDITABLE_STATES and _officer_of(
        user, report.economy_id, fresh=fresh
    )


def can_submit_report(
    user: User | AnonymousUser, report: StatusReport, *, fresh: bool = False
) -> bool:
    """Who may edit it submits it for review."""
    return can_change_report(user, report, fresh=fresh)


def can_delete_report(
    user: User | AnonymousUser, report: StatusReport, *, fresh: bool = False
) -> bool:
    """An officer of its economy discards a draft; nothing else is ever deleted."""
    return report.review_state == ReviewState.DRAFT and _officer_of(
        user, report.economy_id, fresh=fresh
    )


def can_review_report(user: User | AnonymousUser, report: StatusReport) -> bool:
    """A reviewer publishes or returns a submitted report (publishing: can_publish_report)."""
    return is_reviewer(user) and report.review_state == ReviewState.SUBMITTED


# --- four-eyes ----------------------------------------------------------------------------------

FOUR_EYES_MESSAGE = (
    "A report is published by someone other than the person who entered it or last changed it."
)


def has_written(user: User | AnonymousUser, report: StatusReport) -> bool:
    """Four-eyes: whether the user entered the report or last changed what it says. Such a user
    never publishes it, on any path (admin, API, import, command), whatever else they may do:
    an officer who is also a reviewer may rewrite a colleague's draft, but then not publish it."""
    return user.pk is not None and user.pk in (report.entered_by_id, report.last_changed_by_id)


def can_publish_report(user: User | AnonymousUser, report: StatusReport) -> bool:
    return can_review_report(user, report) and not has_written(user, report)


def reportable_commitments() -> QuerySet[Commitment]:
    """Commitments a status report can be made on: those each economy carries out."""
    return Commitment.objects.economy_scope()


# --- spreadsheet import -------------------------------------------------------------------------


def can_import(user: User | AnonymousUser | None, *, publish: bool = False) -> bool:
    """Officers import drafts; a reviewer imports rows for publication, which then wait for
    another reviewer (four-eyes). None is the operator running the command on the server, who
    imports drafts: publishing from the command names a reviewer as the user and a second one."""
    if user is None:
        return not publish
    if publish:
        return is_reviewer(user)
    return is_officer(user)


def economy_ids_for_import(
    user: User | AnonymousUser | None, *, publish: bool = False
) -> frozenset[int]:
    """Economies whose reports the user may import: their own as drafts; any, to publish."""
    if user is None or (publish and is_reviewer(user)):
        return frozenset(Economy.objects.values_list("pk", flat=True))
    if publish:
        return frozenset()
    return frozenset(economies_of_officer(user).values_list("pk", flat=True))
