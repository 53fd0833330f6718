"""Single sign-on in a real browser: a new starter signs in at their council's own OpenID Connect provider
(a real one on 127.0.0.1), waits for a role, the council's administrator gives one, and they are in."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from accounts.services import identity_provider_save
from partnerships.models import Role
from tests.partnerships.factories import OrganisationFactory, StaffUserFactory, TeamFactory
from tests.sign_in import TEST_TOTP_SECRET, browser_sign_in, totp_set_up

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


@pytest.fixture
def council(oidc_provider):
    council = OrganisationFactory(name="Northshire County Council", kind="council")
    TeamFactory(organisation=council, name="Hospital discharge team")
    admin = StaffUserFactory(
        username="ada", first_name="Ada", last_name="Administrator", membership__organisation=council
    )
    admin.groups.set([Group.objects.get_or_create(name=Role.ADMIN)[0]])
    totp_set_up(admin)
    identity_provider_save(
        organisation=council,
        issuer_url=oidc_provider.url,
        client_id="jointcase-northshire",
        client_secret="northshire-secret",
        domains=["northshire.gov.uk"],
        is_enabled=True,
        by=admin,
    )
    oidc_provider.user_set(
        "nia.hughes@northshire.gov.uk",
        email="nia.hughes@northshire.gov.uk",
        given_name="Nia",
        family_name="Hughes",
        amr=["pwd", "mfa"],
    )
    return council


def sso_sign_in(page, live_server):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Work email address").fill("nia.hughes@northshire.gov.uk")
    page.get_by_role("button", name="Continue").click()
    # the council's provider asks who is signing in
    expect(page.get_by_role("heading", name="Authorize Client")).to_be_visible()
    page.get_by_placeholder("sub").fill("nia.hughes@northshire.gov.uk")
    page.get_by_role("button", name="Authorize").click()


def test_a_new_starter_signs_in_through_the_council_and_is_let_in_by_its_administrator(
    live_server, page, browser, council
):
    # when a new starter signs in with their work address, at the council's provider
    sso_sign_in(page, live_server)
    # then they are back in JointCase, in the council, with nothing to see until given a role
    expect(page.get_by_test_id("signed-in-as")).to_have_text("Nia Hughes, Northshire County Council")
    expect(page.get_by_text("a member of staff with no role yet")).to_be_visible()

    # when the council's administrator signs in (password and app code) and gives them a role
    admin_page = browser.new_context(locale="en-GB").new_page()
    browser_sign_in(admin_page, live_server.url, "ada", PASSWORD, totp_secret=TEST_TOTP_SECRET)
    admin_page.get_by_test_id("people-waiting").click()
    admin_page.get_by_role("link", name="Give access for Nia Hughes").click()
    admin_page.get_by_label("Team", exact=True).select_option(label="Hospital discharge team")
    admin_page.get_by_label("Visiting officer").check()
    admin_page.get_by_role("button", name="Save access").click()
    expect(admin_page.locator(".govuk-notification-banner")).to_contain_text("Access saved for Nia Hughes.")

    # then the new starter sees the council's clients, and the sign-in events show how they came in
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Clients").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clients")
    admin_page.goto(f"{live_server.url}/organisation/sign-in/events/")
    events = admin_page.get_by_test_id("sign-in-events")
    expect(events.get_by_role("row").filter(has_text="Nia Hughes").filter(has_text="Account created")).to_have_count(1)
    expect(events.get_by_role("row").filter(has_text="Two-factor at the organisation's provider")).to_have_count(1)
