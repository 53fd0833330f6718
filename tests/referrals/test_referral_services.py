import re
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from core.models import Notification
from partnerships.models import Role
from referrals.models import Referral, ReferralEvent
from referrals.selectors import client_list_for_user
from referrals.services import (
    BenefitResult,
    InvalidTransition,
    referral_accept,
    referral_assign,
    referral_close,
    referral_complete,
    referral_create_and_send,
    referral_may_assign,
    referral_moves_for,
    referral_reject,
    referral_send,
    referral_start,
    referral_withdraw,
)
from tests.partnerships.factories import (
    AgreementFactory,
    OrganisationFactory,
    PartnershipFactory,
    RoutingRuleFactory,
    ServiceLevelFactory,
)
from tests.referrals.factories import SENT_ON, ClientFactory, ConsentFactory, referral_draft, referral_sent

pytestmark = pytest.mark.django_db

Status = Referral.Status


def test_sending_outside_without_consent_is_refused_and_nothing_changes(edith, officer, pension):
    referral = referral_draft(edith, officer, pension)
    with pytest.raises(ValidationError) as excinfo:
        referral_send(referral_id=referral.pk, by=officer, on=date(2026, 11, 23))
    assert (
        "Edith Wainwright has not given consent to share with The Pension Service for benefit check and claims"
        in (excinfo.value.message_dict["consent"][0])
    )
    referral.refresh_from_db()
    assert (referral.status, referral.reference, referral.sent_at) == (Status.DRAFT, None, None)


def test_consent_for_another_purpose_or_organisation_does_not_cover(edith, officer, pension):
    ConsentFactory(client=edith, organisations=[pension], purposes=["financial_assessment"])
    ConsentFactory(client=edith, organisations=[OrganisationFactory()], purposes=["benefit_check"])
    referral = referral_draft(edith, officer, pension)
    with pytest.raises(ValidationError):
        referral_send(referral_id=referral.pk, by=officer, on=date(2026, 11, 23))


def test_withdrawn_consent_no_longer_covers(edith, officer, pension):
    consent = ConsentFactory(client=edith, organisations=[pension], withdrawn_on=date(2026, 11, 1))
    referral = referral_draft(edith, officer, pension, consent=consent)
    with pytest.raises(ValidationError) as excinfo:
        referral_send(referral_id=referral.pk, by=officer, on=date(2026, 11, 23))
    assert "does not cover sharing" in excinfo.value.message_dict["consent"][0]


def test_consent_allows_sending_with_sla_due_dates_in_working_days(edith, officer, pension, council, pension_manager):
    # given consent and an SLA: acknowledge in 2, complete in 15 working days
    ConsentFactory(client=edith, organisations=[pension])
    sla = AgreementFactory(partnership=PartnershipFactory(members=[council, pension]))
    ServiceLevelFactory(
        agreement=sla, referral_type="pension_credit", acknowledge_working_days=2, complete_working_days=15
    )
    referral = referral_draft(edith, officer, pension)
    # when sent on Thursday 24 December 2026
    with time_machine.travel(date(2026, 12, 24)):
        referral = referral_send(referral_id=referral.pk, by=officer, on=date(2026, 12, 24))
    # then Christmas (Fri 25), Boxing Day substitute (Mon 28) and weekends are skipped
    assert referral.status == Status.SENT
    assert referral.acknowledge_by == date(2026, 12, 30)
    assert referral.complete_by == date(2027, 1, 19)  # New Year's Day (Fri 1 Jan 2027) skipped too
    assert referral.reference == f"REF-2026-{referral.pk:06d}"
    assert referral.consent is not None
    assert Notification.objects.get(recipient=pension_manager).title == f"New routine referral {referral.reference}"


def test_defaults_2_and_20_working_days_across_easter(edith, officer, pension):
    ConsentFactory(client=edith, organisations=[pension], given_on=date(2026, 1, 1))
    referral = referral_draft(edith, officer, pension)
    referral = referral_send(referral_id=referral.pk, by=officer, on=date(2026, 4, 2))  # Thursday before Good Friday
    assert referral.acknowledge_by == date(2026, 4, 8)  # Good Friday and Easter Monday skipped
    assert referral.complete_by == date(2026, 5, 5)  # and the early May bank holiday (4 May)


