"""Surplus recovery with written notice: the letter, the notice period, then the recovery through the run.

Worked example: a prepaid card, weekly budget £150.00 less contribution £26.55 = £123.45 net a week,
contingency 6 weeks = £740.70 allowed. A balance of £1,000.00 on 31 October 2026 is £259.30 over.
Notice given on 3 November 2026 + 28 days = recoverable from 1 December 2026. December 2026 pays
£123.45 × 31 ÷ 7 = £546.71; January 2027 the same; February 2027 £123.45 × 28 ÷ 7 = £493.80.
"""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from directpayments import letters, services
from directpayments.models import Adjustment, Agreement, CardBalance, PaymentLine, SurplusNotice
from directpayments.services import card_balances_import, payment_run_prepare
from partnerships.models import Role
from tests.pdfs import pdf_fonts, pdf_pages, pdf_text
from tests.referrals.factories import ClientFactory

from .factories import AgreementFactory

pytestmark = pytest.mark.django_db
ISSUED = date(2026, 11, 3)
RECOVERABLE = date(2026, 12, 1)
DECEMBER, JANUARY, FEBRUARY = date(2026, 12, 1), date(2027, 1, 1), date(2027, 2, 1)


@pytest.fixture
def preparer(preparer):
    """The finance officer who signs the letters: Dana Shaw."""
    preparer.first_name, preparer.last_name = "Dana", "Shaw"
    preparer.save()
    return preparer


@pytest.fixture
def card(council):
    return AgreementFactory(
        client=ClientFactory(
            organisation=council, first_name="Edith", last_name="Morley", address_line_1="4 Mill Lane", town="Hexham"
        ),
        prepaid_card=True,
        card_reference="PC-1001",
        weekly_budget=Decimal("150.00"),
        weekly_contribution=Decimal("26.55"),
        start_date=date(2026, 1, 1),
    )


def _balance(council, preparer, amount: str) -> CardBalance:
    card_balances_import(
        organisation=council,
        content=f"card_reference,balance,date\nPC-1001,{amount},2026-10-31\n",
        by=preparer,
        on=ISSUED,
    )
    return CardBalance.objects.get(balance_on=date(2026, 10, 31))


def _issue(card, balance, preparer, **kwargs) -> SurplusNotice:
    with time_machine.travel(ISSUED):
        return services.surplus_notice_issue(agreement=card, card_balance=balance, by=preparer, **kwargs)


def _schedule(notice, preparer, on):
    with time_machine.travel(on):
        return services.surplus_recovery_schedule(notice_id=notice.pk, by=preparer)


def _lines(run, agreement):
    return sorted((line.kind, line.amount) for line in run.lines.filter(agreement=agreement))


def test_notice_records_amount_dates_and_the_letter(council, card, preparer):
    # given a card £259.30 over its contingency
    balance = _balance(council, preparer, "1000.00")
    # when notice is given on 3 November 2026
    notice = _issue(card, balance, preparer)
    # then it is recorded with the amount and the dates, and the letter says so
    assert (notice.amount, notice.balance, notice.allowed) == (Decimal("259.30"), Decimal("1000.00"), Decimal("740.70"))
    assert (notice.issued_on, notice.notice_days, notice.recoverable_from) == (ISSUED, 28, RECOVERABLE)
    assert notice.issued_by == preparer and notice.status == SurplusNotice.Status.ISSUED
    html = notice.letter_html
    for words in (
        "Edith Morley",
        "4 Mill Lane",
        "3 November 2026",  # the date of the notice
        "Surplus to recover: £259.30",
        "On 31 October 2026 your direct payment card held £1,000.00. That is £259.30 more than you may keep.",
        "up to 6 weeks of payments (£740.70)",
        "From 1 December 2026 we will take £259.30 off your direct payments",
        "28 days after the date of this letter",
        "If you disagree",
        "contact Northshire County Council before 1 December 2026",
        "Dana Shaw",
    ):
        assert words in html
    # the PDF is stored with it
    assert notice.letter_pdf.name.startswith("directpayments/surplus-notices/")
    assert notice.letter_pdf.read().startswith(b"%PDF")
    notice.letter_pdf.close()
    # the PDF says the same, word for word
    text = pdf_text(letters.letter_pdf(notice, compress=False))
    for words in (
        "Edith Morley",
        "Surplus to recover: £259.30",
        "On 31 October 2026 your direct payment card held £1,000.00. That is £259.30 more than you may keep.",
        "From 1 December 2026 we will take £259.30 off your direct payments",
        "contact Northshire County Council before 1 December 2026",
    ):
        assert words in text


