"""The spreadsheet import of status reports in the admin: upload, preview, confirm.

The rows are read and checked by tracker.importing (the same code as `manage.py import_status`);
the preview is a dry run, and the confirmation imports the very file that was previewed.
"""

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from import_export.tmp_storages import TempFolderStorage

from tracker import importing, roles


class ImportForm(forms.Form):
    file = forms.FileField(
        help_text="A .csv file (UTF-8) or an .xlsx workbook, with the columns economy, "
        "commitment, status, effective_date, evidence, source_url, and optionally target_date "
        "and origin. The header is line 1."
    )
    publish = forms.BooleanField(
        required=False,
        label="Send the rows for publication",
        help_text="Reviewers only. The rows become submitted reports, which another reviewer "
        "publishes: no one publishes what they entered. Otherwise every row becomes a draft.",
    )


# The module path of old, kept: a preview signed before the move still confirms.
IMPORT_SALT = "tracker.admin.import"
IMPORT_MAX_AGE = 60 * 60  # seconds between the preview and the confirmation
PREVIEW_ROWS = 50


class ReportImportMixin:
    """The import page of the status reports' admin (its URL is added by get_urls there)."""

    def has_import_permission(self, request):
        user = request.user
        return roles.can_import(user) or roles.can_import(user, publish=True)

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
        state = (
            "submitted reports, for another reviewer to publish"
            if ticket["publish"]
            else "draft reports"
        )
        skipped = f" {len(result.unchanged)} unchanged row(s) skipped." if result.unchanged else ""
        self.message_user(
            request,
            f"Imported {result.count} row(s) of {ticket['filename']} as {state}.{skipped}",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:tracker_statusreport_changelist"))
