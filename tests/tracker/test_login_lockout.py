"""Brute-force protection on the admin sign-in (django-axes): five failures for one username from
one address lock that pair out for 30 minutes with a page that says so; other people, and the
same person from elsewhere, still sign in; and a revoked API token stops working at once."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def sign_in(client, username, password, address="203.0.113.7"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


@pytest.fixture
def staff(db):
    User.objects.create_user("alice", password=PASSWORD, is_staff=True)
    User.objects.create_user("bob", password=PASSWORD, is_staff=True)


def test_five_failures_lock_the_username_from_that_address_for_30_minutes(client, staff):
    for attempt in range(1, 5):
        response = sign_in(client, "alice", f"wrong-{attempt}")
        assert response.status_code == 200, attempt  # the form again, with its error
        assert b"Please enter the correct username and password" in response.content
    fifth = sign_in(client, "alice", "wrong-5")
    assert fifth.status_code == 429
    page = fifth.content.decode()
    assert "Sign-in locked for 30 minutes" in page
    assert "5 failed sign-ins as <strong>alice</strong>" in page
    attempt = AccessAttempt.objects.get(username="alice", ip_address="203.0.113.7")
    assert attempt.failures_since_start == 5
    # Locked: even the right password is refused, and nobody is signed in.
    right = sign_in(client, "alice", PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_username_and_address(client, staff):
    for attempt in range(5):
        sign_in(client, "alice", f"wrong-{attempt}")
    assert sign_in(client, "alice", PASSWORD).status_code == 429
    # Another officer from the same address, and alice from another address, sign in.
    assert sign_in(client, "bob", PASSWORD).status_code == 302
    client.logout()
    assert sign_in(client, "alice", PASSWORD, address="198.51.100.20").status_code == 302


def test_the_lock_ends_after_30_minutes_and_success_resets_the_count(client, staff):
    for attempt in range(5):
        sign_in(client, "alice", f"wrong-{attempt}")
    # 29 minutes on: still locked. 31 minutes on: the attempts have expired.
    now = datetime.datetime.now(datetime.UTC)
    AccessAttempt.objects.update(attempt_time=now - datetime.timedelta(minutes=29))
    assert sign_in(client, "alice", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=now - datetime.timedelta(minutes=31))
    assert sign_in(client, "alice", PASSWORD).status_code == 302
    # Four failures, a success, four more: never locked (a success starts the count again).
    client.logout()
    for attempt in range(4):
        assert sign_in(client, "bob", f"wrong-{attempt}").status_code == 200
    assert sign_in(client, "bob", PASSWORD).status_code == 302
    client.logout()
    for attempt in range(4):
        assert sign_in(client, "bob", f"wrong-{attempt}").status_code == 200


def test_behind_a_proxy_the_forwarded_address_is_counted(client, staff, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    for attempt in range(5):
        client.post(
            "/admin/login/",
            {"username": "alice", "password": f"wrong-{attempt}"},
            REMOTE_ADDR="10.0.0.2",  # the load balancer
            HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9",  # forged first hop, real client
        )
    assert AccessAttempt.objects.get().ip_address == "203.0.113.9"


def test_a_revoked_api_token_is_refused_at_once(staff):
    alice = User.objects.get(username="alice")
    token = Token.objects.create(user=alice)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/economies/").status_code == 200
    call_command("revoke_api_tokens", "alice", stdout=open("/dev/null", "w"))  # noqa: SIM115
    refused = api.get("/api/v1/economies/")
    assert refused.status_code == 401
    assert refused.json()["detail"] == "Invalid token."
    assert not Token.objects.filter(user=alice).exists()


def test_the_secretariat_revokes_a_token_in_the_admin(admin_client, staff):
    bob = User.objects.get(username="bob")
    token = Token.objects.create(user=bob)
    # DRF's token admin addresses a token by its user.
    page = f"/admin/authtoken/tokenproxy/{bob.pk}/delete/"
    assert admin_client.get(page).status_code == 200
    response = admin_client.post(page, {"post": "yes"})
    assert response.status_code == 302
    assert not Token.objects.filter(key=token.key).exists()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/economies/").status_code == 401


def test_revoking_tokens_of_an_unknown_user_is_a_clear_error():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("revoke_api_tokens", "nobody")
