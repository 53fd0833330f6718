"""Pages for changing agreements, the personal assistant register, returned payments and the run report."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from directpayments.models import Agreement, PaymentLine, PersonalAssistant, ReturnedPayment
from directpayments.services import (
    agreement_resume,
    agreement_suspend,
    agreement_update,
    payment_run_prepare,
    personal_assistant_create,
    personal_assistant_update,
)
from partnerships.models import Role
from tests.form_data import govuk_date_fields
from tests.referrals.factories import ClientFactory

from .factories import AgreementFactory

pytestmark = pytest.mark.django_db
APRIL = date(2026, 4, 1)


@pytest.fixture
def assistant(council, preparer):
    return personal_assistant_create(
        organisation=council,
        by=preparer,
        name="Sam Carer",
        employment=PersonalAssistant.Employment.SELF_EMPLOYED,
        dbs_checked_on=date(2025, 6, 1),
        hourly_rate=Decimal("12.50"),
    )


@pytest.fixture
def paid_run(agreement, settle):
    """April 2026 paid: the agreement's £428.57."""
    return settle(APRIL)


def _agreement_post(agreement, **changes):
    data = {
        "nominated_person": agreement.nominated_person,
        **govuk_date_fields("start_date", agreement.start_date),
        "weekly_budget": str(agreement.weekly_budget),
        "weekly_contribution": str(agreement.weekly_contribution),
        "account_type": agreement.account_type,
        "sort_code": agreement.sort_code,
        "account_number": agreement.account_number,
        "account_name": agreement.account_name,
        "supplier_number": agreement.supplier_number,
        "contingency_weeks": str(agreement.contingency_weeks),
    }
    data.update(changes)
    return data


# --- agreement changes and their history ------------------------------------------------------------


