"""Prepaid-card balances and surpluses, reviews and their reminders."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import Notification
from directpayments.due_dates import first_annual_due, next_annual_due, six_week_due
from directpayments.models import Agreement, BalanceImport, CardBalance, Review, ReviewReminder
from directpayments.selectors import (
    card_surplus_list_for_user,
    direct_payment_take_up_for_user,
    review_overdue_list_for_user,
)
from directpayments.services import (
    agreement_activate,
    agreement_create,
    card_balances_import,
    review_complete,
    review_reminders_send,
    reviews_schedule,
    surplus_for,
)
from directpayments.tasks import review_reminders_send_task
from partnerships.models import Role
from tests.referrals.factories import ClientFactory

from .factories import AgreementFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


def _card(council, reference, budget="150.00", contribution="26.55", weeks=6):
    return AgreementFactory(
        client=ClientFactory(organisation=council),
        prepaid_card=True,
        card_reference=reference,
        weekly_budget=Decimal(budget),
        weekly_contribution=Decimal(contribution),
        contingency_weeks=weeks,
    )


# --- surplus and the import ---


def test_surplus_rule():
    # 6 weeks × £123.45 = £740.70 allowed; £1,000.00 − £740.70 = £259.30 surplus
    assert surplus_for(balance=Decimal("1000.00"), contingency_weeks=6, weekly=Decimal("123.45")) == (
        Decimal("740.70"),
        Decimal("259.30"),
    )
    assert surplus_for(balance=Decimal("500"), contingency_weeks=4, weekly=Decimal("125"))[1] == Decimal("0.00")


def test_import_keeps_good_rows_and_reports_bad_ones_by_line(council, other_organisation, preparer):
    _card(council, "PC-1001")  # net £123.45, 6 weeks: £740.70 allowed
    _card(council, "PC-1002", budget="100.00", contribution="0", weeks=4)  # £400.00 allowed
    _card(other_organisation, "PC-9999")
    content = (
        "card_reference,balance,date\r\n"
        "PC-1001,1000.00,2026-10-31\r\n"  # line 2: good, surplus £259.30
        "PC-1002,£350.00,31/10/2026\r\n"  # line 3: good, no surplus
        "PC-4040,10.00,2026-10-31\r\n"  # line 4: unknown card
        "PC-1002,ten pounds,2026-10-31\r\n"  # line 5: not money
        "PC-1002,12.00,31 October\r\n"  # line 6: not a date
        "PC-1002,12.00\r\n"  # line 7: a column missing
        "\r\n"  # line 8: blank, skipped
        "PC-9999,5000,2026-10-31\r\n"  # line 9: another organisation's card
        "PC-1001,900.00,2026-10-31\r\n"  # line 10: same card and day as line 2
        "PC-1001,900.00,2027-01-01\r\n"  # line 11: in the future
    )
    result = card_balances_import(organisation=council, content=content.encode(), by=preparer, on=TODAY)
    assert result.saved == 2
    assert [line for line, _ in result.errors] == [4, 5, 6, 7, 9, 10, 11]
    reasons = dict(result.errors)
    assert "PC-4040" in reasons[4] and "not an amount" in reasons[5] and "not a date" in reasons[6]
    assert "found 2" in reasons[7] and "line 2" in reasons[10] and "future" in reasons[11]
    first = CardBalance.objects.get(agreement__card_reference="PC-1001")
    assert (first.balance, first.allowed, first.surplus, first.is_surplus) == (
        Decimal("1000.00"),
        Decimal("740.70"),
        Decimal("259.30"),
        True,
    )
    assert CardBalance.objects.get(agreement__card_reference="PC-1002").surplus == Decimal("-50.00")
    record = BalanceImport.objects.get()
    assert (record.rows_read, record.rows_saved, len(record.errors)) == (9, 2, 7)


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",  # not text
        b"reference,amount,when\r\nPC-1001,1000.00,2026-10-31\r\n",  # wrong header
        b"",  # empty
        b'card_reference,balance,date\r\n"PC-1001,1000.00,2026-10-31\r\n',  # an unclosed quote: the file is broken
    ],
)
def test_broken_file_saves_nothing(council, preparer, content):
    _card(council, "PC-1001")
    with pytest.raises(ValidationError):
        card_balances_import(organisation=council, content=content, by=preparer, on=TODAY)
    assert not CardBalance.objects.exists()
    assert not BalanceImport.objects.exists()


def test_reimport_replaces_the_days_balance(council, preparer):
    _card(council, "PC-1001")
    card_balances_import(
        organisation=council, content="card_reference,balance,date\nPC-1001,10,2026-10-31\n", by=preparer, on=TODAY
    )
    card_balances_import(
        organisation=council, content="card_reference,balance,date\nPC-1001,800,2026-10-31\n", by=preparer, on=TODAY
    )
    assert CardBalance.objects.get().surplus == Decimal("59.30")


def test_surplus_list_shows_latest_positive_balances(council, preparer):
    _card(council, "PC-1001")
    _card(council, "PC-1002")
    card_balances_import(
        organisation=council,
        content="card_reference,balance,date\n"
        "PC-1001,2000,2026-09-30\nPC-1001,100,2026-10-31\n"  # was a surplus, no longer
        "PC-1002,100,2026-09-30\nPC-1002,800,2026-10-31\n",  # now £59.30 over
        by=preparer,
        on=TODAY,
    )
    surpluses = list(card_surplus_list_for_user(user=preparer))
    assert [(b.agreement.card_reference, b.surplus) for b in surpluses] == [("PC-1002", Decimal("59.30"))]


# --- reviews ---


def test_due_dates():
    assert six_week_due(date(2026, 4, 17)) == date(2026, 5, 29)  # 42 days
    assert first_annual_due(date(2026, 4, 17)) == date(2026, 10, 17)  # within 6 months of the start
    assert first_annual_due(date(2026, 8, 31)) == date(2027, 2, 28)  # no 31 February
    assert next_annual_due(date(2028, 2, 29)) == date(2029, 2, 28)  # no more than 12 months


def test_activation_schedules_reviews_once(council, preparer):
    agreement = agreement_create(
        client=ClientFactory(organisation=council),
        by=preparer,
        start_date=date(2026, 4, 17),
        weekly_budget=Decimal("100"),
        account_type=Agreement.AccountType.MANAGED_ACCOUNT,
        provider="Penderels",
    )
    agreement_activate(agreement_id=agreement.pk, by=preparer)
    reviews_schedule(agreement=agreement)  # again: nothing new
    assert sorted(agreement.reviews.values_list("kind", "due_on")) == [
        ("annual", date(2026, 10, 17)),
        ("six_week", date(2026, 5, 29)),
    ]


def test_completing_the_annual_review_schedules_the_next(council, preparer):
    agreement = AgreementFactory(client=ClientFactory(organisation=council), start_date=date(2026, 4, 17))
    reviews_schedule(agreement=agreement)
    annual = agreement.reviews.get(kind=Review.Kind.ANNUAL)
    with time_machine.travel(TODAY):
        review_complete(review_id=annual.pk, by=preparer, completed_on=date(2026, 10, 1))
        with pytest.raises(ValidationError):
            review_complete(review_id=annual.pk, by=preparer, completed_on=date(2026, 10, 1))
    waiting = agreement.reviews.get(kind=Review.Kind.ANNUAL, completed_on__isnull=True)
    assert waiting.due_on == date(2027, 10, 1)


def test_overdue_list(council, other_organisation, preparer):
    mine = AgreementFactory(client=ClientFactory(organisation=council), start_date=date(2026, 4, 17))
    ended = AgreementFactory(
        client=ClientFactory(organisation=council), start_date=date(2026, 1, 1), status=Agreement.Status.ENDED
    )
    theirs = AgreementFactory(client=ClientFactory(organisation=other_organisation), start_date=date(2026, 1, 1))
    for agreement in (mine, ended, theirs):
        reviews_schedule(agreement=agreement)
    overdue = list(review_overdue_list_for_user(user=preparer, today=TODAY))
    assert [(r.agreement_id, r.kind) for r in overdue] == [(mine.pk, "six_week"), (mine.pk, "annual")]


def test_reminders_go_once_per_agreement_and_due_date(council, preparer, user_with_roles):
    approver = user_with_roles(council, Role.FINANCE_APPROVER)  # not told: reviews are the officers' work
    agreement = AgreementFactory(client=ClientFactory(organisation=council), start_date=date(2026, 4, 17))
    reviews_schedule(agreement=agreement)
    assert review_reminders_send(today=date(2026, 5, 29)) == 0  # due today: not overdue yet
    assert review_reminders_send(today=TODAY) == 2
    assert review_reminders_send(today=TODAY) == 0
    with time_machine.travel(TODAY):
        assert review_reminders_send_task() == 0
    assert ReviewReminder.objects.count() == 2
    assert Notification.objects.filter(recipient=preparer).count() == 2
    assert not Notification.objects.filter(recipient=approver).exists()
    # a new due date (the annual review done late, the next one overdue a year on) is reminded again
    annual = agreement.reviews.get(kind=Review.Kind.ANNUAL, completed_on__isnull=True)
    with time_machine.travel(TODAY):
        review_complete(review_id=annual.pk, by=preparer, completed_on=TODAY)
    assert review_reminders_send(today=date(2027, 11, 24)) == 1


# --- the daily beat entry for review reminders ---


def test_review_reminders_are_on_the_daily_beat(settings):
    from celery.schedules import crontab

    entry = settings.CELERY_BEAT_SCHEDULE["direct-payments-review-reminders"]
    assert entry["task"] == "directpayments.tasks.review_reminders_send_task"
    assert entry["schedule"] == crontab(hour=7, minute=10)  # every day


def test_review_reminders_task_is_idempotent_through_celery(council, preparer):
    # given two overdue reviews (the 6-week check due 29 May, the annual review due 17 October 2026)
    agreement = AgreementFactory(client=ClientFactory(organisation=council), start_date=date(2026, 4, 17))
    reviews_schedule(agreement=agreement)
    with time_machine.travel(TODAY):
        # when the task runs twice through Celery (eager in tests)
        first = review_reminders_send_task.delay().get()
        second = review_reminders_send_task.delay().get()
    # then the officer is told once per review
    assert (first, second) == (2, 0)
    assert sorted(ReviewReminder.objects.values_list("kind", "due_on")) == [
        ("annual", date(2026, 10, 17)),
        ("six_week", date(2026, 5, 29)),
    ]
    assert Notification.objects.filter(recipient=preparer).count() == 2


# --- take-up on the finance home page ---


def _complete_assessment(client, by, care_cost):
    from assessments.models import Assessment, RatesYear

    return Assessment.objects.create(
        client=client,
        organisation=client.organisation,
        status=Assessment.Status.COMPLETE,
        effective_date=date(2026, 4, 6),
        weekly_care_cost=Decimal(care_cost),
        weekly_charge=Decimal("10.00"),
        rates=RatesYear.objects.order_by("-start_year", "-version").first(),
        assessor=by,
    )


def test_take_up_is_clients_with_a_direct_payment_over_clients_with_community_services(
    client, council, other_organisation, preparer
):
    from assessments.models import Assessment

    # given 10 clients with care at home costing something (complete assessments)
    people = [ClientFactory(organisation=council) for _ in range(10)]
    for person in people:
        _complete_assessment(person, preparer, "250.00")
    # of whom 3 have a live direct payment (one of them suspended) and one an ended one
    AgreementFactory(client=people[0])
    AgreementFactory(client=people[1])
    AgreementFactory(client=people[2], status=Agreement.Status.SUSPENDED)
    AgreementFactory(client=people[3], status=Agreement.Status.ENDED, end_date=date(2026, 6, 30))
    # a client with a direct payment but no assessment recorded still has community services
    AgreementFactory(client=ClientFactory(organisation=council))
    # not counted: no care cost, a draft assessment, set-up agreements, another council's clients
    _complete_assessment(ClientFactory(organisation=council), preparer, "0.00")
    draft = _complete_assessment(ClientFactory(organisation=council), preparer, "300.00")
    Assessment.objects.filter(pk=draft.pk).update(status=Assessment.Status.DRAFT)
    AgreementFactory(client=ClientFactory(organisation=council), status=Agreement.Status.SETUP)
    AgreementFactory(client=ClientFactory(organisation=other_organisation))
    # when
    take_up = direct_payment_take_up_for_user(user=preparer, today=TODAY)
    # then 4 of 11 = 36.4%, above the 30% target
    assert (take_up.with_direct_payment, take_up.with_community_services) == (4, 11)
    assert take_up.percent == Decimal("36.4") and take_up.meets_target
    with time_machine.travel(TODAY):
        client.force_login(preparer)
        page = client.get(reverse("directpayments:finance-home")).content.decode()
    assert "36.4%" in page and "At or above the 30% target" in page
    assert "4 of 11 clients with community services have a direct payment" in page


def test_take_up_below_target_and_with_nobody(council, preparer):
    assert direct_payment_take_up_for_user(user=preparer, today=TODAY).percent is None
    people = [ClientFactory(organisation=council) for _ in range(7)]
    for person in people:
        _complete_assessment(person, preparer, "120.50")
    AgreementFactory(client=people[0])
    AgreementFactory(client=people[1])
    take_up = direct_payment_take_up_for_user(user=preparer, today=TODAY)
    assert (take_up.percent, take_up.meets_target) == (Decimal("28.6"), False)  # 2 of 7
