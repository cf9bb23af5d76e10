"""Email notices: who hears of what (per persona, against a second economy), once each,
surviving a mail server that fails, and turned off by the user on their own profile.

Over 400 lines: one test a persona and event, against a second economy each time, sharing the
outbox fixtures below."""

import datetime
import io
import json
import smtplib
import subprocess
import sys

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.core.management.base import CommandError

from instruments.models import Commitment
from tests.factories import make_commitment, make_instrument, make_report
from tests.tracker.test_settings import ROOT, start_django
from tracker import notices, services
from tracker.models import (
    Notice,
    NoticePreference,
    NoticeState,
    Origin,
    ReportingRound,
    ReviewState,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://tracker.example.org"
    settings.DEFAULT_FROM_EMAIL = "tracker@example.org"


@pytest.fixture
def people(officer_jpn, officer_sgp, reviewer, second_reviewer, editor):
    for user in (officer_jpn, officer_sgp, reviewer, second_reviewer, editor):
        user.email = f"{user.username}@example.org"
        user.save()
    return {u.username: u for u in (officer_jpn, officer_sgp, reviewer, second_reviewer, editor)}


def draft(officer, economy, commitment):
    return services.report_create(
        user=officer,
        economy=economy,
        commitment=commitment,
        status="partial",
        effective_date=datetime.date(2025, 6, 1),
        evidence="A law was passed.",
    )


def send() -> list:
    mail.outbox = []
    call_command("send_notifications", stdout=io.StringIO())
    return list(mail.outbox)


def by_recipient(messages) -> dict:
    return {m.to[0]: m for m in messages}


def test_submitted_report_goes_to_reviewers_only(people, jpn, commitment):
    report = draft(people["officer_jpn"], jpn, commitment)
    services.report_submit(report=report, user=people["officer_jpn"])
    sent = by_recipient(send())
    assert set(sent) == {"reviewer@example.org", "second_reviewer@example.org"}
    message = sent["reviewer@example.org"]
    assert message.subject == (f"[Soft-Law Tracker] To review: Japan, {commitment.code}")
    assert f"Japan, {commitment.code} (Commitment {commitment.code}): Partially implemented" in (
        message.body
    )
    assert (
        f"https://tracker.example.org/admin/tracker/statusreport/{report.pk}/change/"
        in message.body
    )
    assert "https://tracker.example.org/account/notices/" in message.body
    assert message.from_email == "tracker@example.org"
    assert message.content_subtype == "plain"


def test_reviewer_who_wrote_a_report_is_not_asked_to_review_it(
    officer_reviewer, reviewer, jpn, commitment
):
    for user in (officer_reviewer, reviewer):
        user.email = f"{user.username}@example.org"
        user.save()
    report = draft(officer_reviewer, jpn, commitment)
    services.report_submit(report=report, user=officer_reviewer)
    assert [m.to for m in send()] == [["reviewer@example.org"]]


def test_returned_report_goes_to_its_officer_with_the_note(people, jpn, commitment):
    report = draft(people["officer_jpn"], jpn, commitment)
    services.report_submit(report=report, user=people["officer_jpn"])
    send()
    services.report_return(report=report, reviewer=people["reviewer"], note="Cite the law.")
    (message,) = send()
    assert message.to == ["officer_jpn@example.org"]
    assert message.subject == f"[Soft-Law Tracker] Returned: Japan, {commitment.code}"
    assert "The reviewer's note:\n\n  Cite the law." in message.body
    assert f"/admin/tracker/statusreport/{report.pk}/change/" in message.body


def test_published_report_goes_to_its_officer(people, jpn, commitment):
    report = draft(people["officer_jpn"], jpn, commitment)
    services.report_submit(report=report, user=people["officer_jpn"])
    services.report_publish(report=report, reviewer=people["reviewer"])
    sent = by_recipient(send())
    assert sent["officer_jpn@example.org"].subject == (
        f"[Soft-Law Tracker] Published: Japan, {commitment.code}"
    )
    # The officer of the other economy hears nothing of Japan's reports.
    assert "officer_sgp@example.org" not in sent
    assert "editor@example.org" not in sent


def test_resubmission_after_a_return_is_a_new_notice(people, jpn, commitment):
    report = draft(people["officer_jpn"], jpn, commitment)
    services.report_submit(report=report, user=people["officer_jpn"])
    services.report_return(report=report, reviewer=people["reviewer"], note="Cite the law.")
    services.report_update(
        report=report, user=people["officer_jpn"], expected_version=report.version, evidence="Law"
    )
    services.report_submit(report=report, user=people["officer_jpn"])
    subjects = [m.subject for m in send() if m.to == ["second_reviewer@example.org"]]
    assert len(subjects) == 2


def test_bulk_publish_tells_each_officer(people, jpn, sgp, commitment):
    reports = [draft(people["officer_jpn"], jpn, commitment)]
    reports.append(draft(people["officer_sgp"], sgp, commitment))
    services.report_submit(report=reports[0], user=people["officer_jpn"])
    services.report_submit(report=reports[1], user=people["officer_sgp"])
    send()
    services.reports_publish(reports=reports, reviewer=people["reviewer"])
    sent = by_recipient(send())
    assert set(sent) == {"officer_jpn@example.org", "officer_sgp@example.org"}
    assert "Singapore" in sent["officer_sgp@example.org"].subject


def test_a_notice_is_never_sent_twice(people, jpn, commitment):
    report = draft(people["officer_jpn"], jpn, commitment)
    services.report_submit(report=report, user=people["officer_jpn"])
    assert len(send()) == 2
    out = io.StringIO()
    call_command("send_notifications", stdout=out)
    assert out.getvalue().strip() == (
        "0 round notice(s) recorded; 0 sent, 0 skipped (notices turned off), 0 failed, 0 waiting."
    )
    # Recording the same event again records nothing.
    assert notices.report_submitted(report=report) == 0
    assert Notice.objects.count() == 2
    assert set(Notice.objects.values_list("state", flat=True)) == {NoticeState.SENT}


class FailingBackend(EmailBackend):
    """A mail server that is down."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_a_failed_mail_server_loses_and_duplicates_nothing(settings, people, jpn, commitment):
    report = draft(people["officer_jpn"], jpn, commitment)
    services.report_submit(report=report, user=people["officer_jpn"])
    settings.EMAIL_BACKEND = "tests.tracker.test_notices.FailingBackend"
    mail.outbox = []
    with pytest.raises(CommandError, match="retried on the next run"):
        call_command("send_notifications", stdout=io.StringIO())
    assert mail.outbox == []
    # The run stopped at the first failure: both notices wait, one with its error.
    waiting = Notice.objects.filter(state=NoticeState.PENDING)
    assert waiting.count() == 2
    assert sorted(waiting.values_list("attempts", flat=True)) == [0, 1]
    assert "SMTPServerDisconnected" in waiting.get(attempts=1).last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert {m.to[0] for m in send()} == {"reviewer@example.org", "second_reviewer@example.org"}
    assert send() == []


def test_user_turns_notices_off_on_their_own_profile(client, people, jpn, commitment):
    officer = people["officer_jpn"]
    client.force_login(officer)
    response = client.get("/account/notices/")
    assert response.status_code == 200
    assert b"Email me notices" in response.content
    assert b"officer_jpn@example.org" in response.content
    response = client.post("/account/notices/", {})  # the box unticked
    assert response.status_code == 302
    assert NoticePreference.objects.get(user=officer).email_notices is False
    report = draft(officer, jpn, commitment)
    services.report_submit(report=report, user=officer)
    services.report_publish(report=report, reviewer=people["reviewer"])
    assert "officer_jpn@example.org" not in by_recipient(send())
    client.post("/account/notices/", {"email_notices": "on"})
    assert NoticePreference.objects.get(user=officer).email_notices is True


def test_notices_turned_off_after_recording_are_skipped(people, jpn, commitment):
    report = draft(people["officer_jpn"], jpn, commitment)
    services.report_submit(report=report, user=people["officer_jpn"])
    NoticePreference.objects.create(user=people["reviewer"], email_notices=False)
    assert [m.to for m in send()] == [["second_reviewer@example.org"]]
    assert Notice.objects.get(recipient=people["reviewer"]).state == NoticeState.SKIPPED


def import_rows(commitment, *, user, reviewer=None, publish=True, rows=("JPN", "SGP")):
    from tracker import importing

    data = "economy,commitment,status,effective_date,evidence,source_url\n" + "".join(
        f"{code},{commitment.code},implemented,2024-01-01,Law in force.,https://example.org/\n"
        for code in rows
    )
    return importing.import_reports(
        data.encode(), filename="rows.csv", user=user, reviewer=reviewer, publish=publish
    )


def test_an_import_sent_for_review_is_one_notice_to_the_other_reviewers(
    people, jpn, sgp, commitment
):
    import_rows(commitment, user=people["reviewer"])
    messages = send()
    assert [m.to for m in messages] == [["second_reviewer@example.org"]]
    (message,) = messages
    assert message.subject.endswith("To review: 2 imported report(s)")
    assert "(Japan, Singapore)" in message.body
    assert "https://tracker.example.org/admin/queue/" in message.body


def test_an_import_published_by_two_reviewers_tells_each_economys_officers_once(
    people, jpn, sgp, commitment
):
    import_rows(commitment, user=people["reviewer"], reviewer=people["second_reviewer"])
    messages = by_recipient(send())
    assert set(messages) == {"officer_jpn@example.org", "officer_sgp@example.org"}
    japan = messages["officer_jpn@example.org"]
    assert japan.subject.endswith("Published: 1 report(s) on Japan")
    assert f"Japan, {commitment.code}" in japan.body and "Singapore" not in japan.body
    assert send() == []  # never twice


def test_an_officers_imported_drafts_tell_no_one(people, jpn, commitment):
    import_rows(commitment, user=people["officer_jpn"], publish=False, rows=("JPN",))
    assert send() == []


def test_every_admin_page_links_to_the_users_own_notice_settings(client, people):
    client.force_login(people["officer_jpn"])
    for path in ("/admin/workspace/", "/admin/tracker/statusreport/", "/account/notices/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert b'<a href="/account/notices/">Email notices</a>' in response.content, path


def test_profile_page_needs_a_sign_in(client):
    response = client.get("/account/notices/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


# --- reporting rounds ---------------------------------------------------------------------------


@pytest.fixture
def round_2027(people, jpn, sgp):
    """Two commitments, opening 1 March 2027, deadline 31 March 2027. Singapore has answered
    both; Japan one of them."""
    instrument = make_instrument("AIDER")
    one = make_commitment(instrument, "AIDER-1", order=1)
    two = make_commitment(instrument, "AIDER-2", order=2)
    make_commitment(instrument, "AIDER-SYS", order=3, scope=Commitment.Scope.COLLECTIVE)
    round = ReportingRound.objects.create(
        name="AIDER 2027", slug="aider-2027", opens_on="2027-03-01", deadline="2027-03-31"
    )
    round.instruments.add(instrument)
    submitted = datetime.datetime(2027, 3, 2, tzinfo=datetime.UTC)
    published = datetime.datetime(2027, 3, 3, tzinfo=datetime.UTC)
    for economy, commitment in ((sgp, one), (sgp, two), (jpn, one)):
        make_report(
            economy,
            commitment,
            "partial",
            "2025-01-01",
            submitted_at=submitted,
            published_at=published,
            origin=Origin.SELF_REPORTED,
        )
    return round


def run_on(day: str) -> list:
    mail.outbox = []
    call_command("send_notifications", f"--today={day}", stdout=io.StringIO())
    return list(mail.outbox)


def test_round_opened_goes_to_officers_with_unanswered_commitments(round_2027):
    (message,) = run_on("2027-03-05")
    assert message.to == ["officer_jpn@example.org"]
    assert message.subject == "[Soft-Law Tracker] Reporting round open: AIDER 2027 (Japan)"
    assert "Japan has not answered 1 of the 2 commitments it asks:" in message.body
    assert "  - AIDER-2: Commitment AIDER-2" in message.body
    assert "AIDER-1:" not in message.body
    assert "https://tracker.example.org/rounds/aider-2027/" in message.body
    assert "https://tracker.example.org/admin/" in message.body
    # Not again on the next days.
    assert run_on("2027-03-06") == []


def test_round_reminder_a_week_before_the_deadline(round_2027):
    run_on("2027-03-05")
    (message,) = run_on("2027-03-24")
    assert message.to == ["officer_jpn@example.org"]
    assert message.subject == "[Soft-Law Tracker] Deadline in a week: AIDER 2027 (Japan)"
    assert run_on("2027-03-25") == []


def test_round_missed_after_the_deadline(round_2027):
    run_on("2027-03-05")
    run_on("2027-03-24")
    (message,) = run_on("2027-04-01")
    assert message.subject == "[Soft-Law Tracker] Deadline missed: AIDER 2027 (Japan)"
    assert "closed on 31 March 2027" in message.body
    assert run_on("2027-04-02") == []
    # A round missed long ago is not announced.
    Notice.objects.all().delete()
    assert run_on("2027-05-01") == []


def test_round_notices_follow_the_grace_period(round_2027):
    round_2027.grace_until = datetime.date(2027, 4, 10)
    round_2027.save()
    subjects = [m.subject for m in run_on("2027-04-05")]
    assert subjects == ["[Soft-Law Tracker] Reporting round open: AIDER 2027 (Japan)"]
    assert [m.subject for m in run_on("2027-04-11")] == [
        "[Soft-Law Tracker] Deadline missed: AIDER 2027 (Japan)"
    ]


def test_no_round_notice_before_the_opening(round_2027):
    assert run_on("2027-02-28") == []


# --- settings -----------------------------------------------------------------------------------


def email_settings(**env) -> dict:
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k, None) for k in ['EMAIL_BACKEND', 'EMAIL_HOST', "
        "'EMAIL_PORT', 'EMAIL_HOST_USER', 'EMAIL_HOST_PASSWORD', 'EMAIL_USE_TLS', "
        "'DEFAULT_FROM_EMAIL', 'SITE_URL']}))"
    )
    environment = {"DJANGO_SETTINGS_MODULE": "softlaw.settings", "PATH": "/usr/bin:/bin", **env}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_email_url_sets_the_mail_server():
    values = email_settings(
        EMAIL_URL="submission://mailer:s3cret@mail.example.org:587",
        DEFAULT_FROM_EMAIL="tracker@example.org",
        SITE_URL="https://tracker.example.org/",
    )
    assert values == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "mailer",
        "EMAIL_HOST_PASSWORD": "s3cret",
        "EMAIL_USE_TLS": True,
        "DEFAULT_FROM_EMAIL": "tracker@example.org",
        "SITE_URL": "https://tracker.example.org",
    }


def test_email_host_variables_set_the_mail_server():
    values = email_settings(EMAIL_HOST="smtp.example.org", EMAIL_PORT="2525", EMAIL_USE_TLS="false")
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (values["EMAIL_HOST"], values["EMAIL_PORT"], values["EMAIL_USE_TLS"]) == (
        "smtp.example.org",
        2525,
        False,
    )


def test_local_runs_print_mail_to_the_console():
    values = email_settings(DEBUG="true")
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


@pytest.mark.parametrize(
    ("name", "value"),
    [("EMAIL_URL", "carrier-pigeon://x"), ("EMAIL_PORT", "smtp"), ("SITE_URL", "tracker.org")],
)
def test_bad_email_setting_stops_start_up(name, value):
    env = {name: value}
    if name == "EMAIL_PORT":
        env["EMAIL_HOST"] = "smtp.example.org"
    result = start_django(**env)
    assert result.returncode != 0
    assert name in result.stderr


def test_returned_report_notice_is_recorded_with_the_return(people, jpn, commitment):
    report = draft(people["officer_jpn"], jpn, commitment)
    services.report_submit(report=report, user=people["officer_jpn"])
    services.report_return(report=report, reviewer=people["reviewer"], note="Why?")
    assert report.review_state == ReviewState.RETURNED
    assert Notice.objects.filter(event__endswith=f":returned:{report.version}").count() == 1


@pytest.mark.parametrize("persona", ["officer_jpn", "reviewer", "editor"])
def test_only_superusers_read_the_outbox(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/admin/tracker/notice/").status_code == 403
    assert client.get("/admin/tracker/noticepreference/").status_code == 403


def test_superuser_reads_the_outbox(admin_client, people, jpn, commitment):
    report = draft(people["officer_jpn"], jpn, commitment)
    services.report_submit(report=report, user=people["officer_jpn"])
    html = admin_client.get("/admin/tracker/notice/").content.decode()
    assert f"report:{report.pk}:submitted:{report.version}" in html
    assert admin_client.post("/admin/tracker/notice/add/", {}).status_code == 403
