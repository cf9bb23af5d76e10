"""A signed-in user's own profile page: whether to receive email notices."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from tracker.models import NoticePreference


class NoticePreferenceForm(forms.ModelForm):
    class Meta:
        model = NoticePreference
        fields = ["email_notices"]


@login_required(login_url="admin:login")
def notice_settings(request: HttpRequest) -> HttpResponse:
    """Only the user's own choice: there is no user in the address to change."""
    preference = NoticePreference.objects.filter(user=request.user).first() or NoticePreference(
        user=request.user
    )
    form = NoticePreferenceForm(
        request.POST if request.method == "POST" else None, instance=preference
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request,
            "Email notices are on." if preference.email_notices else "Email notices are off.",
        )
        return redirect("notice_settings")
    return render(
        request,
        "admin/notice_settings.html",
        {**admin.site.each_context(request), "form": form, "title": "Email notices"},
    )
