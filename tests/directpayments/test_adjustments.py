"""One-off payments and surplus recovery through the run, with the remainder carried forward.

Worked examples use £100 a week net: April 2026 (30 days) pays £428.57, May (31) £442.86, June (30) £428.57.
"""

from datetime import date
from decimal import Decimal

import pytest

from directpayments.exports import accounts_payable_csv, bacs_file
from directpayments.models import Adjustment, PaymentLine
from directpayments.selectors import payment_run_lines
from directpayments.services import (
    adjustment_create,
    agreement_suspend,
    payment_run_cancel,
    payment_run_prepare,
)

pytestmark = pytest.mark.django_db
APRIL, MAY, JUNE = date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1)
RECOVERY, ONE_OFF = Adjustment.Kind.RECOVERY, Adjustment.Kind.ONE_OFF


def _recovery(agreement, amount: str, *, by, takes_effect_on=APRIL):
    """A surplus recovery of £`amount`, taken from the first run for a month on or after `takes_effect_on`."""
    return adjustment_create(
        agreement=agreement,
        kind=RECOVERY,
        amount=Decimal(amount),
        reason="Surplus",
        takes_effect_on=takes_effect_on,
        by=by,
    )


def _lines(run, agreement):
    return sorted(
        (line.kind, line.amount) for line in run.lines.filter(agreement=agreement)
    )  # regular before adjustment


def _total(run, agreement):
    return sum((line.amount for line in run.lines.filter(agreement=agreement)), Decimal("0.00"))


def test_surplus_recovery_carried_forward_over_three_months(council, agreement, preparer):
    # given a £1,000.00 surplus to recover from April (after the notice period)
    first = _recovery(agreement, "1000.00", by=preparer)
    # when April is run: £428.57 is all that can be taken, the total for the month is nil
    april = payment_run_prepare(organisation=council, month=APRIL, by=preparer)
    assert _lines(april, agreement) == [("adjustment", Decimal("-428.57")), ("regular", Decimal("428.57"))]
    assert _total(april, agreement) == Decimal("0.00")
    first.refresh_from_db()
    assert (first.run, first.applied_amount) == (april, Decimal("428.57"))
    # then £1,000.00 − £428.57 = £571.43 is recorded as carried forward to May
    carried = first.carried_forward.get()
    assert (carried.kind, carried.amount, carried.takes_effect_on, carried.created_in_run) == (
        RECOVERY,
        Decimal("571.43"),
        MAY,
        april,
    )
    # May: £442.86 taken, £571.43 − £442.86 = £128.57 carried to June
    may = payment_run_prepare(organisation=council, month=MAY, by=preparer)
    assert _total(may, agreement) == Decimal("0.00")
    second = carried.carried_forward.get()
    assert (second.amount, second.takes_effect_on) == (Decimal("128.57"), JUNE)
    # June: the last £128.57 is taken and £428.57 − £128.57 = £300.00 is paid; nothing more carried
    june = payment_run_prepare(organisation=council, month=JUNE, by=preparer)
    assert _lines(june, agreement) == [("adjustment", Decimal("-128.57")), ("regular", Decimal("428.57"))]
    assert _total(june, agreement) == Decimal("300.00")
    assert not second.carried_forward.exists()
    assert sum(a.applied_amount for a in Adjustment.objects.all()) == Decimal("1000.00")


def test_recovery_smaller_than_the_payment_is_taken_in_full(council, agreement, preparer):
    _recovery(agreement, "128.57", by=preparer)
    run = payment_run_prepare(organisation=council, month=APRIL, by=preparer)
    assert _total(run, agreement) == Decimal("300.00")
    assert Adjustment.objects.count() == 1  # nothing carried


def test_one_off_payment_counts_before_recovery(council, agreement, preparer):
    # £428.57 + £50.00 one-off = £478.57 available; a £500.00 recovery takes it all, £21.43 carried
    _recovery(agreement, "500.00", by=preparer)
    adjustment_create(
        agreement=agreement,
        kind=ONE_OFF,
        amount=Decimal("50.00"),
        reason="Respite week",
        takes_effect_on=APRIL,
        by=preparer,
    )
    run = payment_run_prepare(organisation=council, month=APRIL, by=preparer)
    assert _lines(run, agreement) == [
        ("adjustment", Decimal("-478.57")),
        ("adjustment", Decimal("50.00")),
        ("regular", Decimal("428.57")),
    ]
    assert _total(run, agreement) == Decimal("0.00")
    assert Adjustment.objects.get(created_in_run=run).amount == Decimal("21.43")


def test_suspended_all_month_recovers_nothing_and_carries_all(council, agreement, preparer):
    agreement_suspend(agreement_id=agreement.pk, by=preparer, starts_on=date(2026, 3, 20), reason="Hospital")
    _recovery(agreement, "200.00", by=preparer)
    run = payment_run_prepare(organisation=council, month=APRIL, by=preparer)
    assert not run.lines.filter(agreement=agreement).exists()
    carried = Adjustment.objects.get(created_in_run=run)
    assert (carried.amount, carried.takes_effect_on) == (Decimal("200.00"), MAY)


def test_recovery_waits_for_its_month(council, agreement, preparer):
    # notice given 2 April: 28 days takes it to 30 April, so May's run is the first to take it
    _recovery(agreement, "10.00", takes_effect_on=date(2026, 4, 30), by=preparer)
    april = payment_run_prepare(organisation=council, month=APRIL, by=preparer)
    assert _total(april, agreement) == Decimal("428.57")
    may = payment_run_prepare(organisation=council, month=MAY, by=preparer)
    assert _total(may, agreement) == Decimal("432.86")


def test_recalculating_a_draft_does_not_apply_or_carry_twice(council, agreement, preparer):
    _recovery(agreement, "1000.00", by=preparer)
    payment_run_prepare(organisation=council, month=APRIL, by=preparer)
    run = payment_run_prepare(organisation=council, month=APRIL, by=preparer)
    assert run.lines.filter(kind=PaymentLine.Kind.ADJUSTMENT).count() == 1
    assert Adjustment.objects.filter(created_in_run=run).get().amount == Decimal("571.43")


def test_cancelling_the_run_puts_the_adjustment_back(council, agreement, preparer):
    recovery = _recovery(agreement, "1000.00", by=preparer)
    run = payment_run_prepare(organisation=council, month=APRIL, by=preparer)
    payment_run_cancel(run_id=run.pk, by=preparer)
    recovery.refresh_from_db()
    assert (recovery.run, recovery.applied_amount) == (None, Decimal("0.00"))
    assert not Adjustment.objects.filter(created_in_run=run).exists()
    again = payment_run_prepare(organisation=council, month=APRIL, by=preparer)
    assert _total(again, agreement) == Decimal("0.00")


def test_payment_files_pay_the_net_amount_once(council, agreement, preparer):
    _recovery(agreement, "128.57", by=preparer)
    run = payment_run_prepare(organisation=council, month=APRIL, by=preparer)
    lines = list(payment_run_lines(run=run))
    bacs = bacs_file(lines, originating_sort_code="401276", originating_account="41234567")
    assert bacs.count("\r\n") == 1
    assert bacs[35:46] == "00000030000"  # £300.00 in pence, not £428.57
    csv_rows = accounts_payable_csv(lines).splitlines()
    assert len(csv_rows) == 2 and ",300.00," in csv_rows[1]


def test_amount_must_be_positive(agreement, preparer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        adjustment_create(
            agreement=agreement, kind=RECOVERY, amount=Decimal("-5"), reason="x", takes_effect_on=APRIL, by=preparer
        )
