"""Finance four eyes in a real browser: prepare and submit a month's direct payments, have someone else
approve them, then export and download the BACS file."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from partnerships.models import Role
from tests.directpayments.factories import AgreementFactory
from tests.partnerships.factories import OrganisationFactory, StaffUserFactory
from tests.referrals.factories import ClientFactory
from tests.sign_in import browser_sign_in, totp_set_up

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The payment runs page offers this month and the next: 10 April 2026 offers April 2026 (30 days).
TODAY = datetime(2026, 4, 10, 9, 30, tzinfo=ZoneInfo("Europe/London"))
PASSWORD = "correct-horse-battery"
TOTP_SECRETS = {"fatima": "FATIMAFINCHTOTPKEYFORTESTSAAAAAA", "arjun": "ARJUNMEHTATOTPKEYFORTESTSAAAAAAA"}


def _staff(organisation, username, first_name, last_name, *roles):
    user = StaffUserFactory(
        username=username, first_name=first_name, last_name=last_name, membership__organisation=organisation
    )
    user.groups.set([Group.objects.get_or_create(name=role)[0] for role in roles])
    totp_set_up(user, TOTP_SECRETS[username])  # finance roles sign in with an authenticator app's code too
    return user


@pytest.fixture
def council(settings):  # replaces tests/conftest.py's council: this one has two agreements
    # The server's clock is moved to April 2026 while the browser's is not: cookies that last for the
    # browser session cannot look expired to Chromium.
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    council = OrganisationFactory(name="Northshire County Council", kind="council")
    april = date(2026, 4, 1)
    # £150.00 budget − £30.00 contribution = £120.00 a week; × 30 ÷ 7 = £514.2857… → £514.29
    AgreementFactory(
        client=ClientFactory(organisation=council, first_name="Edith", last_name="Wainwright"),
        start_date=april,
        weekly_budget=Decimal("150.00"),
        weekly_contribution=Decimal("30.00"),
        sort_code="309430",
        account_number="00733445",
        account_name="E WAINWRIGHT",
    )
    # £200.00 a week on a prepaid card; × 30 ÷ 7 = £857.1428… → £857.14 (paid by CSV, not BACS)
    AgreementFactory(
        client=ClientFactory(organisation=council, first_name="Arthur", last_name="Pennington"),
        start_date=april,
        weekly_budget=Decimal("200.00"),
        account_type="prepaid_card",
        card_reference="PC-7781",
        sort_code="",
        account_number="",
    )
    return council


def sign_in(page, live_server, username, who):
    browser_sign_in(page, live_server.url, username, PASSWORD, totp_secret=TOTP_SECRETS[username])
    expect(page.get_by_test_id("signed-in-as")).to_have_text(f"{who}, Northshire County Council")


def open_april_run(page):
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Direct payments").click()
    page.get_by_role("link", name="Payment runs").click()
    page.get_by_role("link", name="April 2026").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Payment run for April 2026")


def test_run_is_prepared_approved_by_someone_else_and_exported(live_server, page, council):
    # A finance officer who also approves runs; the approver is a second person.
    _staff(council, "fatima", "Fatima", "Finch", Role.FINANCE_OFFICER, Role.FINANCE_APPROVER)
    _staff(council, "arjun", "Arjun", "Mehta", Role.FINANCE_APPROVER)
    banner = page.locator(".govuk-notification-banner")
    status, total = page.get_by_test_id("run-status"), page.get_by_test_id("run-total")

    with time_machine.travel(TODAY, tick=True):
        # given the finance officer prepares the April run
        sign_in(page, live_server, "fatima", "Fatima Finch")
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Direct payments").click()
        page.get_by_role("link", name="Payment runs").click()
        expect(page.get_by_text("No payment runs yet.")).to_be_visible()
        page.get_by_role("button", name="Prepare the April 2026 run").click()

        # then each agreement is paid net weekly × 30 days ÷ 7, rounded half-up to the penny
        expect(banner).to_contain_text("The April 2026 run has been calculated.")
        expect(page.get_by_role("heading", level=1)).to_have_text("Payment run for April 2026")
        expect(status).to_have_text("Draft")
        expect(total).to_have_text("£1,371.43")
        rows = page.get_by_test_id("lines").get_by_role("row")
        expect(rows.filter(has_text="Edith Wainwright").get_by_role("cell")).to_have_text(
            ["Edith Wainwright", "Bank account", "£120.00", "30", "£514.29"]
        )
        expect(rows.filter(has_text="Arthur Pennington").get_by_role("cell")).to_have_text(
            ["Arthur Pennington", "Prepaid card", "£200.00", "30", "£857.14"]
        )

        # when she submits it and then tries to approve it herself
        page.get_by_role("button", name="Submit for approval").click()
        expect(banner).to_contain_text("Submitted for approval.")
        expect(status).to_have_text("Submitted for approval")
        page.get_by_role("button", name="Approve", exact=True).click()

        # then four eyes refuse it: the run is still waiting for approval
        expect(banner).to_contain_text("You prepared or submitted this run, so someone else must approve it.")
        expect(status).to_have_text("Submitted for approval")
        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("button", name="Continue")).to_be_visible()

        # when the approver signs in and approves it
        sign_in(page, live_server, "arjun", "Arjun Mehta")
        open_april_run(page)
        expect(total).to_have_text("£1,371.43")
        expect(page.get_by_role("button", name="Submit for approval")).to_have_count(0)
        page.get_by_role("button", name="Approve", exact=True).click()
        expect(banner).to_contain_text("Approved.")
        expect(status).to_have_text("Approved")
        expect(page.get_by_role("button", name="Export for payment")).to_have_count(0)  # the officer exports
        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("button", name="Continue")).to_be_visible()

        # and the officer exports it and downloads the BACS file
        sign_in(page, live_server, "fatima", "Fatima Finch")
        open_april_run(page)
        expect(page.get_by_text("Approved by Arjun Mehta")).to_be_visible()
        expect(page.get_by_role("link", name="Download the BACS file")).to_have_count(0)
        page.get_by_role("button", name="Export for payment").click()
        expect(banner).to_contain_text("Exported: download the files below.")
        expect(status).to_have_text("Exported")
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Download the BACS file").click()
        download = download_info.value
        path = download.path()

    # then the file has one Standard 18 record, for the bank account, paying 51429 pence
    assert download.suggested_filename == "direct-payments-2026-04.txt"
    with open(path, newline="") as file:
        records = file.read().split("\r\n")
    assert records[-1] == ""
    [record] = records[:-1]  # the prepaid card is paid through accounts payable, not BACS
    assert len(record) == 100
    assert record[0:6] == "309430" and record[6:14] == "00733445"
    assert record[35:46] == "00000051429"
    assert record[64:82].rstrip().endswith("APR26")
    assert record[82:100].rstrip() == "E WAINWRIGHT"