def test_safeguarding_alert_without_consent_records_its_legal_basis(edith, officer, pension):
    referral = referral_draft(edith, officer, pension, referral_type="safeguarding", priority="urgent", legal_basis="")
    with pytest.raises(ValidationError) as excinfo:
        referral_send(referral_id=referral.pk, by=officer, on=date(2026, 11, 23))
    assert "record the legal basis instead" in excinfo.value.message_dict["consent"][0]
    referral = referral_draft(
        edith,
        officer,
        pension,
        referral_type="safeguarding",
        priority="urgent",
        legal_basis="Care Act 2014 s.42: risk of financial abuse",
    )
    assert referral_send(referral_id=referral.pk, by=officer, on=date(2026, 11, 23)).status == Status.SENT


def test_within_the_same_organisation_no_consent_is_needed(edith, officer, council):
    referral = referral_draft(edith, officer, council, referral_type="fairer_charging")
    assert referral_send(referral_id=referral.pk, by=officer, on=date(2026, 11, 23)).status == Status.SENT


def test_database_refuses_a_sent_referral_outside_without_consent(edith, officer, pension):
    referral = referral_draft(edith, officer, pension)
    with pytest.raises(IntegrityError):
        Referral.objects.filter(pk=referral.pk).update(
            status=Status.SENT,
            sent_at="2026-11-23T10:00Z",
            acknowledge_by=date(2026, 11, 25),
            complete_by=date(2026, 12, 21),
        )


