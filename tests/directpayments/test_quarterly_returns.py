"""Quarterly returns for agreements paid into the person's own bank account (seed 003).

Worked example: £100.00 net a week, contingency 6 weeks = £600.00 allowed; a balance of £850.25 at the
end of the quarter is £250.25 over.
"""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from directpayments.due_dates import last_completed_quarter, quarter_start
from directpayments.models import Agreement, QuarterlyReturn
from directpayments.selectors import quarterly_return_due_list_for_user
from directpayments.services import quarterly_return_record, surplus_notice_issue
from partnerships.models import Role
from tests.referrals.factories import ClientFactory

from .factories import AgreementFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)
JULY = date(2026, 7, 1)  # the last completed quarter on TODAY: July to September 2026


@pytest.fixture
def bank(council):
    return AgreementFactory(client=ClientFactory(organisation=council, last_name="Ashby"), start_date=date(2026, 1, 5))


def _record(agreement, by, quarter=JULY, balance="850.25", spent="1200.00", evidence=True, notes=""):
    with time_machine.travel(TODAY):
        return quarterly_return_record(
            agreement=agreement,
            quarter=quarter,
            balance=Decimal(balance),
            amount_spent=Decimal(spent),
            evidence_received=evidence,
            notes=notes,
            by=by,
        )


def test_quarters():
    assert quarter_start(date(2026, 5, 17)) == date(2026, 4, 1)
    assert quarter_start(date(2026, 12, 31)) == date(2026, 10, 1)
    assert last_completed_quarter(date(2026, 4, 1)) == date(2026, 1, 1)
    assert last_completed_quarter(date(2026, 3, 31)) == date(2025, 10, 1)
    assert last_completed_quarter(TODAY) == JULY


def test_return_records_the_surplus_as_for_a_card(bank, preparer):
    record = _record(bank, preparer)
    assert (record.balance, record.amount_spent, record.allowed, record.surplus, record.is_surplus) == (
        Decimal("850.25"),
        Decimal("1200.00"),
        Decimal("600.00"),
        Decimal("250.25"),
        True,
    )
    assert record.quarter_end == date(2026, 9, 30) and record.recorded_by == preparer


def test_recording_again_corrects_the_return_and_keeps_history(bank, preparer):
    _record(bank, preparer, evidence=False, balance="500.00")
    record = _record(bank, preparer, evidence=True, balance="650.00", notes="Statements came by post")
    assert QuarterlyReturn.objects.count() == 1
    assert (record.evidence_received, record.surplus) == (True, Decimal("50.00"))
    assert [h.balance for h in record.history.order_by("history_id")] == [Decimal("500.00"), Decimal("650.00")]


def test_one_return_per_agreement_and_quarter_in_the_database(bank, preparer):
    _record(bank, preparer)
    with pytest.raises(IntegrityError), transaction.atomic():
        QuarterlyReturn.objects.create(
            agreement=bank,
            quarter_start=JULY,
            balance=Decimal("1"),
            amount_spent=Decimal("1"),
            allowed=Decimal("600"),
            surplus=Decimal("-599"),
        )
    with pytest.raises(IntegrityError), transaction.atomic():  # not the first day of a quarter
        QuarterlyReturn.objects.create(
            agreement=bank,
            quarter_start=date(2026, 8, 1),
            balance=Decimal("1"),
            amount_spent=Decimal("1"),
            allowed=Decimal("600"),
            surplus=Decimal("-599"),
        )


@pytest.mark.parametrize(
    ("quarter", "message"),
    [
        (date(2026, 10, 1), "The quarter ending 31 December 2026 has not ended yet"),
        (date(2026, 8, 1), "Choose a quarter starting 1 January, 1 April, 1 July or 1 October"),
        (date(2025, 10, 1), "The agreement was not running in that quarter"),
    ],
)
def test_refused_quarters(bank, preparer, quarter, message):
    with pytest.raises(ValidationError) as refused:
        _record(bank, preparer, quarter=quarter)
    assert refused.value.message_dict == {"quarter": [message]}


