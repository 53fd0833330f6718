"""Single sign-on through an organisation's own OpenID Connect provider (a real one, on 127.0.0.1)."""

import html
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from allauth.socialaccount.models import SocialAccount, SocialToken
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import EmailDomain, SignInEvent
from accounts.services import identity_provider_save
from accounts.tasks import accounts_review_task
from core.models import Notification
from directpayments.models import PaymentRun
from partnerships.models import Role, StaffMembership

from .conftest import PASSWORD, sso_sign_in, staff

pytestmark = pytest.mark.django_db

User = get_user_model()
MORNING = datetime(2026, 11, 27, 9, 0, tzinfo=ZoneInfo("Europe/London"))


def test_first_sign_in_makes_an_account_in_the_organisation_with_no_role_and_tells_its_managers(
    plain_client, council, council_sso, oidc_provider
):
    # given a team manager at the council (and an officer, who is not told)
    manager = staff(council, Role.TEAM_MANAGER, first_name="Manoj", last_name="Mistry")
    staff(council, Role.VISITING_OFFICER)
    # when a new starter signs in for the first time at the council's provider
    response = sso_sign_in(
        plain_client, oidc_provider, "nia.hughes@northshire.gov.uk", given_name="Nia", family_name="Hughes"
    )
    # then they are signed in, in the council, with no team and no role, so they see no clients
    assert response.status_code == 200
    nia = User.objects.get(email="nia.hughes@northshire.gov.uk")
    assert (nia.first_name, nia.last_name, nia.has_usable_password()) == ("Nia", "Hughes", False)
    membership = StaffMembership.objects.get(user=nia)
    assert (membership.organisation, membership.team, list(nia.groups.all())) == (council, None, [])
    assert response.wsgi_request.user == nia
    assert plain_client.get(reverse("referrals:client-list")).status_code == 403
    # and the council's administrator and team manager are told, with a link to give access
    told = Notification.objects.filter(title="Nia Hughes signed in for the first time and needs a role")
    assert {n.recipient for n in told} == {manager, council_sso.updated_by}
    assert told.first().url == reverse("accounts:person-access", args=[nia.pk])
    kinds = list(SignInEvent.objects.filter(user=nia).order_by("pk").values_list("kind", "method"))
    assert kinds == [("sso_account_created", "sso"), ("signed_in", "sso")]


def test_a_second_sign_in_comes_back_to_the_same_account(plain_client, council, council_sso, oidc_provider):
    sso_sign_in(plain_client, oidc_provider, "sam@northshire.gov.uk", sub="sam-1")
    plain_client.post(reverse("logout"))
    sso_sign_in(plain_client, oidc_provider, "sam@northshire.gov.uk", sub="sam-1")
    assert User.objects.filter(email="sam@northshire.gov.uk").count() == 1
    assert SocialAccount.objects.get(uid="sam-1").provider == council_sso.provider_id


def test_an_existing_account_with_the_same_work_address_is_linked_not_duplicated(
    plain_client, council, council_sso, oidc_provider
):
    # given Olivia already has a local account at the council with her roles
    olivia = staff(council, Role.VISITING_OFFICER, username="olivia", email="olivia.okafor@northshire.gov.uk")
    # when she signs in through the council's provider
    response = sso_sign_in(plain_client, oidc_provider, "Olivia.Okafor@northshire.gov.uk", sub="oo-77")
    # then it is her own account, roles and all
    assert response.wsgi_request.user == olivia
    assert plain_client.get(reverse("referrals:client-list")).status_code == 200
    assert SocialAccount.objects.get(uid="oo-77").user == olivia


def test_the_sign_in_page_sends_a_work_address_to_the_organisations_provider_and_anyone_else_to_a_password(
    plain_client, council, council_sso, oidc_provider
):
    to_provider = plain_client.post("/sign-in/", {"identifier": "Someone@Northshire.gov.uk"})
    assert to_provider["Location"].startswith(f"{oidc_provider.url}/oauth2/authorize?")
    assert "login_hint=Someone%40Northshire.gov.uk" in to_provider["Location"]
    assert "code_challenge=" in to_provider["Location"]  # PKCE
    to_password = plain_client.post("/sign-in/", {"identifier": "someone@age-uk.org.uk"})
    assert to_password["Location"] == reverse("account_login")


