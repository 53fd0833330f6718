"""Reconciliation: returned payments re-issued once, and arrears when settled days become payable again.

Figures use the rule of `directpayments/runs.py`: net weekly × days ÷ 7, rounded half-up to the penny.
At £100.00 a week: April (30 days) £428.57, May (31 days) £442.86.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from directpayments.exports import bacs_file
from directpayments.models import Agreement, PaymentLine, PaymentRun, ReturnedPayment, ReturnsImport
from directpayments.selectors import payment_run_exceptions, payment_run_lines
from directpayments.services import (
    agreement_resume,
    agreement_suspend,
    agreement_update,
    payment_run_approve,
    payment_run_cancel,
    payment_run_export,
    payment_run_mark_paid,
    payment_run_prepare,
    payment_run_submit,
    returned_payment_record,
    returns_import,
    suspension_cancel,
    suspension_shorten,
)
from partnerships.models import Role
from tests.referrals.factories import ClientFactory

from .factories import AgreementFactory

pytestmark = pytest.mark.django_db
APRIL, MAY, JUNE, JULY = date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1), date(2026, 7, 1)
K = PaymentLine.Kind


def _lines(run):
    """(kind, period, days, amount) of the run's live lines: the regular one first."""
    lines = [(line.kind, line.period, line.days, line.amount) for line in run.lines.filter(is_live=True)]
    return sorted(lines, key=lambda line: (line[0] != K.REGULAR, line))


# --- returned payments are re-issued once --------------------------------------------------------------


def test_returned_payment_is_reissued_in_the_next_run_once(council, preparer, settle):
    # given April paid £428.57 and the bank returned it
    agreement = AgreementFactory(client=ClientFactory(organisation=council))
    april = settle(APRIL)
    returned = returned_payment_record(run_id=april.pk, agreement_id=agreement.pk, reason="Account closed", by=preparer)
    assert returned.amount == Decimal("428.57")
    # when May is prepared (and recalculated)
    payment_run_prepare(organisation=council, month=MAY, by=preparer)
    may = payment_run_prepare(organisation=council, month=MAY, by=preparer)
    # then May pays May's £442.86 and re-issues April's £428.57, once, in one bank payment of £871.43
    assert _lines(may) == [(K.REGULAR, MAY, 31, Decimal("442.86")), (K.REISSUE, MAY, 0, Decimal("428.57"))]
    assert bacs_file(payment_run_lines(run=may))[35:46] == "00000087143"
    assert "Re-issued" in [e.kind for e in payment_run_exceptions(run=may)]
    # and June, prepared while May is a draft, does not pay it again
    june = payment_run_prepare(organisation=council, month=JUNE, by=preparer)
    assert _lines(june) == [(K.REGULAR, JUNE, 30, Decimal("428.57"))]


def test_reissue_of_a_cancelled_run_moves_to_the_next_run_never_dropped(council, preparer, settle):
    agreement = AgreementFactory(client=ClientFactory(organisation=council))
    april = settle(APRIL)
    returned_payment_record(run_id=april.pk, agreement_id=agreement.pk, reason="Details wrong", by=preparer)
    may = payment_run_prepare(organisation=council, month=MAY, by=preparer)
    june = payment_run_prepare(organisation=council, month=JUNE, by=preparer)
    # when the May run carrying the re-issue is cancelled, June picks it up on recalculation
    payment_run_cancel(run_id=may.pk, by=preparer)
    june = payment_run_prepare(organisation=council, month=JUNE, by=preparer)
    assert _lines(june) == [(K.REGULAR, JUNE, 30, Decimal("428.57")), (K.REISSUE, JUNE, 0, Decimal("428.57"))]


def test_database_refuses_a_second_live_reissue(council, preparer, settle):
    agreement = AgreementFactory(client=ClientFactory(organisation=council))
    april = settle(APRIL)
    returned = returned_payment_record(run_id=april.pk, agreement_id=agreement.pk, reason="Closed", by=preparer)
    may = payment_run_prepare(organisation=council, month=MAY, by=preparer)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentLine.objects.create(
            run=may, agreement=agreement, period=MAY, kind=K.REISSUE, amount=returned.amount, returned_payment=returned
        )


