"""Reporting rounds in the admin: editors create them; the change page shows the progress grid
(each economy's share answered, on time, late and missing, from tracker.rounds)."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html

from softlaw.admin import TrackedAdmin
from tracker import rounds
from tracker.models import ReportingRound


class ReportingRoundForm(forms.ModelForm):
    class Meta:
        model = ReportingRound
        fields = [
            "name",
            "slug",
            "description",
            "instruments",
            "commitments",
            "opens_on",
            "deadline",
            "grace_until",
        ]

    def clean_commitments(self):
        commitments = self.cleaned_data["commitments"]
        collective = [c.code for c in commitments if not c.is_scored]
        if collective:
            raise forms.ValidationError(
                "Rounds ask economies about the commitments each carries out; these are "
                f"collective: {', '.join(collective)}."
            )
        return commitments

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("instruments") and not cleaned.get("commitments"):
            raise forms.ValidationError("Name the instruments or commitments the round asks.")
        return cleaned


# Up to this many commitments asked, the progress grid has a column for each.
GRID_COLUMNS = 100


@admin.register(ReportingRound)
class ReportingRoundAdmin(TrackedAdmin):
    """Only those with the round permissions (the Editors group, superusers) see rounds here."""

    form = ReportingRoundForm
    list_display = ["name", "opens_on", "deadline", "grace_until", "state", "public_page"]
    list_filter = ["opens_on"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["instruments", "commitments"]
    date_hierarchy = "opens_on"
    change_form_template = "admin/tracker/reportinground/change_form.html"

    @admin.display(description="state")
    def state(self, round):
        return rounds.round_state(round).capitalize()

    @admin.display(description="public page")
    def public_page(self, round):
        return format_html(
            '<a href="{}">{}</a>', round.get_absolute_url(), round.get_absolute_url()
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        round = self.get_object(request, object_id)
        if round is not None and self.has_view_or_change_permission(request, round):
            progress = rounds.round_progress(round=round)
            extra_context["progress"] = progress
            # A column for each commitment asked, up to what a person reads across (a round
            # of a global tracker's 60 instruments asks 1,200: 240,000 cells, 13 MB).
            extra_context["answer_columns"] = len(progress.commitments) <= GRID_COLUMNS
        return super().change_view(request, object_id, form_url, extra_context)