def test_someone_at_a_single_sign_on_domain_cannot_use_a_jointcase_password(plain_client, council, council_sso):
    staff(council, Role.VISITING_OFFICER, username="pat", email="pat@northshire.gov.uk")
    response = plain_client.post("/sign-in/password/", {"login": "pat", "password": PASSWORD}, follow=True)
    assert response.wsgi_request.user.is_anonymous
    assert "uses single sign-on" in response.content.decode()


def test_a_provider_cannot_vouch_for_another_organisations_domain(
    plain_client, council, council_sso, council_admin, oidc_provider, nhs_trust
):
    # given the NHS trust claimed nhs.net for its own sign-in
    nhs_admin = staff(nhs_trust, Role.ADMIN)
    identity_provider_save(
        organisation=nhs_trust,
        issuer_url="https://login.nhs.example/",
        client_id="trust",
        client_secret="trust-secret",
        domains=["nhs.net"],
        is_enabled=True,
        by=nhs_admin,
    )
    # when the council's provider says the person is someone@nhs.net (typed at the council's domain)
    oidc_provider.user_set("x-1", email="someone@nhs.net")
    start = plain_client.post("/sign-in/", {"identifier": "someone@northshire.gov.uk"})
    response = plain_client.get(oidc_provider.sign_in(start["Location"], "x-1"))
    # then no account is made and nobody is signed in; the council's admins see why
    assert response.status_code == 403
    assert "not one of Northshire County Council's e-mail domains" in html.unescape(response.content.decode())
    assert not User.objects.filter(email="someone@nhs.net").exists()
    assert plain_client.get(reverse("core:home")).status_code == 302
    event = SignInEvent.objects.get(kind=SignInEvent.Kind.SSO_REFUSED)
    assert (event.organisation, event.identifier) == (council_sso.organisation, "someone@nhs.net")


def test_a_domain_cannot_be_claimed_by_two_organisations(council, council_sso, nhs_trust):
    nhs_admin = staff(nhs_trust, Role.ADMIN)
    with pytest.raises(ValidationError, match=r"northshire\.gov\.uk is already used for sign-in by Northshire County"):
        identity_provider_save(
            organisation=nhs_trust,
            issuer_url="https://login.nhs.example/",
            client_id="trust",
            client_secret="s",
            domains=["nhs.net", "NORTHSHIRE.gov.uk"],
            is_enabled=True,
            by=nhs_admin,
        )
    # and the database refuses it even past the service (in any letter case)
    with pytest.raises(IntegrityError), transaction.atomic():
        EmailDomain.objects.create(organisation=nhs_trust, domain="northshire.gov.uk")
    assert list(EmailDomain.objects.values_list("domain", "organisation")) == [
        ("northshire.gov.uk", council_sso.organisation_id)
    ]


@pytest.mark.parametrize(
    "claims, counts",
    [
        ({"amr": ["pwd", "mfa"]}, True),
        ({"amr": ["pwd", "otp"]}, True),
        ({"amr": ["pwd"]}, False),
        ({}, False),
    ],
)
def test_the_providers_amr_says_whether_single_sign_on_counted_as_two_factor(
    plain_client, council, council_sso, council_admin, oidc_provider, claims, counts
):
    # given a finance officer of the council who signs in through its provider
    email = "fiona@northshire.gov.uk"
    finance = staff(council, Role.FINANCE_OFFICER, email=email, username="fiona")
    # when she signs in and the provider's token says how
    sso_sign_in(plain_client, oidc_provider, email, sub="fiona-1", **claims)
    response = plain_client.get(reverse("directpayments:agreement-list"))
    # then a second factor at the provider lets her straight in; a password alone sends her to set one up
    if counts:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:two-factor-required"))
    event = SignInEvent.objects.filter(user=finance, kind="signed_in").get()
    assert event.detail == ("Two-factor at the organisation's provider" if counts else "Password only at the provider")


