"""Admin for status reports: scoped to each role, every write through tracker.services.

Officers list, add and edit their own economies' reports while draft or returned, and submit
them; reviewers publish or return what is submitted; editors read what is published. Who may do
what is decided in tracker.roles, every transition in tracker.services. The history of every
record is kept by django-simple-history and shown under "History", scoped the same way.

Just over 400 lines: the change list, the form's views (with the conflict view) and the
exports belong to one ModelAdmin; its forms are in report_forms.py.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IS_POPUP_VAR, TO_FIELD_VAR
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME

from economies.models import Economy
from softlaw import clock, spreadsheets
from softlaw.admin import TrackedAdmin
from tracker import exporting, roles, services, workspace
from tracker.admin.imports import ReportImportMixin
from tracker.admin.report_forms import ReturnForm, StatusReportForm
from tracker.models import StatusReport

REVIEW_FIELDS = ("review_state", "review_note")
RECORD_FIELDS = (
    "entered_by_name",
    "reviewed_by_name",
    "submitted_at",
    "published_at",
    "created_at",
    "updated_at",
    "version",
    "is_illustrative",
)


def is_old_version(obj) -> bool:
    """Whether obj is a report as it was at one of its history records (django-simple-history
    marks the instances it rebuilds from them), not the report as it is."""
    return getattr(obj, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None) is not None


class WorkspaceEconomyFilter(admin.RelatedFieldListFilter):
    """The economies whose reports the user works with: an officer's own; every economy for a
    reviewer, an editor or a superuser. Read from the economies in one query, not as a
    DISTINCT over the reports (a global tracker's 1.2 million)."""

    def field_choices(self, field, request, model_admin):
        user = request.user
        economies = Economy.objects.order_by("name")
        if not (user.is_superuser or roles.is_reviewer(user) or roles.is_editor(user)):
            economies = economies.filter(pk__in=roles.officer_economy_ids(user))
        return [(economy.pk, str(economy)) for economy in economies]


@admin.register(StatusReport)
class StatusReportAdmin(ReportImportMixin, TrackedAdmin):
    form = StatusReportForm
    list_display = [
        "economy",
        "commitment",
        "status",
        "effective_date",
        "target_date",
        "origin",
        "review_state",
        "updated_at",
    ]
    list_filter = [
        "review_state",
        "status",
        "origin",
        ("economy", WorkspaceEconomyFilter),
        # Every instrument: one query, not a DISTINCT over the reports.
        ("commitment__instrument", admin.RelatedFieldListFilter),
    ]
    # The count of the filtered list only: not a second count of every report the user may
    # see (a global tracker's 1.2 million), which the admin would show beside it.
    show_full_result_count = False
    list_select_related = ["economy", "commitment"]
    search_fields = ["economy__code", "economy__name", "commitment__code", "evidence"]
    autocomplete_fields = ["economy", "commitment"]
    date_hierarchy = "effective_date"
    readonly_fields = REVIEW_FIELDS + RECORD_FIELDS
    actions = [
        "submit_reports",
        "publish_reports",
        "return_reports",
        "export_csv",
        "export_xlsx",
    ]
    history_list_display = ["review_state", "version"]
    object_history_list_template = "admin/tracker/statusreport/object_history_list.html"

    # Who may do what: tracker.roles decides, for the list and for each report.

    def get_queryset(self, request):
        # With economy and commitment: a report's name (page titles, messages) reads both.
        reports = roles.reports_in_workspace(request.user).select_related("economy", "commitment")
        ordering = self.get_ordering(request)
        return reports.order_by(*ordering) if ordering else reports

    def has_module_permission(self, request):
        return roles.can_use_workspace(request.user)

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # Only the versions the user could see live: not a draft's wording to a reviewer or
        # editor who may read the report now that it is submitted or published.
        records = super().get_history_queryset(request, history_manager, pk_name, object_id)
        return records.filter(roles.workspace_filter(request.user))

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return roles.can_use_workspace(request.user)
        return roles.can_view_report(request.user, obj)

    def has_add_permission(self, request):
        return roles.is_officer(request.user)

    def has_change_permission(self, request, obj=None):
        if is_old_version(obj):
            return False  # an old version is read, never posted back: reports change by workflow
        if obj is None:
            return roles.is_officer(request.user)
        return roles.can_change_report(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return roles.is_officer(request.user)
        return roles.can_delete_report(request.user, obj)

    def has_submit_permission(self, request):
        return roles.is_officer(request.user)

    def has_publish_permission(self, request):
        return roles.is_reviewer(request.user)

    # The form: only the user's economies and the commitments a report can be made on.

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "economy":
            kwargs["queryset"] = Economy.objects.filter(
                pk__in=roles.officer_economy_ids(request.user)
            )
        elif db_field.name == "commitment":
            kwargs["queryset"] = roles.reportable_commitments().select_related("instrument")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_fieldsets(self, request, obj=None):
        statement = ["economy", "commitment", "status", "effective_date", "target_date", "origin"]
        evidence = ("Evidence", {"fields": ["evidence", "source_urls"]})
        if obj is None:
            return [(None, {"fields": statement}), evidence]
        record = list(RECORD_FIELDS)
        if self.has_change_permission(request, obj):
            record.append("expected_version")
        # The review first: an officer opening a returned report reads the note before editing.
        return [
            ("Review", {"fields": list(REVIEW_FIELDS)}),
            ("Statement", {"fields": statement}),
            evidence,
            ("Record", {"fields": record}),
        ]

    # Names, not links: officers and reviewers have no access to the user admin.
    @admin.display(description="entered by")
    def entered_by_name(self, obj):
        return obj.entered_by.get_username() if obj.entered_by_id else "-"

    @admin.display(description="reviewed by")
    def reviewed_by_name(self, obj):
        return obj.reviewed_by.get_username() if obj.reviewed_by_id else "-"

    def get_readonly_fields(self, request, obj=None):
        if is_old_version(obj):
            return [f for _name, opts in self.get_fieldsets(request, obj) for f in opts["fields"]]
        return self.readonly_fields

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        economy_ids = roles.officer_economy_ids(request.user)
        if len(economy_ids) == 1:
            initial.setdefault("economy", next(iter(economy_ids)))
        return initial

    # Saving goes through the services, with the version the form was opened at.

    def save_model(self, request, obj, form, change):
        values = {f: form.cleaned_data[f] for f in services.EDITABLE_FIELDS}
        if change:
            current = StatusReport.objects.select_related("economy").get(pk=obj.pk)
            saved = services.report_update(
                report=current,
                user=request.user,
                expected_version=form.cleaned_data["expected_version"],
                **values,
            )
        else:
            saved = services.report_create(user=request.user, **values)
        for name in ("pk", "version", "review_state", "entered_by_id", "created_at", "updated_at"):
            setattr(obj, name, getattr(saved, name))

    def delete_model(self, request, obj):
        services.report_delete(report=obj, user=request.user)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for report in queryset.select_related("economy"):
            services.report_delete(report=report, user=request.user)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except services.ConflictError:
            # The form was valid when checked, but someone saved the report before the write:
            # the transaction is rolled back, nothing is saved.
            return self.conflict_view(request, object_id, form_url, extra_context)
        except services.WorkflowError as exc:
            # The report was submitted (or otherwise moved on) before the write: it can no
            # longer be edited, so the page shows it as it now is.
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def conflict_view(self, request, object_id, form_url="", extra_context=None):
        """The answer to a change form whose write found the report saved by someone else
        after the form's own check passed: the form comes back with what was typed and the
        report as saved now beside it, as when the form's check finds the newer version."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied  # moved on meanwhile: no longer the officer's to edit
        fieldsets = self.get_fieldsets(request, obj)
        form_class = self.get_form(request, obj, change=True)
        form = form_class(request.POST, request.FILES, instance=obj, saved_meanwhile=True)
        form.is_valid()  # refused: its errors say who saved the report, and when
        admin_form = helpers.AdminForm(
            form,
            list(fieldsets),
            self.get_prepopulated_fields(request, obj),
            self.get_readonly_fields(request, obj),
            model_admin=self,
        )
        # The context Django's change view gives a form that did not validate.
        context = {
            **self.admin_site.each_context(request),
            "title": _("Change %s") % self.opts.verbose_name,
            "subtitle": str(obj),
            "adminform": admin_form,
            "object_id": object_id,
            "original": obj,
            "is_popup": IS_POPUP_VAR in request.POST or IS_POPUP_VAR in request.GET,
            "to_field": request.POST.get(TO_FIELD_VAR, request.GET.get(TO_FIELD_VAR)),
            "media": self.media + admin_form.media,
            "inline_admin_formsets": [],
            "errors": helpers.AdminErrorList(form, []),
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        return self.render_change_form(request, context, change=True, form_url=form_url, obj=obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        if getattr(form, "saved_now", None) is not None:
            context["saved_meanwhile"] = form.compared_with_saved()
        if add:
            # "Report an update" from the workspace: the status published now, beside the form.
            context["published_now"] = workspace.published_status(
                user=request.user,
                economy_id=request.GET.get("economy", ""),
                commitment_id=request.GET.get("commitment", ""),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _back_to_workspace(self, request, obj, response):
        """Back to the workspace after saving a report opened from it."""
        if request.GET.get("from") != "workspace" or {"_continue", "_addanother"} & set(
            request.POST
        ):
            return response
        return HttpResponseRedirect(f"{reverse('workspace')}#economy-{obj.economy.code}")

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        return self._back_to_workspace(request, obj, response)

    def response_change(self, request, obj):
        return self._back_to_workspace(request, obj, super().response_change(request, obj))

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Shown read-only: the version is rebuilt as an old one (is_old_version), which no one
        # may change.
        if request.method == "POST":
            raise PermissionDenied  # an old version is never posted back over a report
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True

    # Workflow actions, one report or many; all of them or none.

    def _nothing_selected(self, request, queryset) -> bool:
        # Selections are taken from the reports the user works with: ids from elsewhere drop out.
        if queryset.exists():
            return False
        self.message_user(
            request,
            "None of the selected reports is yours to act on: nothing changed.",
            messages.WARNING,
        )
        return True

    def _run(self, request, work, done: str, refused: str):
        try:
            count = work()
        except (services.WorkflowError, PermissionDenied) as exc:
            detail = " ".join(exc.messages) if hasattr(exc, "messages") else str(exc)
            self.message_user(request, f"{refused} {detail}", messages.ERROR)
        else:
            self.message_user(request, done.format(count=count), messages.SUCCESS)

    @admin.action(description="Submit the selected reports for review", permissions=["submit"])
    def submit_reports(self, request, queryset):
        if self._nothing_selected(request, queryset):
            return
        self._run(
            request,
            lambda: services.reports_submit(
                reports=queryset.select_related("economy", "commitment"), user=request.user
            ),
            "{count} report(s) submitted for review.",
            "Nothing was submitted:",
        )

    @admin.action(description="Publish the selected submitted reports", permissions=["publish"])
    def publish_reports(self, request, queryset):
        if self._nothing_selected(request, queryset):
            return
        self._run(
            request,
            lambda: services.reports_publish(
                reports=queryset.select_related("economy", "commitment"), reviewer=request.user
            ),
            "{count} report(s) published.",
            "Nothing was published:",
        )

    @admin.action(
        description="Return the selected submitted reports, with a note", permissions=["publish"]
    )
    def return_reports(self, request, queryset):
        if self._nothing_selected(request, queryset):
            return None
        form = ReturnForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self._run(
                request,
                lambda: services.reports_return(
                    reports=queryset.select_related("economy", "commitment"),
                    reviewer=request.user,
                    note=form.cleaned_data["note"],
                ),
                "{count} report(s) returned to their officers.",
                "Nothing was returned:",
            )
            return None
        return TemplateResponse(
            request,
            "admin/tracker/statusreport/return_note.html",
            {
                **self.admin_site.each_context(request),
                "title": "Return reports with a note",
                "opts": self.opts,
                "form": form,
                "reports": queryset.select_related("economy", "commitment"),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "select_across": request.POST.get("select_across", "0"),
            },
        )

    @admin.action(description="Export the selected reports as CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        return self._export(queryset, "csv")

    @admin.action(description="Export the selected reports as XLSX", permissions=["view"])
    def export_xlsx(self, request, queryset):
        return self._export(queryset, "xlsx")

    def _export(self, queryset, fmt: str) -> HttpResponse:
        columns = exporting.report_columns(workflow=True)
        rows = exporting.report_rows(queryset, workflow=True)
        response = HttpResponse(
            spreadsheets.write(fmt, columns, rows, title="reports"),
            content_type=spreadsheets.CONTENT_TYPES[fmt],
        )
        stamp = clock.today().isoformat()
        response["Content-Disposition"] = f'attachment; filename="status-reports-{stamp}.{fmt}"'
        return response

    # Extra pages: every report the user works with as a file, and the spreadsheet import.

    def get_urls(self):
        return [
            path(
                "export/<str:fmt>/",
                self.admin_site.admin_view(self.export_view),
                name="tracker_statusreport_export",
            ),
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="tracker_statusreport_import",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_import": self.has_import_permission(request),
        }
        return super().changelist_view(request, extra_context)

    def export_view(self, request, fmt: str):
        if not self.has_view_permission(request):
            raise PermissionDenied
        if fmt not in spreadsheets.CONTENT_TYPES:
            return HttpResponse(
                "Choose csv or xlsx.", status=400, content_type="text/plain; charset=utf-8"
            )
        return self._export(self.get_queryset(request), fmt)
