"""A visiting officer's first visit, in a real browser: sign in, add a client, record consent."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from partnerships.models import Role
from referrals.models import Client, Consent
from tests.partnerships.factories import OrganisationFactory, StaffUserFactory
from tests.sign_in import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture
def officer():
    council = OrganisationFactory(name="Northshire County Council")
    OrganisationFactory(name="The Pension Service, Northshire", short_name="Pension Service", kind="pension_service")
    user = StaffUserFactory(
        username="olivia", first_name="Olivia", last_name="Okafor", membership__organisation=council
    )
    user.groups.set([Group.objects.get_or_create(name=Role.VISITING_OFFICER)[0]])
    return user


def test_officer_signs_in_adds_a_client_and_records_consent(live_server, page, officer):
    # given the officer signs in
    browser_sign_in(page, live_server.url, "olivia", "correct-horse-battery")
    assert "Olivia Okafor, Northshire County Council" in page.get_by_test_id("signed-in-as").inner_text()

    # when they add a client, first with a mistyped NINO
    page.get_by_role("link", name="Clients").first.click()
    page.get_by_role("button", name="Add a client").click()
    page.get_by_label("First name").fill("Edith")
    page.get_by_label("Last name").fill("Wainwright")
    born = page.get_by_role("group", name="Date of birth", exact=True)
    born.get_by_label("Day").fill("27")
    born.get_by_label("Month").fill("3")
    born.get_by_label("Year").fill("1938")
    page.get_by_label("National Insurance number").fill("QQ 12 34 56 C")
    page.get_by_label("Address line 1").fill("14 Mill Lane")
    page.get_by_label("Town or city").fill("Northby")
    page.get_by_label("Postcode").fill("ne1 6bs")
    page.get_by_role("button", name="Save client").click()

    # then the error summary says what is wrong and keeps what was typed
    summary = page.locator(".govuk-error-summary")
    assert "Enter a National Insurance number in the correct format" in summary.inner_text()
    assert page.get_by_label("Address line 1").input_value() == "14 Mill Lane"
    assert Client.objects.count() == 0

    # when they correct it
    page.get_by_label("National Insurance number").fill("AB 12 34 56 C")
    page.get_by_role("button", name="Save client").click()

    # then the client page shows the record, formatted
    assert page.get_by_role("heading", level=1).inner_text().startswith("Edith Wainwright")
    assert "AB 12 34 56 C" in page.content()
    assert "NE1 6BS" in page.content()

    # when they record the client's written consent to share with the Pension Service
    page.get_by_role("link", name="Record consent").click()
    page.get_by_label("Pension Service").check()
    page.get_by_label("Benefit check and claims").check()
    page.get_by_label("Written (signed form)").check()
    page.get_by_label("The client", exact=True).check()
    page.get_by_role("button", name="Record consent").click()

    # then it shows as active on the client page and in the timeline
    assert "Consent has been recorded" in page.content()
    assert page.get_by_test_id("consent-table").get_by_text("Active").is_visible()
    assert "Consent recorded" in page.get_by_test_id("timeline").inner_text()
    consent = Consent.objects.get()
    assert [org.name for org in consent.organisations.all()] == ["The Pension Service, Northshire"]

    # and the page is styled by GOV.UK Frontend served from our own static files
    font = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert "GDS Transport" in font or "arial" in font.lower()
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "client-page.png"), full_page=True)