@pytest.mark.django_db(transaction=True)
def test_references_stay_unique_when_two_officers_send_at_once(council, pension, user_with_roles):
    # given two officers with a client each, and a referral that was rolled back (a gap in the numbers)
    import threading

    from django.db import connection, transaction

    officers = [user_with_roles(council, Role.VISITING_OFFICER) for _ in range(2)]
    clients = [ClientFactory(organisation=council) for _ in officers]
    for person in clients:
        ConsentFactory(client=person, organisations=[pension])
    with pytest.raises(RuntimeError), transaction.atomic():
        referral_draft(clients[0], officers[0], pension)
        raise RuntimeError("the officer's browser gave up")
    barrier = threading.Barrier(2)
    references, errors = [], []

    def refer(person, officer):
        try:
            barrier.wait(timeout=10)
            draft = referral_draft(person, officer, pension)
            references.append(referral_send(referral_id=draft.pk, by=officer, on=date(2026, 11, 23)).reference)
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    # when both send at the same moment
    threads = [threading.Thread(target=refer, args=pair) for pair in zip(clients, officers, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # then each has its own well-formed reference; the rolled-back number is simply skipped
    assert errors == []
    assert len(set(references)) == 2
    assert all(re.fullmatch(r"REF-2026-\d{6}", reference) for reference in references)
    assert sorted(Referral.objects.values_list("reference", flat=True)) == sorted(references)


def test_routing_rule_refuses_a_client_under_the_minimum_age(council, officer, pension):
    young = ClientFactory(organisation=council, date_of_birth=date(1970, 1, 1))
    ConsentFactory(client=young, organisations=[pension])
    sla = AgreementFactory(partnership=PartnershipFactory(members=[council, pension]))
    RoutingRuleFactory(agreement=sla, receiving_organisation=pension, referral_types=[], minimum_age=66)
    referral = referral_draft(young, officer, pension)
    with pytest.raises(ValidationError) as excinfo:
        referral_send(referral_id=referral.pk, by=officer, on=date(2026, 11, 23))
    assert excinfo.value.message_dict["to_organisation"] == ["The Pension Service only takes clients aged 66 or over."]


def test_full_happy_path_records_every_step_and_tells_the_sender(sent, officer, pension_officer, pension_manager):
    referral_accept(referral_id=sent.pk, by=pension_manager)
    referral_assign(referral_id=sent.pk, by=pension_manager, officer=pension_officer)
    referral_start(referral_id=sent.pk, by=pension_officer)
    referral_complete(
        referral_id=sent.pk,
        by=pension_officer,
        successful=True,
        benefits=[
            BenefitResult("pension_credit", "awarded", Decimal("67.45"), date(2026, 12, 1), Decimal("134.90")),
            BenefitResult("attendance_allowance", "pending"),
        ],
    )
    referral = referral_close(referral_id=sent.pk, by=officer)
    assert referral.status == Status.CLOSED
    steps = list(ReferralEvent.objects.filter(referral=referral).values_list("from_status", "to_status"))
    assert steps == [
        ("", "draft"),
        ("draft", "sent"),
        ("sent", "accepted"),
        ("accepted", "accepted"),
        ("accepted", "in_progress"),
        ("in_progress", "completed"),
        ("completed", "closed"),
    ]
    assert [o.weekly_amount for o in referral.benefit_outcomes.all()] == [Decimal("67.45"), Decimal("0.00")]
    told = list(Notification.objects.filter(recipient=officer).values_list("title", flat=True))
    assert sorted(told) == sorted(
        [
            f"Referral {referral.reference} accepted",
            f"Referral {referral.reference} in progress",
            f"Referral {referral.reference} completed",
        ]
    )
    assert Notification.objects.filter(recipient=pension_officer, title__contains="assigned to you").count() == 1


def test_sender_and_receiver_are_told_by_e_mail_too(
    edith, officer, pension, pension_manager, mailoutbox, django_capture_on_commit_callbacks
):
    # given consent, when the referral is sent and then accepted
    with django_capture_on_commit_callbacks(execute=True):
        referral = referral_sent(edith, officer, pension, on=SENT_ON)
    with django_capture_on_commit_callbacks(execute=True):
        referral_accept(referral_id=referral.pk, by=pension_manager)
    # then the receiving manager had an e-mail about the new referral and the sender one about the step
    sent = {(message.to[0], message.subject) for message in mailoutbox}
    assert sent == {
        (pension_manager.email, f"New routine referral {referral.reference}"),
        (officer.email, f"Referral {referral.reference} accepted"),
    }
    assert all(referral.get_absolute_url() in message.body for message in mailoutbox)


def test_nothing_is_e_mailed_when_a_step_is_refused(sent, officer, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(InvalidTransition):
        referral_accept(referral_id=sent.pk, by=officer)
    assert mailoutbox == []


def test_rejection_needs_a_reason_and_is_fed_back(sent, officer, pension_manager):
    with pytest.raises(ValidationError):
        referral_reject(referral_id=sent.pk, by=pension_manager, reason=" ")
    referral = referral_reject(referral_id=sent.pk, by=pension_manager, reason="Already claiming")
    assert (referral.status, referral.rejection_reason) == (Status.REJECTED, "Already claiming")
    assert Notification.objects.get(recipient=officer).body.endswith("Already claiming")


def test_unsuccessful_outcome_needs_a_coded_reason(sent, pension_manager):
    referral_accept(referral_id=sent.pk, by=pension_manager)
    with pytest.raises(ValidationError):
        referral_complete(referral_id=sent.pk, by=pension_manager, successful=False, reason="")
    referral = referral_complete(referral_id=sent.pk, by=pension_manager, successful=False, reason="no_contact")
    assert (referral.outcome_successful, referral.outcome_reason) == (False, "no_contact")


LEGAL = {
    "draft": {"sent", "withdrawn"},
    "sent": {"accepted", "rejected", "withdrawn"},
    "accepted": {"in_progress", "completed", "withdrawn"},
    "in_progress": {"completed", "withdrawn"},
    "rejected": {"closed"},
    "completed": {"closed"},
    "closed": set(),
    "withdrawn": set(),
}
MOVES = {
    "accepted": lambda r, s, rec: referral_accept(referral_id=r.pk, by=rec),
    "rejected": lambda r, s, rec: referral_reject(referral_id=r.pk, by=rec, reason="No"),
    "in_progress": lambda r, s, rec: referral_start(referral_id=r.pk, by=rec),
    "completed": lambda r, s, rec: referral_complete(referral_id=r.pk, by=rec, successful=True),
    "closed": lambda r, s, rec: referral_close(referral_id=r.pk, by=s),
    "withdrawn": lambda r, s, rec: referral_withdraw(referral_id=r.pk, by=s),
    "sent": lambda r, s, rec: referral_send(referral_id=r.pk, by=s, on=date(2026, 11, 23)),
}


@pytest.mark.parametrize("start", list(LEGAL))
@pytest.mark.parametrize("target", list(MOVES))
def test_every_transition_is_allowed_or_refused_as_the_lifecycle_says(
    start, target, edith, officer, pension, pension_manager
):
    # given a referral in `start` (set directly: the lifecycle is what is under test)
    ConsentFactory(client=edith, organisations=[pension])
    referral = referral_draft(edith, officer, pension)
    if start != "draft":
        referral = referral_send(referral_id=referral.pk, by=officer, on=date(2026, 11, 23))
        Referral.objects.filter(pk=referral.pk).update(status=start)
    # when the move is tried by the side allowed to make it
    if target in LEGAL[start]:
        moved = MOVES[target](referral, officer, pension_manager)
        assert moved.status == target
    else:
        events = ReferralEvent.objects.filter(referral=referral).count()
        with pytest.raises(InvalidTransition):
            MOVES[target](referral, officer, pension_manager)
        referral.refresh_from_db()
        assert referral.status == start
        assert ReferralEvent.objects.filter(referral=referral).count() == events


@pytest.mark.parametrize(
    "status, sender_moves, receiver_moves",
    [
        (Status.SENT, {Status.WITHDRAWN}, {Status.ACCEPTED, Status.REJECTED}),
        (Status.ACCEPTED, {Status.WITHDRAWN}, {Status.IN_PROGRESS, Status.COMPLETED}),
        (Status.IN_PROGRESS, {Status.WITHDRAWN}, {Status.COMPLETED}),
        (Status.COMPLETED, {Status.CLOSED}, set()),
        (Status.REJECTED, {Status.CLOSED}, set()),
        (Status.CLOSED, set(), set()),
        (Status.WITHDRAWN, set(), set()),
    ],
)
def test_each_side_is_offered_only_the_moves_it_may_make(sent, council, pension, status, sender_moves, receiver_moves):
    # given the referral in `status`, then each side is offered what the lifecycle allows it, a third nothing
    sent.status = status
    assert referral_moves_for(referral=sent, organisation=council) == sender_moves
    assert referral_moves_for(referral=sent, organisation=pension) == receiver_moves
    assert referral_moves_for(referral=sent, organisation=OrganisationFactory(name="Third")) == set()
    assert referral_moves_for(referral=sent, organisation=None) == set()
    # and only the receiver assigns, while the referral is open
    assert referral_may_assign(referral=sent, organisation=pension) == (status in Referral.OPEN_STATUSES)
    assert referral_may_assign(referral=sent, organisation=council) is False


def test_create_and_send_refused_by_the_consent_gate_keeps_no_draft(edith, officer, pension):
    # given no consent to share with the Pension Service, when the officer refers Edith in one step
    with pytest.raises(ValidationError) as excinfo:
        referral_create_and_send(
            client=edith, by=officer, to_organisation=pension, referral_type="pension_credit", reason="Low income"
        )
    # then the refusal says why and nothing is kept: no draft, no step
    assert "has not given consent to share with The Pension Service" in excinfo.value.message_dict["consent"][0]
    assert (Referral.objects.count(), ReferralEvent.objects.count()) == (0, 0)


def test_create_and_send_drafts_and_sends_in_one_step(edith, officer, pension, pension_manager):
    ConsentFactory(client=edith, organisations=[pension])
    with time_machine.travel(date(2026, 11, 23)):
        referral = referral_create_and_send(
            client=edith, by=officer, to_organisation=pension, referral_type="pension_credit", reason="Low income"
        )
    assert (referral.status, referral.reference) == (Status.SENT, f"REF-2026-{referral.pk:06d}")
    assert (referral.acknowledge_by, referral.complete_by) == (date(2026, 11, 25), date(2026, 12, 21))
    assert list(referral.events.values_list("from_status", "to_status")) == [
        ("", Status.DRAFT),
        (Status.DRAFT, Status.SENT),
    ]
    assert Notification.objects.get(recipient=pension_manager).title == f"New routine referral {referral.reference}"


def test_the_wrong_side_cannot_move_a_referral(sent, officer, pension_manager):
    with pytest.raises(InvalidTransition):
        referral_accept(referral_id=sent.pk, by=officer)  # the sender cannot accept its own referral
    with pytest.raises(InvalidTransition):
        referral_withdraw(referral_id=sent.pk, by=pension_manager)  # the receiver cannot withdraw it


def test_a_referred_client_becomes_visible_to_the_receiver_but_not_to_a_third(sent, pension_officer, user_with_roles):
    assert sent.client in client_list_for_user(user=pension_officer)
    third = user_with_roles(OrganisationFactory(name="Third"), Role.VISITING_OFFICER)
    assert sent.client not in client_list_for_user(user=third)


def test_a_draft_does_not_reveal_the_client(edith, officer, pension, pension_officer):
    referral_draft(edith, officer, pension)
    assert edith not in client_list_for_user(user=pension_officer)
