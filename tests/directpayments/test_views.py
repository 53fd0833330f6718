from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from directpayments.models import Agreement, PaymentRun
from directpayments.services import (
    card_balances_import,
    payment_run_approve,
    payment_run_export,
    payment_run_prepare,
    payment_run_submit,
    reviews_schedule,
)
from partnerships.models import Role
from tests.referrals.factories import ClientFactory

from .factories import AgreementFactory

pytestmark = pytest.mark.django_db
APRIL = date(2026, 4, 1)


@pytest.fixture
def run(council, preparer):
    AgreementFactory(client=ClientFactory(organisation=council))
    return payment_run_prepare(organisation=council, month=APRIL, by=preparer)


def test_agreement_list_bounded_queries(client, council, preparer, django_assert_max_num_queries):
    AgreementFactory.create_batch(15, client__organisation=council)
    client.force_login(preparer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("directpayments:agreement-list"))
    assert response.status_code == 200
    assert response.content.count(b"/direct-payments/agreements/") >= 15


def test_run_list_bounded_queries(client, council, preparer, django_assert_max_num_queries):
    AgreementFactory.create_batch(5, client__organisation=council)
    for month in (1, 2, 3, 4):
        payment_run_prepare(organisation=council, month=date(2026, month, 1), by=preparer)
    client.force_login(preparer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("directpayments:run-list"))
    assert response.status_code == 200
    assert b"April 2026" in response.content


def test_create_agreement(client, council, preparer, agreement_form):
    person = ClientFactory(organisation=council)
    client.force_login(preparer)
    response = client.post(
        reverse("directpayments:agreement-create"),
        agreement_form(
            person=person,
            weekly_contribution="26.55",
            sort_code="30-94-30",
            account_number="00733445",
            account_name="Mary Smith",
            supplier_number="V1",
        ),
    )
    agreement = Agreement.objects.get()
    assert response.status_code == 302
    assert (agreement.sort_code, agreement.status) == ("309430", Agreement.Status.SETUP)
    page = client.get(agreement.get_absolute_url())
    assert "£123.45" in page.content.decode()


def test_create_agreement_refuses_bad_account_number(client, council, preparer, agreement_form):
    person = ClientFactory(organisation=council)
    client.force_login(preparer)
    response = client.post(
        reverse("directpayments:agreement-create"),
        agreement_form(person=person, weekly_contribution="0", sort_code="309430", account_number="123"),
    )
    assert response.status_code == 200
    assert not Agreement.objects.exists()
    assert "8 digits" in response.content.decode()


