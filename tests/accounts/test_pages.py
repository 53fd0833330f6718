"""An organisation's sign-in pages: connecting its provider, giving new people access, reading its
sign-in events; each for its own organisation and the right role only."""

import html

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from accounts.models import EmailDomain, IdentityProvider, SignInEvent
from accounts.services import sso_user_provision
from partnerships.models import Role
from tests.partnerships.factories import TeamFactory, UserFactory

from .conftest import PASSWORD, staff

pytestmark = pytest.mark.django_db


def _provider_form(**changes):
    data = {
        "provider-issuer_url": "https://login.microsoftonline.com/northshire-tenant/v2.0",
        "provider-client_id": "0f6d-jointcase",
        "provider-client_secret": "a-secret-from-entra",
        "provider-domains": "northshire.gov.uk\nNorthshire-Care.org.uk",
        "provider-mfa_acr_values": "",
        "provider-is_enabled": "on",
    }
    data.update(changes)
    return data


def test_an_administrator_connects_the_organisations_provider_on_a_page(client, council, council_admin):
    client.force_login(council_admin)
    page = client.get(reverse("accounts:sign-in-settings")).content.decode()
    assert f"http://testserver/sign-in/oidc/org{council.pk}/login/callback/" in page  # to register at the provider
    response = client.post(reverse("accounts:sign-in-settings"), _provider_form(), follow=True)
    assert "Single sign-on saved" in response.content.decode()
    provider = IdentityProvider.objects.get(organisation=council)
    app = provider.social_app
    assert (app.provider, app.provider_id, app.client_id, app.secret) == (
        "openid_connect",
        f"org{council.pk}",
        "0f6d-jointcase",
        "a-secret-from-entra",
    )
    assert app.settings["server_url"] == "https://login.microsoftonline.com/northshire-tenant/v2.0"
    assert sorted(EmailDomain.objects.values_list("domain", flat=True)) == [
        "northshire-care.org.uk",
        "northshire.gov.uk",
    ]
    # saving again with the secret left blank keeps it, and a removed domain is released
    client.post(reverse("accounts:sign-in-settings"), _provider_form(**{"provider-client_secret": ""}))
    client.post(
        reverse("accounts:sign-in-settings"),
        _provider_form(**{"provider-client_secret": "", "provider-domains": "northshire.gov.uk"}),
    )
    app.refresh_from_db()
    assert app.secret == "a-secret-from-entra"
    assert list(EmailDomain.objects.values_list("domain", flat=True)) == ["northshire.gov.uk"]


def test_a_domain_another_organisation_uses_is_refused_on_the_page(client, council, council_admin, other_organisation):
    EmailDomain.objects.create(organisation=other_organisation, domain="northshire.gov.uk")
    client.force_login(council_admin)
    response = client.post(reverse("accounts:sign-in-settings"), _provider_form())
    assert response.status_code == 200
    assert "northshire.gov.uk is already used for sign-in by Southshire County Council." in response.content.decode()
    assert not IdentityProvider.objects.exists()


def test_only_an_administrator_sees_the_sign_in_pages(client, council):
    client.force_login(staff(council, Role.TEAM_MANAGER))
    assert client.get(reverse("accounts:sign-in-settings")).status_code == 403
    assert client.get(reverse("accounts:sign-in-events")).status_code == 403
    assert client.get(reverse("accounts:person-list")).status_code == 200  # managers give access
    client.force_login(staff(council, Role.VISITING_OFFICER))
    assert client.get(reverse("accounts:person-list")).status_code == 403


