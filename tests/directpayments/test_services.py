import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, close_old_connections, connection, transaction

from directpayments.models import Agreement, PaymentLine, PaymentRun, PaymentRunEvent
from directpayments.selectors import payment_run_exceptions
from directpayments.services import (
    TRANSITIONS,
    FourEyesError,
    InvalidTransition,
    agreement_create,
    agreement_end,
    agreement_net_weekly,
    agreement_resume,
    agreement_suspend,
    payment_run_approve,
    payment_run_cancel,
    payment_run_export,
    payment_run_mark_paid,
    payment_run_prepare,
    payment_run_submit,
    payment_run_transition,
)
from partnerships.models import Role
from tests.referrals.factories import ClientFactory

from .factories import AgreementFactory

pytestmark = pytest.mark.django_db
APRIL = date(2026, 4, 1)
S = PaymentRun.Status


def _run_in(status, *, council, preparer, approver):
    AgreementFactory(client=ClientFactory(organisation=council))
    run = payment_run_prepare(organisation=council, month=APRIL, by=preparer)
    path = {
        S.DRAFT: [],
        S.SUBMITTED: [(S.SUBMITTED, preparer)],
        S.APPROVED: [(S.SUBMITTED, preparer), (S.APPROVED, approver)],
        S.EXPORTED: [(S.SUBMITTED, preparer), (S.APPROVED, approver), (S.EXPORTED, preparer)],
        S.PAID: [(S.SUBMITTED, preparer), (S.APPROVED, approver), (S.EXPORTED, preparer), (S.PAID, preparer)],
        S.CANCELLED: [(S.CANCELLED, preparer)],
    }[status]
    for to, by in path:
        run = payment_run_transition(run_id=run.pk, to=to, by=by)
    return run


# --- agreements ---


def test_agreement_create_validates_bank_details(council, preparer):
    client = ClientFactory(organisation=council)
    with pytest.raises(ValidationError) as error:
        agreement_create(
            client=client,
            by=preparer,
            start_date=APRIL,
            weekly_budget=Decimal("100"),
            account_type=Agreement.AccountType.BANK_ACCOUNT,
            sort_code="30-94-3",
            account_number="1234567",
        )
    assert {"sort_code", "account_number"} <= set(error.value.message_dict)


def test_agreement_create_keeps_history_and_computes_net_weekly(council, preparer):
    agreement = agreement_create(
        client=ClientFactory(organisation=council),
        by=preparer,
        start_date=APRIL,
        weekly_budget=Decimal("100.00"),
        weekly_contribution=Decimal("120.00"),
        account_type=Agreement.AccountType.BANK_ACCOUNT,
        sort_code="30-94-30",
        account_number="00733445",
    )
    assert agreement.sort_code == "309430"
    assert agreement.contingency_weeks == 6
    assert agreement_net_weekly(agreement) == Decimal("0.00")
    assert agreement.history.get().history_user == preparer


def test_database_refuses_bank_account_without_details(council):
    with pytest.raises(IntegrityError):
        AgreementFactory(client=ClientFactory(organisation=council), sort_code="", account_number="")


def test_suspend_and_resume_pay_the_right_days(council, preparer):
    agreement = AgreementFactory(client=ClientFactory(organisation=council), weekly_budget=Decimal("70.00"))
    agreement_suspend(agreement_id=agreement.pk, by=preparer, starts_on=date(2026, 4, 11), reason="In hospital")
    agreement_resume(agreement_id=agreement.pk, by=preparer, resumes_on=date(2026, 4, 21))
    run = payment_run_prepare(organisation=council, month=APRIL, by=preparer)
    line = run.lines.get()
    # Suspended 11th–20th (10 days): 20 days × £70 ÷ 7 = £200.00
    assert (line.days, line.amount) == (20, Decimal("200.00"))
    assert [e.kind for e in payment_run_exceptions(run=run)] == ["Suspended"]


def test_ended_agreement_paid_to_its_end_date(council, preparer):
    agreement = AgreementFactory(client=ClientFactory(organisation=council), weekly_budget=Decimal("70.00"))
    agreement_end(agreement_id=agreement.pk, by=preparer, end_date=date(2026, 4, 14))
    line = payment_run_prepare(organisation=council, month=APRIL, by=preparer).lines.get()
    assert (line.days, line.amount) == (14, Decimal("140.00"))


# --- preparing ---


