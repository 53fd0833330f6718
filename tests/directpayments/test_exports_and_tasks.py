from datetime import date
from decimal import Decimal

import pytest
import time_machine

from directpayments.exports import accounts_payable_csv, bacs_file, bacs_record
from directpayments.models import PaymentLine, PaymentRun
from directpayments.tasks import payment_run_draft_next_month_task
from tests.referrals.factories import ClientFactory

from .factories import AgreementFactory, PaymentRunFactory

pytestmark = pytest.mark.django_db


def _line(council, **agreement):
    client = ClientFactory(organisation=council, first_name="Mary", last_name="O'Brien-Smith")
    agreement = AgreementFactory(
        client=client, supplier_number="V000123", account_name="Mary O'Brien-Smith", **agreement
    )
    run = PaymentRunFactory(organisation=council, month=date(2026, 4, 1))
    return PaymentLine.objects.create(
        run=run,
        agreement=agreement,
        period=date(2026, 4, 1),
        net_weekly=Decimal("100"),
        days=30,
        amount=Decimal("428.57"),
    )


def test_bacs_record_exact_bytes(council):
    line = _line(council)
    text = bacs_file([line], originating_sort_code="401276", originating_account="41234567")
    reference = f"DP{line.agreement_id:06d} APR26".ljust(18)
    expected = (
        "309430"  # 1–6 destination sort code
        "00733445"  # 7–14 destination account
        "0"  # 15 account type
        "99"  # 16–17 credit
        "401276"  # 18–23 originating sort code
        "41234567"  # 24–31 originating account
        "    "  # 32–35 free
        "00000042857"  # 36–46 amount in pence
        "DIRECT PAYMENTS   "  # 47–64 service user name
        + reference  # 65–82 reference
        + "MARY O BRIEN-SMITH"  # 83–100 account name: apostrophe not allowed, cut to 18
    )
    assert text == expected + "\r\n"
    assert len(expected) == 100
    assert text.encode("ascii")


def test_bacs_leaves_out_other_account_types(council):
    line = _line(council, prepaid_card=True, card_reference="C1")
    assert bacs_file([line]) == ""


def test_bacs_record_refuses_bad_account():
    with pytest.raises(ValueError):
        bacs_record(
            sort_code="30943",
            account_number="00733445",
            amount=Decimal("1"),
            service_user_name="X",
            reference="R",
            account_name="A",
            originating_sort_code="401276",
            originating_account="41234567",
        )


def test_accounts_payable_csv(council):
    line = _line(council)
    assert accounts_payable_csv([line]) == (
        "vendor_number,amount,reference,period,account_type,client\r\n"
        f"V000123,428.57,DP{line.agreement_id:06d} APR26,2026-04,bank_account,Mary O'Brien-Smith\r\n"
    )


def test_monthly_task_drafts_next_month_once(council):
    AgreementFactory.create_batch(2, client__organisation=council)
    with time_machine.travel(date(2026, 3, 20)):
        first = payment_run_draft_next_month_task()
        second = payment_run_draft_next_month_task()
    assert first == second == {"month": "2026-04-01", "runs": {council.pk: PaymentRun.objects.get().pk}}
    assert PaymentLine.objects.count() == 2