def test_an_acr_value_the_organisation_named_counts_as_two_factor(
    plain_client, council, council_sso, council_admin, oidc_provider
):
    council_sso.mfa_acr_values = "urn:nhs:aal3"
    council_sso.save()
    staff(council, Role.FINANCE_OFFICER, email="fin@northshire.gov.uk")
    sso_sign_in(plain_client, oidc_provider, "fin@northshire.gov.uk", acr="urn:nhs:aal3")
    assert plain_client.get(reverse("directpayments:agreement-list")).status_code == 200


def test_someone_the_provider_has_disabled_is_closed_overnight_and_their_session_ends(
    plain_client, council, council_sso, oidc_provider
):
    # given two people signed in through the council's provider; it keeps their refresh tokens
    sso_sign_in(plain_client, oidc_provider, "leaver@northshire.gov.uk", sub="leaver")
    stayer_client = type(plain_client)()
    sso_sign_in(stayer_client, oidc_provider, "stayer@northshire.gov.uk", sub="stayer")
    assert SocialToken.objects.exclude(token_secret="").count() == 2
    # when the provider disables the leaver, and the nightly review runs
    oidc_provider.user_disable("leaver")
    result = accounts_review_task.delay().get()
    # then only the leaver's account is closed, and the session they still had is refused at once
    assert result == {"checked": 2, "refused": 1, "inactive": 0}
    assert not User.objects.get(email="leaver@northshire.gov.uk").is_active
    assert User.objects.get(email="stayer@northshire.gov.uk").is_active
    assert plain_client.get(reverse("core:home"))["Location"].startswith(reverse("login"))
    assert stayer_client.get(reverse("core:home")).status_code == 200
    event = SignInEvent.objects.get(kind=SignInEvent.Kind.DEACTIVATED)
    assert event.detail == "Your organisation's sign-in service no longer accepts this account"
    # and running the review again closes nothing more, and the leaver cannot sign in again
    assert accounts_review_task.delay().get() == {"checked": 1, "refused": 0, "inactive": 0}
    oidc_provider.user_set("leaver", email="leaver@northshire.gov.uk")
    start = plain_client.post("/sign-in/", {"identifier": "leaver@northshire.gov.uk"})
    refused = plain_client.get(oidc_provider.sign_in(start["Location"], "leaver"))
    assert refused.status_code == 403
    assert "Your JointCase account is closed" in refused.content.decode()


def test_a_single_sign_on_approver_confirms_at_the_provider_when_their_sign_in_is_over_15_minutes_old(
    plain_client, council, council_sso, oidc_provider, submitted_runs
):
    april = submitted_runs[0]
    staff(council, Role.FINANCE_APPROVER, email="adam@northshire.gov.uk")
    approve = reverse("directpayments:run-action", args=[april.pk, "approve"])
    # given the approver signed in at 9:00 with two factors at the council's provider
    with time_machine.travel(MORNING, tick=False):
        sso_sign_in(plain_client, oidc_provider, "adam@northshire.gov.uk", sub="adam", amr=["pwd", "mfa"])
    with time_machine.travel(MORNING + timedelta(minutes=16), tick=False):
        # when she approves at 9:16, she is asked to confirm at the provider first, and nothing is approved
        asked = plain_client.post(approve, HTTP_REFERER=f"http://testserver{april.get_absolute_url()}")
        assert asked["Location"] == f"{reverse('accounts:sso-confirm')}?next=%2Fdirect-payments%2Fruns%2F{april.pk}%2F"
        april.refresh_from_db()
        assert april.status == PaymentRun.Status.SUBMITTED
        # the provider is asked to sign her in afresh, not to reuse its own session
        to_provider = plain_client.post(asked["Location"])
        assert to_provider["Location"].startswith(oidc_provider.url)
        assert "prompt=login" in to_provider["Location"] and "max_age=0" in to_provider["Location"]
        back = plain_client.get(oidc_provider.sign_in(to_provider["Location"], "adam"))
        assert back["Location"] == april.get_absolute_url()
        # then approving again goes through
        assert plain_client.post(approve)["Location"] == april.get_absolute_url()
    april.refresh_from_db()
    assert april.status == PaymentRun.Status.APPROVED