def test_a_manager_lets_a_newcomer_in_and_only_an_administrator_gives_finance_roles(
    client, council, council_sso, django_assert_max_num_queries
):
    # given someone who arrived by single sign-on and waits for a role
    nia = UserFactory(first_name="Nia", last_name="Hughes", email="nia@northshire.gov.uk")
    sso_user_provision(user=nia, provider_id=council_sso.provider_id)
    team = TeamFactory(organisation=council, name="Hospital discharge team")
    manager = staff(council, Role.TEAM_MANAGER)
    client.force_login(manager)
    # the manager's home page and the people page say so
    assert (
        'data-testid="people-waiting">1 person is waiting for a role'
        in client.get(reverse("core:home")).content.decode()
    )
    waiting = client.get(reverse("accounts:person-list") + "?status=awaiting").content.decode()
    assert "Nia Hughes" in waiting and "Waiting for a role" in waiting
    # a team manager cannot make her a finance approver
    url = reverse("accounts:person-access", args=[nia.pk])
    refused = client.post(url, {"team": team.pk, "roles": [Role.FINANCE_APPROVER]})
    assert "Only an administrator can give or take away: finance approver." in html.unescape(refused.content.decode())
    assert not nia.groups.exists()
    # but can make her a visiting officer in a team, which lets her see the council's clients
    assert client.post(url, {"team": team.pk, "roles": [Role.VISITING_OFFICER]}).status_code == 302
    nia.refresh_from_db()
    assert (nia.membership.team, nia.membership.is_active) == (team, True)
    assert list(nia.groups.values_list("name", flat=True)) == ["visiting_officer"]
    assert nia.notifications.get().title == "You can now use JointCase"
    assert SignInEvent.objects.get(kind="access_given").detail.startswith("Roles: visiting officer; by ")
    # and the people page takes the same number of queries for 3 people or 30
    for _ in range(27):
        staff(council, Role.VISITING_OFFICER)
    with django_assert_max_num_queries(9):
        page = client.get(reverse("accounts:person-list"))
    assert page.content.decode().count("Change access") == 30


def test_another_organisations_person_is_not_found(client, council, other_organisation):
    outsider = staff(other_organisation, Role.VISITING_OFFICER)
    client.force_login(staff(council, Role.ADMIN))
    assert client.get(reverse("accounts:person-access", args=[outsider.pk])).status_code == 404
    assert client.post(reverse("accounts:person-close", args=[outsider.pk])).status_code == 404
    outsider.refresh_from_db()
    assert outsider.is_active


def test_the_administrator_sees_the_organisations_sign_in_events_and_no_one_elses(
    plain_client, client, council, council_admin, other_organisation, settings, django_assert_max_num_queries
):
    # given sign-ins at the council: a success, a wrong password, and a lockout
    staff(council, Role.VISITING_OFFICER, username="olivia")
    staff(other_organisation, Role.VISITING_OFFICER, username="stranger")
    plain_client.post("/sign-in/password/", {"login": "olivia", "password": PASSWORD})
    for _ in range(settings.AXES_FAILURE_LIMIT):
        type(plain_client)().post(
            "/sign-in/password/", {"login": "olivia", "password": "guess"}, REMOTE_ADDR="10.0.0.9"
        )
    type(plain_client)().post("/sign-in/password/", {"login": "stranger", "password": "guess"})
    # when the council's administrator reads the events
    client.force_login(council_admin)
    with django_assert_max_num_queries(10):
        page = html.unescape(client.get(reverse("accounts:sign-in-events")).content.decode())
    # then the council's are there, newest first, and the other organisation's are not
    rows = page.split('data-testid="sign-in-events"')[1]
    assert rows.count("Wrong password or unknown account") == settings.AXES_FAILURE_LIMIT - 1
    assert rows.count("Locked out after too many failures") == 1
    assert rows.count("Signed in") == 1
    assert "10.0.0.9" in rows
    assert "stranger" not in rows
    assert rows.index("Locked out") < rows.index("Signed in")
    assert AccessAttempt.objects.get(username="olivia").failures_since_start == settings.AXES_FAILURE_LIMIT
    only_lockouts = client.get(reverse("accounts:sign-in-events") + "?kind=locked_out").content.decode()
    assert only_lockouts.count("Locked out after too many failures") == 2  # the row and the filter option