@pytest.mark.parametrize(
    ("client_name", "nominated_person"),
    [
        (("Łukasz", "Wiśniewski-Ó'Briain"), "Llŷr ap Siôn"),
        (("Γιώργος", "Παπαδόπουλος"), ""),
        (("Олена", "Шевченко"), "Дмитрий Ёлкин"),
    ],
)
def test_notice_pdf_holds_names_in_any_script_as_typed(council, card, preparer, client_name, nominated_person):
    # given a card holder (and their nominated person) named in Latin Extended, Greek or Cyrillic letters
    card.client.first_name, card.client.last_name = client_name
    card.client.address_line_1 = "Tŷ Ŵy, Ffordd Llŷr"
    card.client.save()
    card.nominated_person = nominated_person
    card.save()
    council.address, council.phone = "County Hall\nNorthtown NT1 1AA", "01632 960 000"
    council.save()
    # when notice of a surplus is given
    notice = _issue(card, _balance(council, preparer, "1000.00"), preparer)
    with notice.letter_pdf.open("rb") as stored:
        content = stored.read()
    # then the stored PDF's text holds the names as typed, from the embedded font, and pages are numbered
    text = pdf_text(content)
    full_name = " ".join(client_name)
    addressee = nominated_person or full_name
    # to the nominated person if there is one, with the card holder's name and address under theirs
    recipient = [addressee, *([full_name] if nominated_person else []), "Tŷ Ŵy, Ffordd Llŷr"]
    assert " ".join(recipient) in text
    assert f"Dear {addressee}," in text
    assert "County Hall Northtown NT1 1AA Phone: 01632 960 000" in text
    assert "■" not in text
    assert pdf_fonts(content) == {"NotoSans-Regular": True, "NotoSans-Bold": True}
    pages = pdf_pages(content)
    for number, page in enumerate(pages, start=1):
        assert " ".join(page.split()).endswith(f"Page {number} of {len(pages)}")


def test_notice_period_from_setting(settings, council, card, preparer):
    settings.DIRECT_PAYMENTS_SURPLUS_NOTICE_DAYS = 14
    notice = _issue(card, _balance(council, preparer, "1000.00"), preparer)
    assert (notice.notice_days, notice.recoverable_from) == (14, date(2026, 11, 17))
    assert "14 days after the date of this letter" in notice.letter_html


def test_recovery_refused_before_the_notice_period_has_passed(council, card, preparer):
    notice = _issue(card, _balance(council, preparer, "1000.00"), preparer)
    # the day before: refused, with the date it can be done
    with pytest.raises(ValidationError) as refused:
        _schedule(notice, preparer, date(2026, 11, 30))
    assert refused.value.messages == [
        "Notice was given on 3 November 2026, so the surplus cannot be recovered until 1 December 2026 "
        "(28 days' notice)."
    ]
    assert not Adjustment.objects.exists()
    # and the database refuses it too
    with pytest.raises(IntegrityError), transaction.atomic():
        SurplusNotice.objects.filter(pk=notice.pk).update(scheduled_on=date(2026, 11, 30))
    with pytest.raises(IntegrityError), transaction.atomic():
        SurplusNotice.objects.filter(pk=notice.pk).update(recoverable_from=date(2026, 11, 20))