def test_returned_payment_refusals(council, preparer, settle):
    agreement = AgreementFactory(client=ClientFactory(organisation=council))
    unpaid = AgreementFactory(client=ClientFactory(organisation=council), start_date=date(2026, 6, 1))
    draft = payment_run_prepare(organisation=council, month=APRIL, by=preparer)
    with pytest.raises(ValidationError, match="marked paid"):
        returned_payment_record(run_id=draft.pk, agreement_id=agreement.pk, reason="Closed", by=preparer)
    april = settle(APRIL)
    with pytest.raises(ValidationError, match="Nothing was paid"):
        returned_payment_record(run_id=april.pk, agreement_id=unpaid.pk, reason="Closed", by=preparer)
    with pytest.raises(ValidationError):
        returned_payment_record(run_id=april.pk, agreement_id=agreement.pk, reason=" ", by=preparer)
    returned_payment_record(run_id=april.pk, agreement_id=agreement.pk, reason="Closed", by=preparer)
    with pytest.raises(ValidationError, match="already"):
        returned_payment_record(run_id=april.pk, agreement_id=agreement.pk, reason="Closed", by=preparer)
    assert ReturnedPayment.objects.count() == 1


def test_returns_file_keeps_good_rows_and_reports_bad_ones_by_line(council, preparer, settle):
    first = AgreementFactory(client=ClientFactory(organisation=council))
    second = AgreementFactory(client=ClientFactory(organisation=council), weekly_budget=Decimal("70.00"))
    third = AgreementFactory(client=ClientFactory(organisation=council), weekly_budget=Decimal("35.00"))
    april = settle(APRIL)
    content = (
        "reference,vendor_number,amount,reason\n"
        f"DP{first.pk:06d} APR26,,428.57,Account closed\n"  # 2: good, by reference
        f",{second.supplier_number},300.00,Name does not match\n"  # 3: good, by vendor number
        f"DP{third.pk:06d} MAR26,,150.00,Closed\n"  # 4: another month
        f"DP{third.pk:06d} APR26,,15.00,Closed\n"  # 5: wrong amount (£150.00 was paid)
        "DP999999 APR26,,10.00,Closed\n"  # 6: no such payment
        f"DP{third.pk:06d} APR26,,150.00,\n"  # 7: no reason
        f"DP{first.pk:06d} APR26,,428.57,Twice in the file\n"  # 8: already returned
        f"DP{third.pk:06d} APR26,,abc,Closed\n"  # 9: not money
        "\n"
        "short,row\n"  # 11: wrong number of columns
    )
    result = returns_import(run_id=april.pk, content=content.encode(), by=preparer, filename="returns.csv")
    assert result.saved == 2
    assert [number for number, _ in result.errors] == [4, 5, 6, 7, 8, 9, 11]
    assert "not the £150.00 paid" in dict(result.errors)[5]
    assert sorted(ReturnedPayment.objects.values_list("agreement_id", "amount")) == [
        (first.pk, Decimal("428.57")),
        (second.pk, Decimal("300.00")),
    ]
    record = ReturnsImport.objects.get()
    assert (record.rows_read, record.rows_saved, len(record.errors)) == (9, 2, 7)
    # and both are re-issued by May
    may = payment_run_prepare(organisation=council, month=MAY, by=preparer)
    assert sorted(may.lines.filter(kind=K.REISSUE).values_list("amount", flat=True)) == [
        Decimal("300.00"),
        Decimal("428.57"),
    ]


@pytest.mark.parametrize(
    "content",
    [b"", b"ref,amount\nDP000001 APR26,1\n", b"\xff\xfe\x00broken", b"amount,reason\n1,2\n"],
)
def test_a_broken_returns_file_imports_nothing(council, preparer, settle, content):
    agreement = AgreementFactory(client=ClientFactory(organisation=council))
    april = settle(APRIL)
    with pytest.raises(ValidationError):
        returns_import(run_id=april.pk, content=content, by=preparer)
    assert not ReturnedPayment.objects.filter(agreement=agreement).exists()
    assert not ReturnsImport.objects.exists()


# --- arrears: cancelling a suspension restores payment from the right day -------------------------------


