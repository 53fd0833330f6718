import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils.html import escape

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # set by UserFactory


def _sign_in(client, username, password):
    """The password step of signing in (the e-mail first step only decides where to go: tests/accounts)."""
    return client.post(reverse("account_login"), {"login": username, "password": password}, REMOTE_ADDR="10.0.0.5")


def test_sign_in_shows_who_you_are_and_your_organisation(client, officer):
    response = _sign_in(client, officer.username, PASSWORD)
    assert response.status_code == 302
    body = client.get(reverse("core:home")).content.decode()
    assert escape(officer.get_full_name()) in body
    assert "Northshire County Council" in body
    assert "visiting officer" in body


def test_wrong_password_gives_a_clear_error(client, officer):
    response = _sign_in(client, officer.username, "wrong")
    assert response.status_code == 200
    assert "Enter a correct email address or username and password" in response.content.decode()


def test_failed_sign_ins_are_throttled_even_with_the_right_password_afterwards(client, officer, settings):
    # given the limit of failures for one username from one address
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, officer.username, "guess")
    # when the right password is then tried
    response = _sign_in(client, officer.username, PASSWORD)
    # then the account is locked for now and the user is not signed in
    assert response.status_code == 429
    assert "Your account is locked for now" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username=officer.username).failures_since_start >= settings.AXES_FAILURE_LIMIT


def test_the_email_address_counts_against_the_same_lock_as_the_username(client, officer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, officer.email.upper(), "guess")
    assert _sign_in(client, officer.username, PASSWORD).status_code == 429


def test_a_successful_sign_in_resets_the_failure_count(client, officer):
    _sign_in(client, officer.username, "guess")
    assert _sign_in(client, officer.username, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username=officer.username, failures_since_start__gt=0).exists()


def test_sign_out(client, officer):
    client.force_login(officer)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 302


def test_change_password(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-longer-passphrase-42",
            "new_password2": "a-much-longer-passphrase-42",
        },
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password("a-much-longer-passphrase-42")


def test_short_new_password_is_refused_with_a_reason(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": "short1", "new_password2": "short1"}
    )
    assert "This password is too short" in response.content.decode()


def test_there_is_no_self_registration(client):
    assert client.get("/register/").status_code == 404
    assert client.get("/accounts/signup/").status_code == 404
    assert client.get("/signup/").status_code == 404


def test_a_user_without_an_organisation_sees_no_clients(client, django_user_model):
    loner = django_user_model.objects.create_user(username="loner", password=PASSWORD)
    client.force_login(loner)
    assert client.get(reverse("referrals:client-list")).status_code == 403
    assert "not linked to an organisation" in client.get(reverse("core:home")).content.decode()
