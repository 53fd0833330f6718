"""A referral across organisations, in a real browser: the council refers a client to the Pension Service,
which accepts it and records a Pension Credit award that the council then sees."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from partnerships.models import Role
from referrals.models import Consent
from tests.partnerships.factories import OrganisationFactory, StaffUserFactory
from tests.referrals.factories import ClientFactory, ConsentFactory
from tests.sign_in import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
COUNCIL = "Northshire County Council"
PENSION_SERVICE = "The Pension Service, Northshire"


@pytest.fixture
def organisations():
    council = OrganisationFactory(name=COUNCIL, kind="council")
    pension = OrganisationFactory(name=PENSION_SERVICE, short_name="Pension Service", kind="pension_service")
    olivia = _staff(council, "olivia", "Olivia", "Okafor", Role.VISITING_OFFICER)
    _staff(pension, "priya", "Priya", "Shah", Role.VISITING_OFFICER)
    edith = ClientFactory(
        organisation=council, first_name="Edith", last_name="Wainwright", date_of_birth=date(1938, 3, 27)
    )
    ConsentFactory(
        client=edith,
        organisations=[pension],
        purposes=[Consent.Purpose.BENEFIT_CHECK],
        method=Consent.Method.WRITTEN,
        given_on=date(2026, 10, 1),
        recorded_by=olivia,
    )
    return council, pension


def _staff(organisation, username, first_name, last_name, *roles):
    user = StaffUserFactory(
        username=username, first_name=first_name, last_name=last_name, membership__organisation=organisation
    )
    user.groups.set([Group.objects.get_or_create(name=role)[0] for role in roles])
    return user


def sign_in(page, live_server, username, signed_in_as):
    browser_sign_in(page, live_server.url, username, PASSWORD)
    expect(page.get_by_test_id("signed-in-as")).to_have_text(signed_in_as)


def menu(page, name):
    """A link in the service's menu (the page itself may link to the same place)."""
    return page.get_by_role("navigation", name="Menu").get_by_role("link", name=name, exact=True)


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Continue")).to_be_visible()


def test_council_refers_and_sees_the_pension_credit_award(live_server, page, organisations):
    banner = page.locator(".govuk-notification-banner")
    summary = page.get_by_test_id("referral-summary")

    # given the council's visiting officer refers Edith to the Pension Service under her written consent
    sign_in(page, live_server, "olivia", f"Olivia Okafor, {COUNCIL}")
    menu(page, "Clients").click()
    page.get_by_role("link", name="Edith Wainwright").click()
    page.get_by_role("link", name="Refer Edith to a partner").click()
    page.get_by_label(PENSION_SERVICE).check()
    page.get_by_label("What are you referring them for?").select_option(label="Pension Credit claim")
    expect(page.get_by_label("Routine")).to_be_checked()
    page.get_by_label("Why are you referring them?").fill(
        "Lives alone on her State Pension only; may be entitled to Pension Credit."
    )
    page.get_by_label("Given 1 October 2026: share with Pension Service for benefit check and claims").check()
    page.get_by_role("button", name="Send referral").click()

    expect(banner).to_contain_text(" sent")
    reference = banner.locator(".govuk-notification-banner__heading").inner_text().split()[1]
    assert reference.startswith("REF-")
    expect(summary).to_contain_text("Pension Credit claim")
    expect(page.get_by_text("Under consent given 1 October 2026 (written (signed form))")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sent")
    sign_out(page)

    # when a Pension Service officer finds it in their inbox and accepts it
    sign_in(page, live_server, "priya", f"Priya Shah, {PENSION_SERVICE}")
    menu(page, "Referrals").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Referrals received")
    row = page.get_by_test_id("referral-table").get_by_role("row").filter(has_text=reference)
    expect(row.get_by_role("cell").nth(1)).to_have_text("Edith Wainwright")
    expect(row.get_by_role("cell").nth(2)).to_have_text(COUNCIL)
    expect(row.get_by_role("cell").nth(3)).to_have_text("Pension Credit claim")
    expect(row.get_by_role("cell").nth(5)).to_have_text("Sent")
    row.get_by_role("link", name=reference).click()
    page.get_by_role("button", name="Accept").click()
    expect(banner).to_contain_text(f"Referral {reference} accepted")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accepted")

    # and records the outcome: Pension Credit awarded at £38.20 a week
    page.get_by_role("button", name="Record outcome").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the outcome")
    page.get_by_role("group", name="Did the referral succeed?").get_by_label("Yes").check()
    claim = page.get_by_role("group", name="Benefit claimed 1 (optional)")
    claim.get_by_label("Benefit", exact=True).select_option(label="Pension Credit claim")
    claim.get_by_label("Decision").select_option(label="Awarded")
    claim.get_by_label("£ a week").fill("38.20")
    starts = claim.get_by_role("group", name="Date the award starts")
    starts.get_by_label("Day").fill("16")
    starts.get_by_label("Month").fill("11")
    starts.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Record outcome").click()

    expect(banner).to_contain_text(f"Outcome of referral {reference} recorded")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Completed")
    expect(page.get_by_test_id("benefit-table").get_by_role("row").nth(1).get_by_role("cell")).to_have_text(
        ["Pension Credit claim", "Awarded", "£38.20", "16 November 2026", "£0.00"]
    )
    sign_out(page)

    # then the council officer sees it completed, with the award, among the referrals sent
    sign_in(page, live_server, "olivia", f"Olivia Okafor, {COUNCIL}")
    menu(page, "Referrals").click()
    page.get_by_role("link", name="Sent", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Referrals sent")
    row = page.get_by_test_id("referral-table").get_by_role("row").filter(has_text=reference)
    expect(row.get_by_role("cell").nth(2)).to_have_text("Pension Service")
    expect(row.get_by_role("cell").nth(5)).to_have_text("Completed")
    expect(row.get_by_role("cell").nth(7)).to_contain_text("Successful")
    expect(row.get_by_role("cell").nth(7)).to_contain_text("£38.20 a week awarded")

    # and on the referral itself
    row.get_by_role("link", name=reference).click()
    expect(page.get_by_test_id("outcome")).to_have_text("Successful")
    expect(page.get_by_test_id("benefit-table").get_by_role("row").nth(1).get_by_role("cell")).to_have_text(
        ["Pension Credit claim", "Awarded", "£38.20", "16 November 2026", "£0.00"]
    )