def test_cancelling_a_suspension_over_paid_months_pays_exactly_the_days_taken_out(council, preparer, settle):
    # given a suspension from 15 April to 10 May inclusive, and April and May paid around it
    agreement = AgreementFactory(client=ClientFactory(organisation=council))
    agreement_suspend(agreement_id=agreement.pk, by=preparer, starts_on=date(2026, 4, 15), reason="In hospital")
    agreement_resume(agreement_id=agreement.pk, by=preparer, resumes_on=date(2026, 5, 11))
    april, may = settle(APRIL), settle(MAY)
    assert _lines(april) == [(K.REGULAR, APRIL, 14, Decimal("200.00"))]  # 1–14 April
    assert _lines(may) == [(K.REGULAR, MAY, 21, Decimal("300.00"))]  # 11–31 May
    # when the suspension is cancelled (recorded in error)
    suspension = agreement.suspensions.get()
    suspension_cancel(suspension_id=suspension.pk, by=preparer, reason="Recorded for the wrong client")
    june = payment_run_prepare(organisation=council, month=JUNE, by=preparer)
    june = payment_run_prepare(organisation=council, month=JUNE, by=preparer)  # recalculating changes nothing
    # then June pays June, plus the 16 April days (£428.57 − £200.00) and the 10 May days (£442.86 − £300.00)
    assert _lines(june) == [
        (K.REGULAR, JUNE, 30, Decimal("428.57")),
        (K.ARREARS, APRIL, 16, Decimal("228.57")),
        (K.ARREARS, MAY, 10, Decimal("142.86")),
    ]
    assert bacs_file(payment_run_lines(run=june)).count("\r\n") == 1  # one payment of £800.00
    assert bacs_file(payment_run_lines(run=june))[35:46] == "00000080000"
    # and once June is paid, July pays July only and the agreement is no longer checked
    payment_run_submit(run_id=june.pk, by=preparer)
    payment_run_approve(run_id=june.pk, by=approver_of(council))
    payment_run_export(run_id=june.pk, by=preparer)
    payment_run_mark_paid(run_id=june.pk, by=preparer)
    july = payment_run_prepare(organisation=council, month=JULY, by=preparer)
    assert _lines(july) == [(K.REGULAR, JULY, 31, Decimal("442.86"))]
    agreement.refresh_from_db()
    assert agreement.arrears_check_from is None


def approver_of(council):
    from django.contrib.auth.models import Group

    from tests.partnerships.factories import StaffUserFactory

    user = StaffUserFactory(membership__organisation=council)
    user.groups.set([Group.objects.get_or_create(name=Role.FINANCE_APPROVER)[0]])
    return user


def test_moving_a_suspensions_end_earlier_pays_the_days_given_back(council, preparer, settle):
    # given a suspension 10–19 April, April paid for 20 days: £100 × 20 ÷ 7 = £285.71
    agreement = AgreementFactory(client=ClientFactory(organisation=council))
    agreement_suspend(agreement_id=agreement.pk, by=preparer, starts_on=date(2026, 4, 10), reason="Respite")
    agreement_resume(agreement_id=agreement.pk, by=preparer, resumes_on=date(2026, 4, 20))
    april = settle(APRIL)
    assert _lines(april) == [(K.REGULAR, APRIL, 20, Decimal("285.71"))]
    # when its last day becomes 14 April, 15–19 April (5 days) are payable again
    suspension_shorten(suspension_id=agreement.suspensions.get().pk, by=preparer, ends_on=date(2026, 4, 14))
    may = payment_run_prepare(organisation=council, month=MAY, by=preparer)
    # then May adds £357.14 (25 days) − £285.71 = £71.43: no more, no less
    assert _lines(may) == [(K.REGULAR, MAY, 31, Decimal("442.86")), (K.ARREARS, APRIL, 5, Decimal("71.43"))]


def test_shortening_refusals(council, preparer):
    agreement = AgreementFactory(client=ClientFactory(organisation=council))
    agreement_suspend(agreement_id=agreement.pk, by=preparer, starts_on=date(2026, 4, 10), reason="Respite")
    suspension = agreement.suspensions.get()
    with pytest.raises(ValidationError, match="resume"):
        suspension_shorten(suspension_id=suspension.pk, by=preparer, ends_on=date(2026, 4, 12))
    agreement_resume(agreement_id=agreement.pk, by=preparer, resumes_on=date(2026, 4, 20))
    for day in (date(2026, 4, 19), date(2026, 4, 25), date(2026, 4, 9)):
        with pytest.raises(ValidationError):
            suspension_shorten(suspension_id=suspension.pk, by=preparer, ends_on=day)


def test_backdated_resume_pays_the_days_of_a_paid_month(council, preparer, settle):
    # given suspended from 10 April with April paid for 9 days: £128.57
    agreement = AgreementFactory(client=ClientFactory(organisation=council))
    agreement_suspend(agreement_id=agreement.pk, by=preparer, starts_on=date(2026, 4, 10), reason="Respite")
    assert _lines(settle(APRIL)) == [(K.REGULAR, APRIL, 9, Decimal("128.57"))]
    # when resumed in May from 20 April: 20–30 April is 11 days, £285.71 (20 days) − £128.57 = £157.14
    agreement_resume(agreement_id=agreement.pk, by=preparer, resumes_on=date(2026, 4, 20))
    may = payment_run_prepare(organisation=council, month=MAY, by=preparer)
    assert _lines(may) == [(K.REGULAR, MAY, 31, Decimal("442.86")), (K.ARREARS, APRIL, 11, Decimal("157.14"))]