def test_only_for_bank_accounts(council, preparer):
    card = AgreementFactory(
        client=ClientFactory(organisation=council),
        prepaid_card=True,
        card_reference="PC-1",
    )
    with pytest.raises(ValidationError, match="own bank account"):
        _record(card, preparer)


def test_due_list_for_the_last_completed_quarter(council, other_organisation, bank, preparer):
    def agreement(name, **kwargs):
        return AgreementFactory(client=ClientFactory(organisation=council, last_name=name), **kwargs)

    no_evidence = agreement("Baker")
    complete = agreement("Carter")
    agreement("Dunn", start_date=date(2026, 10, 1))  # started after the quarter: nothing due
    agreement("Ellis", end_date=date(2026, 6, 30), status=Agreement.Status.ENDED)  # ended before it
    leaver = agreement("Foster", end_date=date(2026, 8, 15), status=Agreement.Status.ENDED)  # ran in part of it
    agreement("Gray", account_type="managed_account", provider="Penderels", sort_code="", account_number="")
    AgreementFactory(client=ClientFactory(organisation=other_organisation))
    _record(no_evidence, preparer, evidence=False)
    _record(complete, preparer, evidence=True)
    _record(bank, preparer, quarter=date(2026, 4, 1))  # an older quarter does not count
    due = list(quarterly_return_due_list_for_user(user=preparer, today=TODAY))
    assert [(a.client.last_name, a.return_id is not None) for a in due] == [
        ("Ashby", False),
        ("Baker", True),
        ("Foster", False),
    ]
    assert leaver in due


def test_surplus_notice_from_a_quarterly_return(bank, preparer):
    record = _record(bank, preparer)
    with time_machine.travel(TODAY):
        notice = surplus_notice_issue(agreement=bank, quarterly_return=record, by=preparer)
    assert (notice.amount, notice.balance_on, notice.recoverable_from) == (
        Decimal("250.25"),
        date(2026, 9, 30),
        date(2026, 12, 21),
    )
    assert "On 30 September 2026 your direct payment bank account held £850.25" in notice.letter_html


# --- pages ---


def test_record_a_return_through_the_page(client, bank, preparer):
    client.force_login(preparer)
    url = reverse("directpayments:quarterly-return-record", args=[bank.pk])
    with time_machine.travel(TODAY):
        client.force_login(preparer)
        page = client.get(url).content.decode()
        assert "July to September 2026" in page and "April to June 2026" in page
        response = client.post(
            url,
            {"quarter": "2026-07-01", "balance": "850.25", "amount_spent": "1200", "evidence_received": "on"},
        )
        assert response.status_code == 302
        detail = client.get(bank.get_absolute_url()).content.decode()
    assert "£250.25" in detail and "Give notice" in detail
    assert QuarterlyReturn.objects.get().evidence_received is True


def test_record_page_shows_errors_beside_the_field(client, bank, preparer):
    with time_machine.travel(TODAY):
        client.force_login(preparer)
        response = client.post(
            reverse("directpayments:quarterly-return-record", args=[bank.pk]),
            {"quarter": "2026-07-01", "balance": "", "amount_spent": "-4"},
        )
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert "Enter the balance at the end of the quarter" in page
    assert not QuarterlyReturn.objects.exists()


def test_due_list_page_bounded_queries_and_scoped(
    client, council, other_organisation, preparer, user_with_roles, django_assert_max_num_queries
):
    for n in range(12):
        AgreementFactory(client=ClientFactory(organisation=council, last_name=f"Client{n:02d}"))
    AgreementFactory(client=ClientFactory(organisation=other_organisation, last_name="Elsewhere"))
    with time_machine.travel(TODAY):
        client.force_login(preparer)
        with django_assert_max_num_queries(12):
            page = client.get(reverse("directpayments:quarterly-return-due-list")).content.decode()
    assert page.count("Not received") == 12 and "Elsewhere" not in page
    assert "July to 30 September 2026" in page
    stranger = user_with_roles(other_organisation, Role.FINANCE_OFFICER)
    client.force_login(stranger)
    some = Agreement.objects.filter(client__organisation=council).first()
    assert client.get(reverse("directpayments:quarterly-return-record", args=[some.pk])).status_code == 404
