"""Admin for status reports: scoped to each role, every write through tracker.services.

Officers list, add and edit their own economies' reports while draft or returned, and submit
them; reviewers publish or return what is submitted; editors read what is published. Who may do
what is decided in tracker.roles, every transition in tracker.services. The history of every
record is kept by django-simple-history and shown under "History", scoped the same way.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import User
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from import_export.tmp_storages import TempFolderStorage
from simple_history.admin import SimpleHistoryAdmin

from economies.models import Economy
from tracker import exporting, importing, roles, services
from tracker.models import CurrentStatus, StatusReport


def autocomplete_source(request) -> tuple[str, str, str] | None:
    """(app_label, model_name, field_name) when the request asks the admin's autocomplete."""
    if request.resolver_match is None or request.resolver_match.url_name != "autocomplete":
        return None
    return (
        request.GET.get("app_label", ""),
        request.GET.get("model_name", ""),
        request.GET.get("field_name", ""),
    )


class TrackedAdmin(SimpleHistoryAdmin):
    """An admin that shows the history of every record (who changed what, and when).

    django-simple-history lets anyone who may view a record post an old version back through
    its history page; here reverting needs the right to change the record.
    """

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")  # Django 6's default, today
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if obj is None or not self.has_change_permission(request, obj):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


# --- status reports ------------------------------------------------------------------------------