def test_edit_agreement_keeps_history_shown_to_approvers(client, agreement, assistant, preparer, approver):
    client.force_login(preparer)
    url = reverse("directpayments:agreement-update", args=[agreement.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _agreement_post(agreement, weekly_budget="150.00", personal_assistants=[assistant.pk]))
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.weekly_budget == Decimal("150.00")
    assert list(agreement.personal_assistants.all()) == [assistant]
    # the officer's page shows the assistant but not the history
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "Sam Carer, self-employed, £12.50 an hour" in page
    assert "Change history" not in page
    # an approver sees who changed what, old → new
    client.force_login(approver)
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "<strong>Weekly personal budget</strong>: 100.00 → 150.00" in page
    assert "<strong>Personal assistants</strong>: (blank) → Sam Carer" in page
    assert escape(preparer.get_full_name()) in page


def test_edit_agreement_errors_beside_the_field(client, agreement, preparer):
    client.force_login(preparer)
    response = client.post(
        reverse("directpayments:agreement-update", args=[agreement.pk]),
        _agreement_post(agreement, account_number="123"),
    )
    assert response.status_code == 200
    assert "8 digits" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.account_number == "00733445"


def test_edit_refuses_another_organisations_assistant(agreement, preparer, other_organisation):
    stranger = PersonalAssistant.objects.create(
        organisation=other_organisation, name="Elsewhere", employment="employed", hourly_rate=Decimal("11.00")
    )
    with pytest.raises(Exception, match="your own register"):
        agreement_update(agreement_id=agreement.pk, by=preparer, personal_assistants=[stranger])


def test_widening_dates_pays_settled_days_as_arrears(council, preparer, settle):
    # given an agreement from 16 April paid for 15 days in April (£214.29)
    agreement = AgreementFactory(client=ClientFactory(organisation=council), start_date=date(2026, 4, 16))
    run = settle(APRIL)
    assert run.lines.get().amount == Decimal("214.29")
    # when its start is corrected to 1 April
    agreement_update(agreement_id=agreement.pk, by=preparer, start_date=date(2026, 4, 1))
    may = payment_run_prepare(organisation=council, month=date(2026, 5, 1), by=preparer)
    # then May adds the 15 days 1–15 April: £428.57 − £214.29 = £214.28 (rounded once for the month)
    arrears = may.lines.get(kind=PaymentLine.Kind.ARREARS)
    assert (arrears.period, arrears.days, arrears.amount) == (APRIL, 15, Decimal("214.28"))


def test_suspend_resume_and_end_through_the_pages(client, agreement, preparer):
    client.force_login(preparer)
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "Suspend payments" in page and "Resume payments" not in page
    response = client.post(
        reverse("directpayments:agreement-suspend", args=[agreement.pk]),
        {**govuk_date_fields("starts_on", date(2026, 4, 15)), "reason": ""},
    )
    assert "Enter the reason for the suspension" in response.content.decode()
    response = client.post(
        reverse("directpayments:agreement-suspend", args=[agreement.pk]),
        {**govuk_date_fields("starts_on", date(2026, 4, 15)), "reason": "In hospital"},
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SUSPENDED
    # resuming before the suspension started is refused beside the field
    response = client.post(
        reverse("directpayments:agreement-resume", args=[agreement.pk]),
        govuk_date_fields("resumes_on", date(2026, 4, 10)),
    )
    assert "Payments must resume after the suspension started" in response.content.decode()
    client.post(
        reverse("directpayments:agreement-resume", args=[agreement.pk]),
        govuk_date_fields("resumes_on", date(2026, 4, 22)),
    )
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.ACTIVE
    assert agreement.suspensions.get().ends_on == date(2026, 4, 21)
    client.post(
        reverse("directpayments:agreement-end", args=[agreement.pk]), govuk_date_fields("end_date", date(2026, 6, 30))
    )
    agreement.refresh_from_db()
    assert (agreement.status, agreement.end_date) == (Agreement.Status.ENDED, date(2026, 6, 30))
    # April: 1–14 and 22–30 April = 23 days, £100 × 23 ÷ 7 = £328.57
    run = payment_run_prepare(organisation=agreement.client.organisation, month=APRIL, by=preparer)
    assert run.lines.get().amount == Decimal("328.57")


def test_cancel_and_shorten_suspension_through_the_pages(client, agreement, preparer):
    agreement_suspend(agreement_id=agreement.pk, by=preparer, starts_on=date(2026, 4, 10), reason="Respite")
    suspension = agreement.suspensions.get()
    client.force_login(preparer)
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert reverse("directpayments:suspension-cancel", args=[suspension.pk]) in page
    response = client.post(
        reverse("directpayments:suspension-cancel", args=[suspension.pk]), {"reason": "Wrong client"}
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.status, agreement.suspensions.count()) == (Agreement.Status.ACTIVE, 0)
    # a finished one can have its last day moved earlier, not later
    agreement_suspend(agreement_id=agreement.pk, by=preparer, starts_on=date(2026, 5, 1), reason="Away")
    agreement_resume(agreement_id=agreement.pk, by=preparer, resumes_on=date(2026, 5, 11))
    suspension = agreement.suspensions.get()
    url = reverse("directpayments:suspension-shorten", args=[suspension.pk])
    response = client.post(url, govuk_date_fields("ends_on", date(2026, 5, 20)))
    assert "Enter a day before 10 May 2026" in response.content.decode()
    assert client.post(url, govuk_date_fields("ends_on", date(2026, 5, 5))).status_code == 302
    suspension.refresh_from_db()
    assert suspension.ends_on == date(2026, 5, 5)


@pytest.mark.parametrize("changes", [2, 8])
def test_agreement_page_bounded_queries(
    client, agreement, assistant, approver, preparer, changes, django_assert_num_queries
):
    for n in range(changes):
        agreement_update(agreement_id=agreement.pk, by=preparer, weekly_budget=Decimal(101 + n))
    agreement_update(agreement_id=agreement.pk, by=preparer, personal_assistants=[assistant])
    client.force_login(approver)
    with django_assert_num_queries(19):
        response = client.get(agreement.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count("<strong>Weekly personal budget</strong>") == changes


# --- the personal assistant register ------------------------------------------------------------------


def test_register_pages_and_dbs_flag(client, council, preparer, django_assert_max_num_queries):
    today = timezone.localdate()
    client.force_login(preparer)
    response = client.post(
        reverse("directpayments:pa-create"),
        {
            "name": "Ann Helper",
            "employment": "employed",
            **govuk_date_fields("dbs_checked_on", today - timedelta(days=3 * 366)),
            "hourly_rate": "11.44",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assistant = PersonalAssistant.objects.get()
    assert (assistant.organisation, assistant.hourly_rate) == (council, Decimal("11.44"))
    for n in range(10):
        personal_assistant_create(
            organisation=council,
            by=preparer,
            name=f"Helper {n}",
            employment="employed",
            dbs_checked_on=today,
            hourly_rate=Decimal("12.00"),
        )
    with django_assert_max_num_queries(10):
        page = client.get(reverse("directpayments:pa-list")).content.decode()
    assert "Ann Helper" in page and "£11.44" in page
    assert page.count("Over 3 years old") == 1
    # edit: errors beside the field, then a change kept in history
    url = reverse("directpayments:pa-update", args=[assistant.pk])
    response = client.post(url, {"name": "Ann Helper", "employment": "employed", "hourly_rate": "-1"})
    assert response.status_code == 200 and "govuk-error-message" in response.content.decode()
    client.post(url, {"name": "Ann Helper", "employment": "self_employed", "hourly_rate": "13.00", "is_active": "on"})
    assistant.refresh_from_db()
    assert (assistant.employment, assistant.hourly_rate) == ("self_employed", Decimal("13.00"))
    assert assistant.history.count() == 2
    assert assistant.history.first().history_user == preparer


def test_dbs_flag_is_three_years_to_the_day(council, preparer):
    assistant = personal_assistant_create(
        organisation=council,
        by=preparer,
        name="Pat",
        employment="employed",
        dbs_checked_on=date(2023, 3, 1),
        hourly_rate=Decimal("12.00"),
    )
    assert not assistant.dbs_due_since(date(2026, 3, 1))
    assert assistant.dbs_due_since(date(2026, 3, 2))
    personal_assistant_update(assistant_id=assistant.pk, by=preparer, dbs_checked_on=None)
    assistant.refresh_from_db()
    assert assistant.dbs_due_since(date(2026, 3, 2))


def test_agreement_form_offers_only_the_registers_active_assistants(client, council, other_organisation, preparer):
    personal_assistant_create(
        organisation=council, by=preparer, name="Ours", employment="employed", hourly_rate=Decimal("12.00")
    )
    personal_assistant_create(
        organisation=council,
        by=preparer,
        name="Gone",
        employment="employed",
        hourly_rate=Decimal("12.00"),
        is_active=False,
    )
    PersonalAssistant.objects.create(
        organisation=other_organisation, name="Theirs", employment="employed", hourly_rate=Decimal("12.00")
    )
    client.force_login(preparer)
    page = client.get(reverse("directpayments:agreement-create")).content.decode()
    assert "Ours, employed" in page and "Gone" not in page and "Theirs" not in page


# --- returned payments and the run report ------------------------------------------------------------


def test_record_a_returned_payment_from_the_run_page(client, paid_run, agreement, preparer):
    client.force_login(preparer)
    page = client.get(paid_run.get_absolute_url()).content.decode()
    url = reverse("directpayments:returned-payment-create", args=[paid_run.pk, agreement.pk])
    assert url in page
    assert "£428.57 paid in this run" in client.get(url).content.decode()
    response = client.post(url, {"reason": ""})
    assert "Enter the reason the bank gave" in response.content.decode()
    assert client.post(url, {"reason": "Account closed"}).status_code == 302
    assert ReturnedPayment.objects.get().amount == Decimal("428.57")
    page = client.get(paid_run.get_absolute_url()).content.decode()
    assert "Returned</strong> Account closed" in page
    # a second time is refused with a message, not a crash
    response = client.post(url, {"reason": "Again"})
    assert "already been recorded" in response.content.decode()


def test_returns_cannot_be_recorded_before_paid(client, council, agreement, preparer):
    run = payment_run_prepare(organisation=council, month=APRIL, by=preparer)
    client.force_login(preparer)
    url = reverse("directpayments:returned-payment-create", args=[run.pk, agreement.pk])
    assert (
        reverse("directpayments:returns-import", args=[run.pk])
        not in client.get(run.get_absolute_url()).content.decode()
    )
    response = client.post(url, {"reason": "Closed"})
    assert "once the run has been marked paid" in response.content.decode()
    assert not ReturnedPayment.objects.exists()


def test_returns_import_page(client, paid_run, agreement, preparer):
    client.force_login(preparer)
    url = reverse("directpayments:returns-import", args=[paid_run.pk])
    upload = SimpleUploadedFile(
        "returns.csv",
        f"reference,amount,reason\nDP{agreement.pk:06d} APR26,428.57,Closed\nDP999999 APR26,1,x\n".encode(),
    )
    body = client.post(url, {"file": upload}).content.decode()
    assert "1 returned payment recorded" in body
    assert '<td class="govuk-table__cell">3</td>' in body
    broken = SimpleUploadedFile("returns.csv", b"no,header\n")
    body = client.post(url, {"file": broken}).content.decode()
    assert "The first line must be the header" in body and "govuk-error-summary" in body
    assert ReturnedPayment.objects.count() == 1


@pytest.mark.parametrize("count", [3, 12])
def test_run_report_page(client, council, preparer, count, django_assert_num_queries):
    for n in range(count):
        AgreementFactory(client=ClientFactory(organisation=council), start_date=date(2026, 4, 17) if n == 0 else APRIL)
    AgreementFactory(
        client=ClientFactory(organisation=council),
        prepaid_card=True,
        card_reference="PC-1",
        weekly_budget=Decimal("70.00"),
    )
    run = payment_run_prepare(organisation=council, month=APRIL, by=preparer)
    client.force_login(preparer)
    assert reverse("directpayments:run-report", args=[run.pk]) in client.get(run.get_absolute_url()).content.decode()
    with django_assert_num_queries(14):
        response = client.get(reverse("directpayments:run-report", args=[run.pk]))
    body = response.content.decode()
    # count − 1 whole months at £428.57, one from the 17th (14 days, £200.00), one card at £300.00
    total = Decimal("428.57") * (count - 1) + Decimal("200.00") + Decimal("300.00")
    assert f"£{total:,.2f}" in body
    assert f'data-testid="report-count">{count + 1}<' in body
    assert "Prepaid card" in body and "Bank account" in body
    assert "Starter" in body


# --- access ----------------------------------------------------------------------------------------------


def _new_urls(agreement, run, suspension, assistant):
    return [
        reverse("directpayments:agreement-update", args=[agreement.pk]),
        reverse("directpayments:agreement-suspend", args=[agreement.pk]),
        reverse("directpayments:agreement-resume", args=[agreement.pk]),
        reverse("directpayments:agreement-end", args=[agreement.pk]),
        reverse("directpayments:suspension-cancel", args=[suspension.pk]),
        reverse("directpayments:suspension-shorten", args=[suspension.pk]),
        reverse("directpayments:pa-update", args=[assistant.pk]),
        reverse("directpayments:run-report", args=[run.pk]),
        reverse("directpayments:returns-import", args=[run.pk]),
        reverse("directpayments:returned-payment-create", args=[run.pk, agreement.pk]),
    ]


@pytest.fixture
def records(paid_run, agreement, assistant, preparer):
    agreement_suspend(agreement_id=agreement.pk, by=preparer, starts_on=date(2026, 6, 1), reason="Away")
    return agreement, paid_run, agreement.suspensions.get(), assistant


def test_another_organisation_gets_404_on_every_new_page(client, records, other_organisation, user_with_roles):
    client.force_login(user_with_roles(other_organisation, Role.FINANCE_OFFICER, Role.FINANCE_APPROVER))
    for url in _new_urls(*records):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"reason": "x"}).status_code == 404, url
    assert ReturnedPayment.objects.count() == 0


@pytest.mark.parametrize("role", [Role.VISITING_OFFICER, Role.TEAM_MANAGER, Role.PARTNERSHIP_MANAGER])
def test_non_finance_roles_get_403_on_every_new_page(client, council, records, user_with_roles, role):
    client.force_login(user_with_roles(council, role))
    urls = [*_new_urls(*records), reverse("directpayments:pa-list"), reverse("directpayments:pa-create")]
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"reason": "x"}).status_code == 403, url
    assert ReturnedPayment.objects.count() == 0


def test_approver_reads_but_does_not_change(client, records, approver):
    _agreement, run, _suspension, _assistant = records
    client.force_login(approver)
    assert client.get(reverse("directpayments:run-report", args=[run.pk])).status_code == 200
    assert client.get(reverse("directpayments:pa-list")).status_code == 200
    for url in _new_urls(*records)[:7] + _new_urls(*records)[8:]:
        assert client.post(url, {"reason": "x"}).status_code == 403, url
