from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from directpayments.models import Agreement, PaymentRun
from directpayments.services import payment_run_prepare, payment_run_submit
from partnerships.models import Role
from tests.referrals.factories import ClientFactory

from .factories import AgreementFactory

pytestmark = pytest.mark.django_db
APRIL = date(2026, 4, 1)


@pytest.fixture
def preparer(council, user_with_roles):
    return user_with_roles(council, Role.FINANCE_OFFICER)


@pytest.fixture
def approver(council, user_with_roles):
    return user_with_roles(council, Role.FINANCE_APPROVER)


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


def test_create_agreement(client, council, preparer):
    person = ClientFactory(organisation=council)
    client.force_login(preparer)
    response = client.post(
        reverse("directpayments:agreement-create"),
        {
            "client": person.pk,
            "start_date_0": "1",
            "start_date_1": "4",
            "start_date_2": "2026",
            "weekly_budget": "150.00",
            "weekly_contribution": "26.55",
            "account_type": "bank_account",
            "sort_code": "30-94-30",
            "account_number": "00733445",
            "account_name": "Mary Smith",
            "supplier_number": "V1",
            "contingency_weeks": "6",
        },
    )
    agreement = Agreement.objects.get()
    assert response.status_code == 302
    assert (agreement.sort_code, agreement.status) == ("309430", Agreement.Status.SETUP)
    page = client.get(agreement.get_absolute_url())
    assert "£123.45" in page.content.decode()


def test_create_agreement_refuses_bad_account_number(client, council, preparer):
    person = ClientFactory(organisation=council)
    client.force_login(preparer)
    response = client.post(
        reverse("directpayments:agreement-create"),
        {
            "client": person.pk,
            "start_date_0": "1",
            "start_date_1": "4",
            "start_date_2": "2026",
            "weekly_budget": "150.00",
            "weekly_contribution": "0",
            "account_type": "bank_account",
            "sort_code": "309430",
            "account_number": "123",
            "contingency_weeks": "6",
        },
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
    from directpayments.services import payment_run_approve, payment_run_export

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