class StatusReportForm(forms.ModelForm):
    """A report's editable fields, plus the version the form was opened at: a save from an
    older version is refused, so the second of two concurrent edits never overwrites the first."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = StatusReport
        fields = services.EDITABLE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            current = (
                StatusReport.objects.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if cleaned.get("expected_version") != current:
                raise forms.ValidationError(services.CONFLICT_MESSAGE, code="conflict")
        return cleaned


class ReturnForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text="Shown to the officers: say what to change before submitting again.",
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        help_text="A .csv file (UTF-8) or an .xlsx workbook, with the columns economy, "
        "commitment, status, effective_date, evidence, source_url, and optionally target_date "
        "and origin. The header is line 1."
    )
    publish = forms.BooleanField(
        required=False,
        label="Publish the rows at once",
        help_text="Reviewers only. Otherwise every row becomes a draft.",
    )


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

IMPORT_SALT = "tracker.admin.import"
IMPORT_MAX_AGE = 60 * 60  # seconds between the preview and the confirmation
PREVIEW_ROWS = 50


@admin.register(StatusReport)
class StatusReportAdmin(TrackedAdmin):
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
        ("economy", admin.RelatedOnlyFieldListFilter),
        ("commitment__instrument", admin.RelatedOnlyFieldListFilter),
    ]
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
        if getattr(request, "_viewing_history", False):
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

    def has_import_permission(self, request):
        user = request.user
        return roles.can_import(user) or roles.can_import(user, publish=True)

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
        if getattr(request, "_viewing_history", False):
            return [*self._fieldset_fields(request, obj)]
        return self.readonly_fields

    def _fieldset_fields(self, request, obj):
        return [f for _, options in self.get_fieldsets(request, obj) for f in options["fields"]]

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
        except services.WorkflowError as exc:
            # The form was valid when checked, but the report changed before the write (a
            # concurrent save or a submission): the transaction is rolled back, nothing is saved.
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request._viewing_history = True
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
            exporting.write(fmt, columns, rows, title="reports"),
            content_type=exporting.CONTENT_TYPES[fmt],
        )
        stamp = timezone.localdate().isoformat()
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
        if fmt not in exporting.CONTENT_TYPES:
            return HttpResponse(
                "Choose csv or xlsx.", status=400, content_type="text/plain; charset=utf-8"
            )
        return self._export(self.get_queryset(request), fmt)

    def import_view(self, request):
        user = request.user
        if not self.has_import_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "Import status reports from a spreadsheet",
            "opts": self.opts,
            "can_publish": roles.can_import(user, publish=True),
            "columns": importing.COLUMNS,
            "max_mb": importing.MAX_BYTES // 1048576,
        }
        if request.method == "POST" and "token" in request.POST:
            return self._import_confirm(request, context)
        posted = request.method == "POST"
        form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
        if not context["can_publish"]:
            del form.fields["publish"]
        if posted and form.is_valid():
            upload = form.cleaned_data["file"]
            publish = form.cleaned_data.get("publish", False)
            try:
                importing.check_size(upload.size)
                data = upload.read()
                result = importing.import_reports(
                    data, filename=upload.name, user=user, publish=publish, dry_run=True
                )
            except importing.ImportRefused as exc:
                context.update(problems=exc.problems, filename=upload.name)
            else:
                stored = TempFolderStorage(read_mode="rb")
                stored.save(data)
                token = signing.dumps(
                    {"name": stored.name, "filename": upload.name, "publish": publish},
                    salt=f"{IMPORT_SALT}:{user.pk}",
                )
                context.update(
                    preview=list(zip(result.lines, result.reports, strict=True))[:PREVIEW_ROWS],
                    result=result,
                    token=token,
                    filename=upload.name,
                    publish=publish,
                )
        context["form"] = form
        return TemplateResponse(request, "admin/tracker/statusreport/import.html", context)

    def _import_confirm(self, request, context):
        try:
            ticket = signing.loads(
                request.POST["token"],
                salt=f"{IMPORT_SALT}:{request.user.pk}",
                max_age=IMPORT_MAX_AGE,
            )
            stored = TempFolderStorage(name=ticket["name"], read_mode="rb")
            data = stored.read()
            # Claim the preview before importing: removing a file is atomic, so of two
            # confirmations (a double click) only one finds it, and the rows land once.
            stored.remove()
        except (signing.BadSignature, OSError, KeyError, TypeError):
            self.message_user(
                request,
                "This preview has expired or was already imported: upload the file again.",
                messages.ERROR,
            )
            return HttpResponseRedirect(request.path)
        try:
            result = importing.import_reports(
                data,
                filename=ticket["filename"],
                user=request.user,
                publish=ticket["publish"],
            )
        except (importing.ImportRefused, PermissionDenied) as exc:
            # Something changed since the preview (a report recorded, a role withdrawn).
            problems = getattr(exc, "problems", None) or [importing.Problem(0, str(exc))]
            context.update(problems=problems, filename=ticket["filename"], form=ImportForm())
            if not context["can_publish"]:
                del context["form"].fields["publish"]
            return TemplateResponse(request, "admin/tracker/statusreport/import.html", context)
        state = "published" if ticket["publish"] else "draft"
        self.message_user(
            request,
            f"Imported {result.count} row(s) of {ticket['filename']} as {state} reports.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:tracker_statusreport_changelist"))


# --- users: who is an officer of which economy ---------------------------------------------------


class OfficerUserChangeForm(UserChangeForm):
    officer_of = forms.ModelMultipleChoiceField(
        queryset=Economy.objects.all(),
        required=False,
        widget=FilteredSelectMultiple("economies", is_stacked=False),
        label="Officer of",
        help_text="The economies whose status reports this user records.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["officer_of"].initial = list(self.instance.officer_of.all())


class OfficerUserAdmin(UserAdmin):
    form = OfficerUserChangeForm
    fieldsets = (*UserAdmin.fieldsets, ("Economy officer", {"fields": ["officer_of"]}))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if "officer_of" not in form.cleaned_data:
            return
        user = form.instance
        wanted = set(form.cleaned_data["officer_of"])
        current = set(user.officer_of.all())
        # From the economy's side, so that each economy's history records the change.
        for economy in wanted - current:
            economy.officers.add(user)
        for economy in current - wanted:
            economy.officers.remove(user)


admin.site.unregister(User)
admin.site.register(User, OfficerUserAdmin)


@admin.register(CurrentStatus)
class CurrentStatusAdmin(admin.ModelAdmin):
    """Read-only: derived from the published reports on every save, never edited by hand."""

    list_display = ["economy", "commitment", "status", "effective_date", "target_date", "report"]
    list_filter = ["status", "instrument"]
    list_select_related = ["economy", "commitment", "report"]
    search_fields = ["economy__code", "commitment__code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