def test_recovered_through_the_next_run_once_the_period_has_passed(council, card, preparer):
    notice = _issue(card, _balance(council, preparer, "1000.00"), preparer)
    # when the recovery is scheduled on 1 December 2026
    notice = _schedule(notice, preparer, RECOVERABLE)
    # then a surplus recovery of £259.30 waits for the run for December
    adjustment = notice.adjustment
    assert (adjustment.kind, adjustment.amount, adjustment.takes_effect_on) == (
        Adjustment.Kind.RECOVERY,
        Decimal("259.30"),
        RECOVERABLE,
    )
    assert notice.status == SurplusNotice.Status.SCHEDULED and notice.scheduled_on == RECOVERABLE
    december = payment_run_prepare(organisation=council, month=DECEMBER, by=preparer)
    assert _lines(december, card) == [("adjustment", Decimal("-259.30")), ("regular", Decimal("546.71"))]
    # scheduling again does nothing more
    with pytest.raises(ValidationError, match="recovery scheduled"):
        _schedule(notice, preparer, RECOVERABLE)
    assert Adjustment.objects.count() == 1


def test_recovery_never_takes_a_payment_below_zero_and_carries_the_rest(council, card, preparer):
    # £2,000.00 − £740.70 = £1,259.30 to recover
    notice = _schedule(_issue(card, _balance(council, preparer, "2000.00"), preparer), preparer, RECOVERABLE)
    assert notice.amount == Decimal("1259.30")
    december = payment_run_prepare(organisation=council, month=DECEMBER, by=preparer)
    january = payment_run_prepare(organisation=council, month=JANUARY, by=preparer)
    february = payment_run_prepare(organisation=council, month=FEBRUARY, by=preparer)
    # December and January pay nothing; £1,259.30 − 2 × £546.71 = £165.88 is left for February
    assert _lines(december, card) == [("adjustment", Decimal("-546.71")), ("regular", Decimal("546.71"))]
    assert _lines(january, card) == [("adjustment", Decimal("-546.71")), ("regular", Decimal("546.71"))]
    assert _lines(february, card) == [("adjustment", Decimal("-165.88")), ("regular", Decimal("493.80"))]
    recovered = PaymentLine.objects.filter(agreement=card, kind=PaymentLine.Kind.ADJUSTMENT)
    assert sum(line.amount for line in recovered) == Decimal("-1259.30")


def test_a_smaller_amount_can_be_agreed_but_not_more_than_the_surplus(council, card, preparer):
    balance = _balance(council, preparer, "1000.00")
    with pytest.raises(ValidationError) as refused:
        _issue(card, balance, preparer, amount=Decimal("259.31"))
    assert refused.value.message_dict == {"amount": ["Enter no more than the surplus, £259.30"]}
    notice = _issue(card, balance, preparer, amount=Decimal("200.00"))
    assert notice.amount == Decimal("200.00")
    assert "That is £259.30 more than you may keep. We will recover £200.00 of it." in notice.letter_html


def test_one_notice_per_surplus_until_withdrawn(council, card, preparer):
    balance = _balance(council, preparer, "1000.00")
    first = _issue(card, balance, preparer)
    with pytest.raises(ValidationError, match="already been given"):
        _issue(card, balance, preparer)
    with time_machine.travel(ISSUED):
        with pytest.raises(ValidationError):
            services.surplus_notice_withdraw(notice_id=first.pk, by=preparer, reason=" ")
        services.surplus_notice_withdraw(notice_id=first.pk, by=preparer, reason="Invoices for October care unpaid")
    # a withdrawn notice recovers nothing, and cannot be scheduled
    with pytest.raises(ValidationError, match="withdrawn"):
        _schedule(first, preparer, RECOVERABLE)
    assert _issue(card, balance, preparer).pk != first.pk
    assert first.history.count() == 2  # issued, withdrawn


def test_no_notice_without_a_surplus_or_for_an_ended_agreement(council, card, preparer):
    with pytest.raises(ValidationError, match="nothing to recover"):
        _issue(card, _balance(council, preparer, "740.70"), preparer)  # exactly the contingency
    balance = _balance(council, preparer, "1000.00")
    Agreement.objects.filter(pk=card.pk).update(status=Agreement.Status.ENDED)
    card.refresh_from_db()
    with pytest.raises(ValidationError, match="ended"):
        _issue(card, balance, preparer)


