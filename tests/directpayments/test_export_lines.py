"""The payment files read from plain grouped values give exactly the bytes they give from the lines."""

from datetime import date
from decimal import Decimal

import pytest

from directpayments.exports import accounts_payable_csv, bacs_file
from directpayments.models import Adjustment
from directpayments.selectors import payment_run_export_lines, payment_run_lines
from directpayments.services import adjustment_create, payment_run_prepare
from partnerships.models import Role
from tests.referrals.factories import ClientFactory

from .factories import AgreementFactory

pytestmark = pytest.mark.django_db
APRIL = date(2026, 4, 1)


def test_export_lines_match_the_model_lines(council, user_with_roles, django_assert_max_num_queries):
    by = user_with_roles(council, Role.FINANCE_OFFICER)
    bank = AgreementFactory(
        client=ClientFactory(organisation=council, first_name="Ann", middle_names="May", last_name="Lee")
    )
    AgreementFactory(
        client=ClientFactory(organisation=council, last_name="Brown"),
        prepaid_card=True,
        card_reference="PC-7",
        weekly_budget=Decimal("87.50"),
    )
    AgreementFactory(
        client=ClientFactory(organisation=council, first_name="Jayne", last_name="=Cole"), supplier_number=""
    )
    adjustment_create(
        agreement=bank,
        kind=Adjustment.Kind.RECOVERY,
        amount=Decimal("28.57"),
        reason="Surplus",
        takes_effect_on=APRIL,
        by=by,
    )
    run = payment_run_prepare(organisation=council, month=APRIL, by=by)
    with django_assert_max_num_queries(1):
        lean = payment_run_export_lines(run=run)
    lines = list(payment_run_lines(run=run))
    by_name = {p.agreement.client.full_name: p.amount for p in lean}
    # Brown £87.50 × 30 ÷ 7 = £375.00; Cole £428.57; Lee £428.57 − £28.57 recovered = £400.00
    assert by_name == {
        "Ann May Lee": Decimal("400.00"),
        **{line.agreement.client.full_name: line.amount for line in lines if line.agreement_id != bank.pk},
    }
    assert sorted(by_name.values()) == [Decimal("375.00"), Decimal("400.00"), Decimal("428.57")]
    assert [p.agreement_id for p in lean] == list(dict.fromkeys(line.agreement_id for line in lines))  # same order
    assert accounts_payable_csv(lean) == accounts_payable_csv(lines)
    assert bacs_file(lean) == bacs_file(lines)
    assert ",Jayne =Cole\r\n" in accounts_payable_csv(lean) and "=Cole" in [
        p.agreement.client.full_name[-5:] for p in lean
    ]