def test_run_detail_shows_lines_totals_and_actions(client, run, preparer):
    client.force_login(preparer)
    response = client.get(run.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert "£428.57" in body
    assert "Submit for approval" in body
    assert "Approve" not in body


def test_approve_through_the_page_and_four_eyes_message(client, run, preparer, approver, user_with_roles, council):
    payment_run_submit(run_id=run.pk, by=preparer)
    client.force_login(approver)
    response = client.post(reverse("directpayments:run-action", args=[run.pk, "approve"]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == PaymentRun.Status.APPROVED


def test_four_eyes_refused_on_the_page(client, council, user_with_roles):
    both = user_with_roles(council, Role.FINANCE_OFFICER, Role.FINANCE_APPROVER)
    AgreementFactory(client=ClientFactory(organisation=council))
    run = payment_run_prepare(organisation=council, month=APRIL, by=both)
    payment_run_submit(run_id=run.pk, by=both)
    client.force_login(both)
    response = client.post(reverse("directpayments:run-action", args=[run.pk, "approve"]), follow=True)
    assert "someone else must approve" in response.content.decode()
    run.refresh_from_db()
    assert run.status == PaymentRun.Status.SUBMITTED


def test_prepare_button(client, council, preparer):
    AgreementFactory(client=ClientFactory(organisation=council), weekly_budget=Decimal("70"))
    client.force_login(preparer)
    response = client.post(reverse("directpayments:run-prepare"), {"month": "2026-04"})
    run = PaymentRun.objects.get()
    assert response.url == run.get_absolute_url()
    assert run.lines.get().amount == Decimal("300.00")


def test_downloads_after_export(client, run, preparer, approver):
    client.force_login(preparer)
    assert client.get(reverse("directpayments:run-csv", args=[run.pk])).status_code == 302  # not yet exported
    payment_run_submit(run_id=run.pk, by=preparer)
    payment_run_approve(run_id=run.pk, by=approver)
    payment_run_export(run_id=run.pk, by=preparer)
    csv = client.get(reverse("directpayments:run-csv", args=[run.pk]))
    bacs = client.get(reverse("directpayments:run-bacs", args=[run.pk]))
    assert csv.status_code == bacs.status_code == 200
    assert csv.content.startswith(b"vendor_number,amount")
    assert len(bacs.content.split(b"\r\n")[0]) == 100


@pytest.mark.parametrize(
    "name", ["directpayments:agreement-list", "directpayments:run-list", "directpayments:agreement-create"]
)
def test_wrong_role_is_forbidden(client, officer, name):
    client.force_login(officer)
    assert client.get(reverse(name)).status_code == 403


def test_approver_cannot_prepare_or_submit(client, run, approver):
    client.force_login(approver)
    assert client.post(reverse("directpayments:run-prepare"), {"month": "2026-04"}).status_code == 403
    assert client.post(reverse("directpayments:run-action", args=[run.pk, "submit"])).status_code == 403


def test_other_organisation_gets_404(client, run, other_organisation, user_with_roles):
    stranger = user_with_roles(other_organisation, Role.FINANCE_OFFICER, Role.FINANCE_APPROVER)
    client.force_login(stranger)
    agreement = run.lines.get().agreement
    assert client.get(run.get_absolute_url()).status_code == 404
    assert client.get(agreement.get_absolute_url()).status_code == 404
    assert client.get(reverse("directpayments:run-csv", args=[run.pk])).status_code == 404
    assert client.post(reverse("directpayments:run-action", args=[run.pk, "cancel"])).status_code == 404


def test_anonymous_redirected_to_sign_in(client):
    assert client.get(reverse("directpayments:run-list")).status_code == 302


# --- finance home, adjustments, balances, reviews ---


def _populate_home(council, preparer, count):
    for n in range(count):
        agreement = AgreementFactory(client=ClientFactory(organisation=council), start_date=date(2025, 1, 1))
        reviews_schedule(agreement=agreement)
        AgreementFactory(
            client=ClientFactory(organisation=council),
            prepaid_card=True,
            card_reference=f"PC-{count}-{n}",
        )
    rows = "".join(f"PC-{count}-{n},{1000 + n},2026-10-31\n" for n in range(count))
    card_balances_import(organisation=council, content="card_reference,balance,date\n" + rows, by=preparer)


@pytest.mark.parametrize("count", [2, 12])
def test_finance_home_constant_queries(client, council, preparer, count, django_assert_num_queries):
    import time_machine

    with time_machine.travel(date(2026, 11, 23)):
        _populate_home(council, preparer, count)
        payment_run_prepare(organisation=council, month=date(2026, 10, 1), by=preparer)
        payment_run_prepare(organisation=council, month=date(2026, 11, 1), by=preparer)
        client.force_login(preparer)
        with django_assert_num_queries(14):  # + take-up and quarterly returns due
            response = client.get(reverse("directpayments:finance-home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "November 2026" in body and "October 2026" in body
    assert "Bank account" in body and "Prepaid card" in body
    assert f"Overdue reviews ({count * 2})" in body
    assert f"Card surpluses ({count}," in body


def test_import_page_reports_bad_rows(client, council, preparer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    AgreementFactory(
        client=ClientFactory(organisation=council),
        prepaid_card=True,
        card_reference="PC-1",
    )
    client.force_login(preparer)
    upload = SimpleUploadedFile(
        "balances.csv", b"card_reference,balance,date\nPC-1,1000,2026-10-31\nPC-2,5,2026-10-31\n"
    )
    response = client.post(reverse("directpayments:balance-import"), {"file": upload})
    body = response.content.decode()
    assert "1 balance saved" in body
    assert "No prepaid card agreement has the card reference PC-2" in body
    broken = SimpleUploadedFile("balances.csv", b"a,b\n1,2\n")
    response = client.post(reverse("directpayments:balance-import"), {"file": broken})
    assert "header card_reference,balance,date" in response.content.decode()
    surpluses = client.get(reverse("directpayments:surplus-list")).content.decode()
    assert "£1,000.00" in surpluses and "£400.00" in surpluses  # allowed: 6 weeks × £100.00 = £600.00


def test_add_one_off_payment_through_the_page(client, council, preparer):
    agreement = AgreementFactory(client=ClientFactory(organisation=council))  # £100.00 a week
    client.force_login(preparer)
    response = client.post(
        reverse("directpayments:adjustment-create", args=[agreement.pk]),
        {
            # A forged "recovery" is ignored: the page only adds one-off payments.
            "kind": "recovery",
            "amount": "50.00",
            "reason": "Replacement hoist battery",
            "takes_effect_on_0": "1",
            "takes_effect_on_1": "4",
            "takes_effect_on_2": "2026",
        },
    )
    assert response.status_code == 302
    assert agreement.adjustments.get().kind == "one_off"
    run = payment_run_prepare(organisation=council, month=APRIL, by=preparer)
    # April: £100.00 × 30 ÷ 7 = £428.57, plus the £50.00 one-off
    assert sum(line.amount for line in run.lines.all()) == Decimal("478.57")
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "Replacement hoist battery" in page


def test_adjustment_page_offers_no_surplus_recovery(client, council, preparer):
    agreement = AgreementFactory(client=ClientFactory(organisation=council))
    client.force_login(preparer)
    page = client.get(reverse("directpayments:adjustment-create", args=[agreement.pk])).content.decode()
    assert 'name="kind"' not in page and "written notice" in page


def test_record_review_through_the_page(client, council, preparer):
    agreement = AgreementFactory(client=ClientFactory(organisation=council), start_date=date(2025, 1, 1))
    reviews_schedule(agreement=agreement)
    review = agreement.reviews.get(kind="six_week")
    client.force_login(preparer)
    assert "6-week check" in client.get(reverse("directpayments:review-overdue-list")).content.decode()
    response = client.post(
        reverse("directpayments:review-complete", args=[review.pk]),
        {"completed_on_0": "1", "completed_on_1": "3", "completed_on_2": "2025", "notes": "All well"},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.completed_on == date(2025, 3, 1)


ALL_PAGES = [
    "directpayments:finance-home",
    "directpayments:agreement-list",
    "directpayments:run-list",
    "directpayments:review-overdue-list",
    "directpayments:surplus-list",
    "directpayments:balance-import",
]


@pytest.mark.parametrize("name", ALL_PAGES)
@pytest.mark.parametrize("role", [Role.VISITING_OFFICER, Role.TEAM_MANAGER, Role.BOARD_SECRETARY])
def test_only_finance_roles_see_direct_payments(client, council, user_with_roles, name, role):
    client.force_login(user_with_roles(council, role))
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", ALL_PAGES)
def test_finance_roles_outside_a_council_are_refused(client, user_with_roles, name):
    from tests.partnerships.factories import OrganisationFactory

    pension = OrganisationFactory(name="Pension Service", kind="pension_service")
    client.force_login(user_with_roles(pension, Role.FINANCE_OFFICER, Role.FINANCE_APPROVER))
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", ALL_PAGES)
def test_council_finance_roles_see_direct_payments(client, preparer, approver, name):
    client.force_login(preparer if name == "directpayments:balance-import" else approver)
    assert client.get(reverse(name)).status_code == 200


def test_approver_cannot_add_adjustments_or_import(client, council, approver):
    agreement = AgreementFactory(client=ClientFactory(organisation=council))
    client.force_login(approver)
    assert client.get(reverse("directpayments:adjustment-create", args=[agreement.pk])).status_code == 403
    assert client.get(reverse("directpayments:balance-import")).status_code == 403


def test_other_organisation_gets_404_for_adjustments_and_reviews(client, council, other_organisation, user_with_roles):
    agreement = AgreementFactory(client=ClientFactory(organisation=council))
    reviews_schedule(agreement=agreement)
    stranger = user_with_roles(other_organisation, Role.FINANCE_OFFICER)
    client.force_login(stranger)
    assert client.get(reverse("directpayments:adjustment-create", args=[agreement.pk])).status_code == 404
    review = agreement.reviews.first()
    assert client.get(reverse("directpayments:review-complete", args=[review.pk])).status_code == 404
