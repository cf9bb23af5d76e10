"""The pages each signed-in role starts from, in the admin's look: an officer's workspace and a
reviewer's queue. Thin views: reads from tracker.workspace, writes through tracker.services,
who may do what from tracker.roles.

Signing in lands on /admin/, which sends an officer to their workspace and a reviewer to the
queue; the admin's own index stays one link away (/admin/?index).
"""

from urllib.parse import urlencode

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from economies.models import Economy
from softlaw import clock
from tracker import roles, services, workspace
from tracker.models import StatusReport


def landing(request):
    """The admin's index, or the page made for the user's job."""
    user = request.user
    if "index" not in request.GET and not user.is_superuser:
        if roles.is_officer(user):
            return HttpResponseRedirect(reverse("workspace"))
        if roles.is_reviewer(user):
            return HttpResponseRedirect(reverse("review_queue"))
    return admin.site.index(request)


def _context(request, title: str, **values) -> dict:
    return {**admin.site.each_context(request), "title": title, **values}


def _back_to(economy: Economy | None = None, *, opened: str = "") -> HttpResponseRedirect:
    """Back to the workspace, at the economy; with the instrument that was open (a global
    tracker's workspace opens one at a time) still open."""
    query = f"?{urlencode({'instrument': opened[:60]})}" if opened else ""
    anchor = f"#economy-{economy.code}" if economy is not None else ""
    return HttpResponseRedirect(reverse("workspace") + query + anchor)


def _refused(request, prefix: str, exc: Exception) -> None:
    detail = " ".join(exc.messages) if hasattr(exc, "messages") else str(exc)
    messages.error(request, f"{prefix} {detail}")


# --- the officer's workspace ---------------------------------------------------------------------


def workspace_view(request):
    if not roles.is_officer(request.user):
        raise PermissionDenied
    opened = request.GET.get("instrument", "").strip()
    economies = workspace.officer_workspace(user=request.user, opened=opened)
    closed = [ws for ws in economies if not ws.every_row]
    if opened and closed and not any(g.is_open for ws in closed for g in ws.instruments):
        messages.error(
            request,
            f"No instrument {opened[:60]!r} is on this page: open one with its own link below.",
        )
    return TemplateResponse(
        request,
        "admin/tracker/workspace.html",
        _context(
            request,
            "What your economy owes" if len(economies) == 1 else "What your economies owe",
            economies=economies,
            drafts=sum(len(e.own_drafts) for e in economies),
            is_reviewer=roles.is_reviewer(request.user),
            today=clock.today(),
        ),
    )


@require_POST
def confirm_unchanged(request):
    economy = get_object_or_404(
        Economy, pk=request.POST.get("economy"), pk__in=roles.officer_economy_ids(request.user)
    )
    commitment = get_object_or_404(
        roles.reportable_commitments(), pk=request.POST.get("commitment")
    )
    try:
        services.report_confirm_unchanged(economy=economy, commitment=commitment, user=request.user)
    except (services.WorkflowError, PermissionDenied) as exc:
        _refused(request, "Nothing was recorded:", exc)
    else:
        messages.success(
            request,
            f"{commitment.code} confirmed unchanged for {economy.name}, as a draft: "
            "submit it with your other drafts.",
        )
    return _back_to(economy, opened=request.POST.get("instrument", "").strip())


@require_POST
def submit_drafts(request):
    if not roles.is_officer(request.user):
        raise PermissionDenied
    drafts = workspace.draft_reports_of(user=request.user).order_by("pk")
    if "report" in request.POST:
        # One report, from its own button: a returned report once corrected, or a draft.
        drafts = workspace.editable_reports_of(user=request.user).filter(
            pk=request.POST["report"] if request.POST["report"].isdigit() else None
        )
    try:
        count = services.reports_submit(reports=drafts, user=request.user)
    except (services.WorkflowError, PermissionDenied) as exc:
        _refused(request, "Nothing was submitted:", exc)
    else:
        if count:
            messages.success(request, f"{count} draft(s) submitted for review.")
        else:
            messages.warning(request, "You have no drafts to submit.")
    return _back_to()


