"""Two-factor with an authenticator app (TOTP) and recovery codes: who must, setting it up, signing in,
and a fresh code before approving a payment run. Codes come from pyotp, as an app computes them."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.urls import reverse

from accounts.models import SignInEvent
from accounts.services import sign_in_policy_set
from directpayments.models import PaymentRun
from partnerships.models import Role
from tests.sign_in import TEST_TOTP_SECRET, password_sign_in, totp_code, totp_set_up

from .conftest import PASSWORD, staff

pytestmark = pytest.mark.django_db
MORNING = datetime(2026, 11, 27, 9, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.mark.parametrize(
    "role, must",
    [
        (Role.FINANCE_APPROVER, True),
        (Role.FINANCE_OFFICER, True),
        (Role.ADMIN, True),
        (Role.VISITING_OFFICER, False),
        (Role.TEAM_MANAGER, False),
        (Role.BOARD_SECRETARY, False),
    ],
)
def test_finance_and_admin_roles_must_set_up_two_factor_and_others_may(plain_client, council, role, must):
    staff(council, role, username="person")
    response = password_sign_in(plain_client, "person", PASSWORD)
    if must:
        assert response.request["PATH_INFO"] == reverse("accounts:two-factor-required")
        assert "Set up two-factor authentication" in response.content.decode()
        # and every other page sends them back there until they do
        assert plain_client.get(reverse("referrals:client-list"))["Location"].startswith(
            reverse("accounts:two-factor-required")
        )
    else:
        assert response.request["PATH_INFO"] != reverse("accounts:two-factor-required")
        assert plain_client.get(reverse("referrals:client-list")).status_code == 200


def test_an_organisation_can_ask_everyone_for_two_factor(plain_client, council, council_admin):
    staff(council, Role.VISITING_OFFICER, username="olivia")
    sign_in_policy_set(organisation=council, two_factor_for_everyone=True, by=council_admin)
    response = password_sign_in(plain_client, "olivia", PASSWORD)
    assert response.request["PATH_INFO"] == reverse("accounts:two-factor-required")


# Transactional: allauth announces a new app after its transaction commits, inside the request, as in production.
@pytest.mark.django_db(transaction=True)
def test_setting_up_the_app_then_signing_in_with_its_code(plain_client, council):
    finance = staff(council, Role.FINANCE_OFFICER, username="fiona")
    password_sign_in(plain_client, "fiona", PASSWORD)
    # given the set-up page shows a key to type into an app
    page = plain_client.get(reverse("mfa_activate_totp")).content.decode()
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', page).group(1)
    # a wrong code is refused in plain words
    wrong = plain_client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert "Incorrect code" in wrong.content.decode()
    # when the app's code is entered
    done = plain_client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)}, follow=True)
    # then ten recovery codes are shown once and the finance pages open
    codes = re.findall(r"<li><code>([0-9a-z]+)</code></li>", done.content.decode())
    assert len(codes) == 10
    assert plain_client.get(reverse("directpayments:agreement-list")).status_code == 200
    assert Authenticator.objects.filter(user=finance).count() == 2  # the app and the recovery codes
    # and the next sign-in asks for the app's code after the password
    plain_client.post(reverse("logout"))
    response = password_sign_in(plain_client, "fiona", PASSWORD)
    assert response.request["PATH_INFO"] == reverse("mfa_authenticate")
    assert plain_client.get(reverse("directpayments:agreement-list")).status_code == 302  # not yet signed in
    bad = plain_client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert "Incorrect code" in bad.content.decode()
    with time_machine.travel(datetime.now(tz=ZoneInfo("UTC")) + timedelta(seconds=30), tick=False):
        good = plain_client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)}, follow=True)
        assert good.request["PATH_INFO"] == reverse("directpayments:finance-home")
    # and her organisation's administrators can see each step
    kinds = list(SignInEvent.objects.filter(user=finance).order_by("pk").values_list("kind", "method"))
    assert kinds == [
        ("signed_in", "password"),  # before the app was set up
        ("two_factor_set_up", "totp"),
        ("two_factor_set_up", "recovery_codes"),
        ("signed_out", ""),
        ("second_factor_failed", "totp"),
        ("second_factor", "totp"),
        ("signed_in", "password"),
    ]


def test_a_recovery_code_signs_in_once(plain_client, council):
    approver = staff(council, Role.FINANCE_APPROVER, username="adam")
    codes = totp_set_up(approver)
    password_sign_in(plain_client, "adam", PASSWORD)
    first = plain_client.post(reverse("mfa_authenticate"), {"code": codes[0]}, follow=True)
    assert first.request["PATH_INFO"] == reverse("directpayments:finance-home")
    assert SignInEvent.objects.filter(user=approver, kind="second_factor", method="recovery_codes").count() == 1
    plain_client.post(reverse("logout"))
    password_sign_in(plain_client, "adam", PASSWORD)
    again = plain_client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert again.status_code == 200
    assert "Incorrect code" in again.content.decode()
    security = plain_client.post(reverse("mfa_authenticate"), {"code": codes[1]}, follow=True)
    assert security.request["PATH_INFO"] == reverse("directpayments:finance-home")
    assert (
        'data-testid="recovery-codes-left">8 of 10'
        in plain_client.get(reverse("mfa_view_recovery_codes")).content.decode()
    )


def test_someone_who_must_use_two_factor_cannot_turn_off_their_only_app(client, council):
    approver = staff(council, Role.FINANCE_APPROVER)
    totp_set_up(approver)
    client.force_login(approver)
    response = client.post(reverse("mfa_deactivate_totp"), follow=True)
    assert Authenticator.objects.filter(user=approver, type="totp").exists()
    assert response.status_code == 200
    officer = staff(council, Role.VISITING_OFFICER)
    totp_set_up(officer)
    client.force_login(officer)
    client.post(reverse("mfa_deactivate_totp"))
    assert not Authenticator.objects.filter(user=officer, type="totp").exists()


def test_approving_a_payment_run_needs_a_code_from_the_last_15_minutes(plain_client, council, submitted_runs):
    april, may = submitted_runs
    approver = staff(council, Role.FINANCE_APPROVER, username="adam")
    totp_set_up(approver)
    approve = reverse("directpayments:run-action", args=[april.pk, "approve"])
    # given the approver signed in with the app's code at 9:00
    with time_machine.travel(MORNING, tick=False):
        password_sign_in(plain_client, "adam", PASSWORD, totp_secret=TEST_TOTP_SECRET)
    # when she approves April at 9:15, the code is recent enough
    with time_machine.travel(MORNING + timedelta(minutes=15), tick=False):
        assert plain_client.post(approve)["Location"] == april.get_absolute_url()
    april.refresh_from_db()
    assert april.status == PaymentRun.Status.APPROVED
    # when she approves May at 9:16, she is asked for a new code first, and the approval waits
    approve_may = reverse("directpayments:run-action", args=[may.pk, "approve"])
    with time_machine.travel(MORNING + timedelta(minutes=16), tick=False):
        asked = plain_client.post(approve_may)
        assert asked["Location"] == f"{reverse('mfa_reauthenticate')}?next={approve_may.replace('/', '%2F')}"
        may.refresh_from_db()
        assert may.status == PaymentRun.Status.SUBMITTED
        page = plain_client.get(asked["Location"])
        assert "Confirm it is you" in page.content.decode()
    # then the code she enters carries the approval out
    with time_machine.travel(MORNING + timedelta(minutes=17), tick=False):
        done = plain_client.post(
            asked["Location"], {"code": totp_code(at=MORNING + timedelta(minutes=17)), "next": approve_may}
        )
        assert done["Location"] == may.get_absolute_url()
    may.refresh_from_db()
    assert may.status == PaymentRun.Status.APPROVED
    assert SignInEvent.objects.filter(user=approver, kind="second_factor", detail="To confirm an action").count() == 1


def test_an_approver_with_no_app_is_sent_to_set_one_up_before_approving(client, council, submitted_runs):
    approver = staff(council, Role.FINANCE_APPROVER)
    with time_machine.travel(MORNING, tick=False):
        client.force_login(approver)  # as if signed in with a second factor at 9:00 (tests/sign_in.py)
    with time_machine.travel(MORNING + timedelta(minutes=20), tick=False):
        response = client.post(
            reverse("directpayments:run-action", args=[submitted_runs[0].pk, "approve"]),
            HTTP_REFERER=f"http://testserver{submitted_runs[0].get_absolute_url()}",
        )
    assert response["Location"].startswith(reverse("accounts:two-factor-required"))
    submitted_runs[0].refresh_from_db()
    assert submitted_runs[0].status == PaymentRun.Status.SUBMITTED
