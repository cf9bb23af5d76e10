"""The report admin's forms: a report's change form, which refuses a save from an older
version and shows the report as saved now beside what was typed, and the note a reviewer
returns reports with."""

from django import forms
from django.utils import timezone
from django.utils.text import capfirst

from tracker import services
from tracker.models import StatusReport


def saved_meanwhile_message(report: StatusReport) -> str:
    """What a person whose save was refused reads: who saved the report since they opened it,
    and when (from its latest history record), that nothing was lost, and what to do now."""
    last = report.history.select_related("history_user").first()  # the newest
    who = "Someone else"
    if last is not None and last.history_user is not None:
        who = last.history_user.get_username()
    when = f" at {timezone.localtime(last.history_date):%Y-%m-%d %H:%M %Z}" if last else ""
    return (
        f"{who} saved this report{when}, after you opened this form, so your changes were not "
        "saved and nothing was overwritten. Your changes are still in the form; the report as "
        "it is saved now is shown beside them just below. Compare the two, keep in the form "
        "what should stay, and save again."
    )


class StatusReportForm(forms.ModelForm):
    """A report's editable fields, plus the version the form was opened at: a save from an
    older version is refused, so the second of two concurrent edits never overwrites the first.

    A refused form comes back with what was typed, the report as saved now (saved_now) and the
    version saved now, so that saving it again is a choice made with the other values in view.
    saved_meanwhile=True refuses it whatever version it carries: the write found a newer
    version after the form's own check had passed.
    """

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = StatusReport
        fields = services.EDITABLE_FIELDS

    def __init__(self, *args, saved_meanwhile: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.saved_meanwhile = saved_meanwhile
        self.saved_now = None
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            current = (
                StatusReport.objects.select_related("economy", "commitment")
                .filter(pk=self.instance.pk)
                .first()
            )
            if current is None:
                raise forms.ValidationError(
                    "This report was deleted after you opened this form: nothing was saved.",
                    code="deleted",
                )
            if self.saved_meanwhile or cleaned.get("expected_version") != current.version:
                self.saved_now = current
                # Back at the version saved now: with the other values in view, saving the
                # form again is the person's choice (and a third save meanwhile is refused).
                self.data = self.data.copy()
                self.data[self.add_prefix("expected_version")] = current.version
                raise forms.ValidationError(saved_meanwhile_message(current), code="conflict")
        return cleaned

    def compared_with_saved(self) -> list[dict]:
        """Each editable field as saved now and as typed in this form, for the refused form."""
        rows = []
        for name in services.EDITABLE_FIELDS:
            field = StatusReport._meta.get_field(name)
            yours = (
                self.cleaned_data.get(name)
                if name in self.cleaned_data
                else self.data.get(self.add_prefix(name))
            )
            saved, typed = _shown(field, getattr(self.saved_now, name)), _shown(field, yours)
            rows.append(
                {
                    "label": str(self.fields[name].label or capfirst(field.verbose_name)),
                    "saved": saved,
                    "yours": typed,
                    "differs": saved != typed,
                }
            )
        return rows


def _shown(field, value) -> str:
    """A field's value as a person reads it: a choice's label, a record's name, a date."""
    if value in (None, ""):
        return "(empty)"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


class ReturnForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text="Shown to the officers: say what to change before submitting again.",
    )
