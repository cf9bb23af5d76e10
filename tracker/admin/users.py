"""Users in the admin, with the economies each one is an officer of."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import User

from economies.models import Economy
from tracker import roles


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

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if roles.can_manage_officers(request.user):
            return fieldsets
        # One who may read users but not change them does not see who is an officer of what.
        return [(name, options) for name, options in fieldsets if name != "Economy officer"]

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