# --- pages ---


def test_give_notice_print_and_schedule_through_the_pages(client, council, card, preparer):
    balance = _balance(council, preparer, "1000.00")
    client.force_login(preparer)
    with time_machine.travel(ISSUED):
        surpluses = client.get(reverse("directpayments:surplus-list")).content.decode()
        create_url = reverse("directpayments:surplus-notice-create", args=[card.pk]) + f"?balance={balance.pk}"
        assert create_url in surpluses
        page = client.get(create_url)
        assert page.status_code == 200 and "not before 1 December 2026" in page.content.decode()
        response = client.post(create_url, {"amount": "259.30"})
    notice = SurplusNotice.objects.get()
    assert response.status_code == 302 and response["Location"] == notice.get_absolute_url()
    with time_machine.travel(date(2026, 11, 30)):
        client.force_login(preparer)  # a new day, a new session
        page = client.get(notice.get_absolute_url()).content.decode()
        assert "Surplus to recover: £259.30" in page and "can be scheduled from 1 December 2026" in page
        assert "Schedule the recovery" not in page
        pdf = client.get(reverse("directpayments:surplus-notice-pdf", args=[notice.pk]))
        assert pdf["Content-Type"] == "application/pdf" and b"".join(pdf.streaming_content).startswith(b"%PDF")
        # posting early is refused with the reason
        client.post(reverse("directpayments:surplus-notice-schedule", args=[notice.pk]))
        assert not Adjustment.objects.exists()
        # the surplus list now links to the notice instead of offering another
        assert "Notice given" in client.get(reverse("directpayments:surplus-list")).content.decode()
    with time_machine.travel(RECOVERABLE):
        client.force_login(preparer)
        assert "Ready to recover" in client.get(reverse("directpayments:surplus-notice-list")).content.decode()
        assert "Schedule the recovery" in client.get(notice.get_absolute_url()).content.decode()
        client.post(reverse("directpayments:surplus-notice-schedule", args=[notice.pk]))
    notice.refresh_from_db()
    assert notice.status == SurplusNotice.Status.SCHEDULED and notice.adjustment.amount == Decimal("259.30")


def test_notice_pages_are_the_councils_finance_staff_only(
    client, council, other_organisation, card, preparer, user_with_roles
):
    notice = _issue(card, _balance(council, preparer, "1000.00"), preparer)
    stranger = user_with_roles(other_organisation, Role.FINANCE_OFFICER)
    client.force_login(stranger)
    assert client.get(notice.get_absolute_url()).status_code == 404
    assert client.get(reverse("directpayments:surplus-notice-pdf", args=[notice.pk])).status_code == 404
    assert client.post(reverse("directpayments:surplus-notice-schedule", args=[notice.pk])).status_code == 404
    approver = user_with_roles(council, Role.FINANCE_APPROVER)
    client.force_login(approver)
    assert client.get(notice.get_absolute_url()).status_code == 200  # approvers may read
    assert client.post(reverse("directpayments:surplus-notice-schedule", args=[notice.pk])).status_code == 403
    visiting = user_with_roles(council, Role.VISITING_OFFICER)
    client.force_login(visiting)
    assert client.get(notice.get_absolute_url()).status_code == 403


def test_notice_list_bounded_queries(client, council, preparer, django_assert_max_num_queries):
    for n in range(8):
        agreement = AgreementFactory(
            client=ClientFactory(organisation=council),
            prepaid_card=True,
            card_reference=f"PC-{n}",
        )
        balance = CardBalance.objects.create(
            agreement=agreement,
            balance_on=date(2026, 10, 31),
            balance=Decimal("1000.00"),
            allowed=Decimal("600.00"),
            surplus=Decimal("400.00"),
        )
        _issue(agreement, balance, preparer)
    client.force_login(preparer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("directpayments:surplus-notice-list"))
    assert response.content.decode().count("£400.00") == 8
    with django_assert_max_num_queries(12):
        response = client.get(reverse("directpayments:surplus-list"))
    assert response.content.decode().count("Notice given") == 8