def test_prepare_pays_active_agreements_only(council, other_organisation, preparer):
    paid = AgreementFactory(client=ClientFactory(organisation=council), start_date=date(2026, 4, 17))
    AgreementFactory(client=ClientFactory(organisation=council), status=Agreement.Status.SETUP)
    AgreementFactory(client=ClientFactory(organisation=council), start_date=date(2026, 5, 1))
    AgreementFactory(client=ClientFactory(organisation=council), weekly_contribution=Decimal("150"))  # nothing due
    AgreementFactory(client=ClientFactory(organisation=other_organisation))
    run = payment_run_prepare(organisation=council, month=date(2026, 4, 9), by=preparer)
    assert run.month == APRIL
    assert [(line.agreement_id, line.days, line.amount) for line in run.lines.all()] == [
        (paid.pk, 14, Decimal("200.00"))
    ]
    assert [e.kind for e in payment_run_exceptions(run=run)] == ["Starter"]
    assert run.events.get().to_status == S.DRAFT


def test_preparing_twice_gives_the_same_run_and_no_duplicates(council, preparer):
    AgreementFactory.create_batch(3, client__organisation=council)
    first = payment_run_prepare(organisation=council, month=APRIL, by=preparer)
    second = payment_run_prepare(organisation=council, month=APRIL, by=preparer)
    assert first.pk == second.pk
    assert PaymentRun.objects.count() == 1
    assert PaymentLine.objects.count() == 3


def test_draft_is_recalculated_but_submitted_run_is_not(council, preparer):
    agreement = AgreementFactory(client=ClientFactory(organisation=council))
    run = payment_run_prepare(organisation=council, month=APRIL, by=preparer)
    Agreement.objects.filter(pk=agreement.pk).update(weekly_budget=Decimal("70.00"))
    run = payment_run_prepare(organisation=council, month=APRIL, by=preparer)
    assert run.lines.get().amount == Decimal("300.00")
    payment_run_submit(run_id=run.pk, by=preparer)
    Agreement.objects.filter(pk=agreement.pk).update(weekly_budget=Decimal("140.00"))
    run = payment_run_prepare(organisation=council, month=APRIL, by=preparer)
    assert run.status == S.SUBMITTED
    assert run.lines.get().amount == Decimal("300.00")


def test_changed_weekly_amount_is_an_exception_and_month_length_is_not(council, preparer, approver):
    agreement = AgreementFactory(client=ClientFactory(organisation=council), weekly_budget=Decimal("70.00"))
    steady = AgreementFactory(client=ClientFactory(organisation=council), weekly_budget=Decimal("70.00"))
    payment_run_prepare(organisation=council, month=date(2026, 3, 1), by=preparer)
    Agreement.objects.filter(pk=agreement.pk).update(weekly_budget=Decimal("84.00"))
    run = payment_run_prepare(organisation=council, month=APRIL, by=preparer)
    found = payment_run_exceptions(run=run)
    # March £310.00 (31 days) → April £300.00 (30 days) for `steady` is only the month's length.
    assert [(e.kind, e.agreement_id) for e in found] == [("Weekly amount changed", agreement.pk)]
    assert found[0].detail == "£70.00 a week last month, £84.00 now"
    assert steady.pk not in [e.agreement_id for e in found]


def test_database_refuses_a_second_live_payment_for_the_same_agreement_and_period(council):
    agreement = AgreementFactory(client=ClientFactory(organisation=council))
    run = PaymentRun.objects.create(organisation=council, month=APRIL)
    PaymentLine.objects.create(run=run, agreement=agreement, period=APRIL, amount=Decimal("10.00"), days=1)
    other = PaymentRun.objects.create(organisation=council, month=APRIL, status=S.CANCELLED)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentLine.objects.create(run=other, agreement=agreement, period=APRIL, amount=Decimal("10.00"), days=1)
    # an adjustment, or a line of a cancelled run, is allowed
    PaymentLine.objects.create(run=run, agreement=agreement, period=APRIL, amount=Decimal("-5.00"), kind="adjustment")
    PaymentLine.objects.create(
        run=other, agreement=agreement, period=APRIL, amount=Decimal("1.00"), days=1, is_live=False
    )


def test_database_refuses_a_second_live_run_for_the_month(council):
    PaymentRun.objects.create(organisation=council, month=APRIL)
    with pytest.raises(IntegrityError):
        PaymentRun.objects.create(organisation=council, month=APRIL)


def test_cancelled_run_frees_the_month_for_a_new_run(council, preparer):
    AgreementFactory(client=ClientFactory(organisation=council))
    run = payment_run_prepare(organisation=council, month=APRIL, by=preparer)
    payment_run_cancel(run_id=run.pk, by=preparer)
    again = payment_run_prepare(organisation=council, month=APRIL, by=preparer)
    assert again.pk != run.pk
    assert PaymentLine.objects.filter(is_live=True).count() == 1


# --- state machine ---

ALL = list(S)
LEGAL = [(a, b) for a in ALL for b in sorted(TRANSITIONS[a])]
ILLEGAL = [(a, b) for a in ALL for b in ALL if b not in TRANSITIONS[a]]