def spreadsheet(request, code: str):
    """The economy's commitments with their current statuses, to edit and import back."""
    economy = Economy.objects.filter(code=code.upper()).first()
    if economy is None or economy.pk not in roles.officer_economy_ids(request.user):
        raise PermissionDenied
    response = HttpResponse(
        workspace.spreadsheet_xlsx(economy=economy),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stamp = clock.today().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="{economy.code}-commitments-{stamp}.xlsx"'
    )
    return response


# --- the reviewer's queue ------------------------------------------------------------------------


def review_queue_view(request):
    if not roles.is_reviewer(request.user):
        raise PermissionDenied
    if request.method == "POST":
        _review(request)
        return HttpResponseRedirect(reverse("review_queue"))
    items = workspace.review_queue(user=request.user)
    return TemplateResponse(
        request,
        "admin/tracker/review_queue.html",
        _context(
            request,
            "Reports waiting for review",
            items=items,
            is_officer=roles.is_officer(request.user),
        ),
    )


def _review(request) -> None:
    """One report published or returned (its own button), or the selected ones (bulk)."""
    post, reviewer = request.POST, request.user
    try:
        if "publish" in post:
            report = _submitted(post["publish"])
            services.report_publish(
                report=report, reviewer=reviewer, expected_version=_version(post, report)
            )
            messages.success(request, f"Published {report}.")
        elif "return" in post:
            report = _submitted(post["return"])
            services.report_return(
                report=report,
                reviewer=reviewer,
                note=post.get(f"note-{report.pk}", ""),
                expected_version=_version(post, report),
            )
            messages.success(request, f"Returned {report} to its officers.")
        elif "publish_selected" in post or "return_selected" in post:
            reports = _selected(post)
            left = []
            if "publish_selected" in post and post.get("all_listed"):
                # Every report listed that this reviewer may publish; the rest wait for another.
                left = [r for r in reports if not roles.can_publish_report(reviewer, r)]
                reports = [r for r in reports if r not in left]
            changed = [r for r in reports if _version(post, r) not in (None, r.version)]
            if changed:
                # A report edited since the queue was opened is not acted on unseen: none are.
                raise services.WorkflowError(
                    f"{len(changed)} of the reports changed since you opened the queue "
                    f"({', '.join(str(r) for r in changed[:3])}); review them again."
                )
            if not reports:
                messages.warning(request, "Select the reports first: nothing changed.")
            elif "publish_selected" in post:
                count = services.reports_publish(reports=reports, reviewer=reviewer)
                messages.success(request, f"{count} report(s) published.")
                if left:
                    messages.info(
                        request,
                        f"{len(left)} report(s) you entered or last changed wait for another "
                        "reviewer (four-eyes).",
                    )
            else:
                count = services.reports_return(
                    reports=reports, reviewer=reviewer, note=post.get("bulk_note", "")
                )
                messages.success(request, f"{count} report(s) returned to their officers.")
    except (services.WorkflowError, PermissionDenied) as exc:
        _refused(request, "Nothing changed:", exc)


def _submitted(pk: str) -> StatusReport:
    return get_object_or_404(StatusReport.objects.select_related("economy", "commitment"), pk=pk)


def _version(post, report: StatusReport) -> int | None:
    """The version the reviewer saw: a report changed since then is refused, not published."""
    value = post.get(f"version-{report.pk}", "")
    return int(value) if value.isdigit() else None


def _selected(post) -> list[StatusReport]:
    """The reports ticked, or with "all listed", every report the queue showed (each has its
    version in the form): never one the reviewer did not see."""
    if post.get("all_listed"):
        ids = [key.removeprefix("version-") for key in post if key.startswith("version-")]
    else:
        ids = post.getlist("selected")
    ids = [pk for pk in ids if pk.isdigit()]
    return list(
        StatusReport.objects.filter(pk__in=ids)
        .select_related("economy", "commitment")
        .order_by("submitted_at", "pk")
    )
