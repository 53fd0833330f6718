"""Sessions: 30 minutes idle, 12 hours at most, sign out everywhere, a closed account refused at once,
and accounts unused for 90 days closed overnight."""

import html
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import SignInEvent
from accounts.services import inactive_accounts_deactivate
from partnerships.models import Role
from tests.sign_in import password_sign_in

from .conftest import PASSWORD, staff

pytestmark = pytest.mark.django_db
NINE = datetime(2026, 11, 27, 9, 0, tzinfo=ZoneInfo("Europe/London"))
HOME = reverse("referrals:client-list")


def _signed_in(client) -> bool:
    return client.get(HOME).status_code == 200


@pytest.fixture
def officer_signed_in_at_nine(plain_client, council):
    staff(council, Role.VISITING_OFFICER, username="olivia")
    with time_machine.travel(NINE, tick=False):
        password_sign_in(plain_client, "olivia", PASSWORD)
    return plain_client


def test_a_session_ends_after_30_minutes_without_use(officer_signed_in_at_nine):
    client = officer_signed_in_at_nine
    # used at 9:29 (29 minutes idle): still signed in
    with time_machine.travel(NINE + timedelta(minutes=29), tick=False):
        assert _signed_in(client)
    # next used at 10:00, 31 minutes after 9:29: signed out, told why, and sent back here after signing in
    with time_machine.travel(NINE + timedelta(minutes=60), tick=False):
        response = client.get(HOME)
    assert response["Location"] == f"{reverse('login')}?next=%2Fclients%2F"
    page = html.unescape(client.get(response["Location"]).content.decode())
    assert "You were signed out because you had not used JointCase for 30 minutes" in page
    assert SignInEvent.objects.filter(kind="session_expired", detail="Idle for too long").count() == 1


def test_a_session_ends_12_hours_after_signing_in_however_busy(officer_signed_in_at_nine):
    client = officer_signed_in_at_nine
    # a request every 20 minutes keeps it alive until 21:00
    for minutes in range(20, 12 * 60 + 1, 20):
        with time_machine.travel(NINE + timedelta(minutes=minutes), tick=False):
            assert _signed_in(client), minutes
    # and the first request after 21:00 finds it ended
    with time_machine.travel(NINE + timedelta(hours=12, minutes=10), tick=False):
        assert client.get(HOME).status_code == 302
    assert SignInEvent.objects.filter(kind="session_expired", detail="Signed in for too long").count() == 1


def test_the_limits_are_settings(officer_signed_in_at_nine, settings):
    settings.ACCOUNTS_SESSION_IDLE_MINUTES = 5
    with time_machine.travel(NINE + timedelta(minutes=6), tick=False):
        assert not _signed_in(officer_signed_in_at_nine)


def test_sign_out_everywhere_ends_every_session_of_that_person_only(plain_client, council):
    # given Olivia signed in on two browsers, and a colleague signed in too
    staff(council, Role.VISITING_OFFICER, username="olivia")
    staff(council, Role.VISITING_OFFICER, username="colleague")
    laptop, phone, colleague = plain_client, type(plain_client)(), type(plain_client)()
    for client, username in ((laptop, "olivia"), (phone, "olivia"), (colleague, "colleague")):
        password_sign_in(client, username, PASSWORD)
        assert _signed_in(client)
    # when she signs out everywhere from her laptop
    page = laptop.get(reverse("accounts:security")).content.decode()
    assert page.count('class="govuk-table__row"') == 3  # header and her two sessions
    response = laptop.post(reverse("accounts:sign-out-everywhere"), follow=True)
    # then both her browsers are signed out, and her colleague is not
    assert "You have been signed out everywhere" in response.content.decode()
    assert not _signed_in(laptop)
    assert not _signed_in(phone)
    assert _signed_in(colleague)
    event = SignInEvent.objects.get(kind="signed_out_everywhere")
    assert event.detail == "1 other session ended"


def test_a_closed_account_is_refused_at_once_even_with_a_live_session(plain_client, client, council, council_admin):
    # given Olivia is signed in
    olivia = staff(council, Role.VISITING_OFFICER, username="olivia")
    password_sign_in(plain_client, "olivia", PASSWORD)
    assert _signed_in(plain_client)
    # when an administrator closes her account from the people page
    client.force_login(council_admin)
    client.post(reverse("accounts:person-close", args=[olivia.pk]))
    # then her very next request is refused, and she cannot sign in again
    assert plain_client.get(HOME)["Location"].startswith(reverse("login"))
    again = password_sign_in(plain_client, "olivia", PASSWORD)
    assert "Your account is closed" in again.content.decode()
    assert not _signed_in(plain_client)
    # and reopening lets her in again
    client.post(reverse("accounts:person-close", args=[olivia.pk]))
    password_sign_in(plain_client, "olivia", PASSWORD)
    assert _signed_in(plain_client)


def test_accounts_unused_for_90_days_are_closed_overnight(council):
    User = get_user_model()
    used_89_days_ago = staff(council, Role.VISITING_OFFICER, last_login=NINE - timedelta(days=89))
    used_91_days_ago = staff(council, Role.VISITING_OFFICER, last_login=NINE - timedelta(days=91))
    never_used_made_91_days_ago = staff(council, Role.VISITING_OFFICER, date_joined=NINE - timedelta(days=91))
    never_used_made_today = staff(council, Role.VISITING_OFFICER, date_joined=NINE)
    superuser = staff(council, Role.ADMIN, last_login=NINE - timedelta(days=400), is_superuser=True)
    User.objects.filter(pk=never_used_made_91_days_ago.pk).update(last_login=None)
    User.objects.filter(pk=never_used_made_today.pk).update(last_login=None)
    with time_machine.travel(NINE, tick=False):
        assert inactive_accounts_deactivate() == 2
        assert inactive_accounts_deactivate() == 0  # running twice closes nothing more
    active = set(User.objects.filter(is_active=True).values_list("pk", flat=True))
    assert {used_89_days_ago.pk, never_used_made_today.pk, superuser.pk} <= active
    assert not {used_91_days_ago.pk, never_used_made_91_days_ago.pk} & active
    assert set(SignInEvent.objects.filter(kind="deactivated").values_list("detail", flat=True)) == {
        "Not signed in for 90 days"
    }