@pytest.mark.parametrize(("start", "to"), LEGAL)
def test_every_legal_transition(start, to, council, preparer, approver):
    run = _run_in(start, council=council, preparer=preparer, approver=approver)
    by = approver if to == S.APPROVED else preparer
    run = payment_run_transition(run_id=run.pk, to=to, by=by)
    assert run.status == to
    assert run.events.last().from_status == start
    assert run.events.last().to_status == to


@pytest.mark.parametrize(("start", "to"), ILLEGAL)
def test_every_illegal_transition_is_refused(start, to, council, preparer, approver):
    run = _run_in(start, council=council, preparer=preparer, approver=approver)
    events = run.events.count()
    with pytest.raises(InvalidTransition):
        payment_run_transition(run_id=run.pk, to=to, by=approver)
    run.refresh_from_db()
    assert run.status == start
    assert run.events.count() == events


def test_four_eyes_preparer_cannot_approve_even_with_the_role(council, user_with_roles):
    both = user_with_roles(council, Role.FINANCE_OFFICER, Role.FINANCE_APPROVER)
    AgreementFactory(client=ClientFactory(organisation=council))
    run = payment_run_prepare(organisation=council, month=APRIL, by=both)
    payment_run_submit(run_id=run.pk, by=both)
    with pytest.raises(FourEyesError, match="someone else"):
        payment_run_approve(run_id=run.pk, by=both)
    run.refresh_from_db()
    assert run.status == S.SUBMITTED


def test_four_eyes_needs_the_approver_role(council, preparer, user_with_roles):
    colleague = user_with_roles(council, Role.FINANCE_OFFICER)
    run = _run_in(S.SUBMITTED, council=council, preparer=preparer, approver=None)
    with pytest.raises(FourEyesError, match="finance approver"):
        payment_run_approve(run_id=run.pk, by=colleague)


def test_database_refuses_approver_who_prepared(council, preparer):
    run = PaymentRun.objects.create(organisation=council, month=APRIL, prepared_by=preparer)
    with pytest.raises(IntegrityError):
        PaymentRun.objects.filter(pk=run.pk).update(approved_by=preparer)


def test_full_life_records_people_and_times(council, preparer, approver):
    run = _run_in(S.SUBMITTED, council=council, preparer=preparer, approver=approver)
    run = payment_run_approve(run_id=run.pk, by=approver)
    run = payment_run_export(run_id=run.pk, by=preparer)
    run = payment_run_mark_paid(run_id=run.pk, by=approver)
    assert (run.prepared_by, run.submitted_by, run.approved_by) == (preparer, preparer, approver)
    assert run.approved_at and run.exported_at and run.paid_at
    assert list(PaymentRunEvent.objects.filter(run=run).values_list("to_status", flat=True)) == [
        "draft",
        "submitted",
        "approved",
        "exported",
        "paid",
    ]


def test_empty_run_cannot_be_submitted(council, preparer):
    run = payment_run_prepare(organisation=council, month=APRIL, by=preparer)
    with pytest.raises(InvalidTransition, match="nothing to pay"):
        payment_run_submit(run_id=run.pk, by=preparer)


# --- concurrency, against PostgreSQL ---


def _at_once(count, work):
    barrier = threading.Barrier(count)
    errors = []

    def target():
        try:
            barrier.wait()
            work()
        except Exception as exc:
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=target) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_two_workers_preparing_at_once_give_one_run_and_one_line_each(council, preparer):
    agreements = AgreementFactory.create_batch(5, client__organisation=council)
    errors = _at_once(4, lambda: payment_run_prepare(organisation=council, month=APRIL, by=preparer))
    assert errors == []
    assert PaymentRun.objects.count() == 1
    assert sorted(PaymentLine.objects.values_list("agreement_id", flat=True)) == sorted(a.pk for a in agreements)


@pytest.mark.django_db(transaction=True)
def test_two_approvers_at_once_approve_once(council, preparer, user_with_roles):
    approvers = [user_with_roles(council, Role.FINANCE_APPROVER) for _ in range(2)]
    AgreementFactory(client=ClientFactory(organisation=council))
    run = payment_run_prepare(organisation=council, month=APRIL, by=preparer)
    payment_run_submit(run_id=run.pk, by=preparer)
    people = iter(approvers)
    lock = threading.Lock()

    def approve():
        with lock:
            who = next(people)
        payment_run_approve(run_id=run.pk, by=who)

    errors = _at_once(2, approve)
    assert len(errors) == 1 and isinstance(errors[0], InvalidTransition)
    assert PaymentRunEvent.objects.filter(run=run, to_status=S.APPROVED).count() == 1