def test_cancelling_a_whole_month_suspension_pays_it_at_the_rate_of_the_time(council, preparer, settle):
    # given April wholly suspended (no April line), then the budget doubled
    AgreementFactory(client=ClientFactory(organisation=council), weekly_budget=Decimal("7.00"))  # someone else
    agreement = AgreementFactory(client=ClientFactory(organisation=council))
    agreement_suspend(agreement_id=agreement.pk, by=preparer, starts_on=date(2026, 4, 1), reason="Abroad")
    agreement_resume(agreement_id=agreement.pk, by=preparer, resumes_on=date(2026, 5, 1))
    assert not settle(APRIL).lines.filter(agreement=agreement).exists()
    agreement_update(agreement_id=agreement.pk, by=preparer, weekly_budget=Decimal("200.00"))
    # when the suspension is cancelled
    suspension_cancel(suspension_id=agreement.suspensions.get().pk, by=preparer, reason="Never went")
    may = payment_run_prepare(organisation=council, month=MAY, by=preparer)
    may.lines.exclude(agreement=agreement).delete()
    # then April is paid in full at April's £100.00 a week, May at the new £200.00
    assert _lines(may) == [(K.REGULAR, MAY, 31, Decimal("885.71")), (K.ARREARS, APRIL, 30, Decimal("428.57"))]
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.ACTIVE


def test_arrears_in_two_drafts_at_once_are_paid_once(council, preparer, settle):
    agreement = AgreementFactory(client=ClientFactory(organisation=council))
    agreement_suspend(agreement_id=agreement.pk, by=preparer, starts_on=date(2026, 4, 15), reason="Hospital")
    agreement_resume(agreement_id=agreement.pk, by=preparer, resumes_on=date(2026, 5, 1))
    settle(APRIL)
    suspension_cancel(suspension_id=agreement.suspensions.get().pk, by=preparer, reason="Error")
    may = payment_run_prepare(organisation=council, month=MAY, by=preparer)
    june = payment_run_prepare(organisation=council, month=JUNE, by=preparer)
    arrears = PaymentLine.objects.filter(kind=K.ARREARS, is_live=True)
    assert [(line.run_id, line.amount) for line in arrears] == [(may.pk, Decimal("228.57"))]
    # when May is cancelled, June's recalculation takes the arrears over
    payment_run_cancel(run_id=may.pk, by=preparer)
    payment_run_prepare(organisation=council, month=JUNE, by=preparer)
    assert [(line.run_id, line.amount) for line in arrears.all()] == [(june.pk, Decimal("228.57"))]


def test_cancelling_a_suspension_in_a_draft_month_needs_no_arrears(council, preparer):
    agreement = AgreementFactory(client=ClientFactory(organisation=council))
    agreement_suspend(agreement_id=agreement.pk, by=preparer, starts_on=date(2026, 4, 15), reason="Hospital")
    april = payment_run_prepare(organisation=council, month=APRIL, by=preparer)
    suspension_cancel(suspension_id=agreement.suspensions.get().pk, by=preparer, reason="Error")
    april = payment_run_prepare(organisation=council, month=APRIL, by=preparer)
    may = payment_run_prepare(organisation=council, month=MAY, by=preparer)
    assert _lines(april) == [(K.REGULAR, APRIL, 30, Decimal("428.57"))]
    assert _lines(may) == [(K.REGULAR, MAY, 31, Decimal("442.86"))]


def test_suspension_cancel_needs_a_reason_and_keeps_history(council, preparer):
    agreement = AgreementFactory(client=ClientFactory(organisation=council))
    agreement_suspend(agreement_id=agreement.pk, by=preparer, starts_on=date(2026, 4, 15), reason="Hospital")
    suspension = agreement.suspensions.get()
    with pytest.raises(ValidationError):
        suspension_cancel(suspension_id=suspension.pk, by=preparer, reason="")
    suspension_cancel(suspension_id=suspension.pk, by=preparer, reason="Wrong client")
    deleted = suspension.history.filter(history_type="-").get()
    assert (deleted.history_user, deleted.history_change_reason) == (preparer, "Wrong client")


def test_run_status_is_untouched_by_paid_run_flag(council, preparer, settle):
    """A paid run's own lines never change when a return is recorded: the money moves in the next run."""
    agreement = AgreementFactory(client=ClientFactory(organisation=council))
    april = settle(APRIL)
    returned_payment_record(run_id=april.pk, agreement_id=agreement.pk, reason="Closed", by=preparer)
    april.refresh_from_db()
    assert april.status == PaymentRun.Status.PAID
    assert _lines(april) == [(K.REGULAR, APRIL, 30, Decimal("428.57"))]
