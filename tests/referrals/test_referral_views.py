from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.models import Notification
from partnerships.models import Role
from referrals.models import BenefitOutcome, Referral, ReferralEvent
from referrals.selectors import partner_track_records
from referrals.services import (
    BenefitResult,
    referral_accept,
    referral_complete,
    referral_reject,
    referral_withdraw,
)
from tests.partnerships.factories import (
    AgreementFactory,
    OrganisationFactory,
    PartnershipFactory,
    RoutingRuleFactory,
    TeamFactory,
)
from tests.referrals.factories import ClientFactory, consent_for, referral_sent

pytestmark = pytest.mark.django_db

Status = Referral.Status


def _refer_form(to, **overrides):
    data = {
        "to_organisation": str(to.pk),
        "to_team": "",
        "referral_type": "pension_credit",
        "priority": "routine",
        "reason": "Lives alone on State Pension only; may be entitled to Pension Credit.",
        "consent": "",
        "legal_basis": "",
    }
    data.update(overrides)
    return data


# --- Refer a client ---------------------------------------------------------------------------


def test_refer_with_consent_sends_and_tells_the_receiving_manager(client, officer, edith, pension, pension_manager):
    # given Edith's consent to share with the Pension Service
    consent_for(edith, pension)
    client.force_login(officer)
    # when the officer refers her
    response = client.post(reverse("referrals:referral-create", args=[edith.pk]), _refer_form(pension))
    # then the referral is sent and the officer lands on it
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == referral.get_absolute_url()
    assert referral.status == Status.SENT
    assert referral.reference == f"REF-{timezone.localdate().year}-{referral.pk:06d}"
    page = client.get(response["Location"]).content.decode()
    assert f"Referral {referral.reference} sent" in page
    assert Notification.objects.filter(recipient=pension_manager, title=f"New routine referral {referral.reference}")


def test_refer_form_shows_destinations_with_their_track_record(client, officer, edith, pension):
    client.force_login(officer)
    page = client.get(reverse("referrals:referral-create", args=[edith.pk])).content.decode()
    assert "The Pension Service" in page
    assert "No referrals answered in the last 90 days" in page
    assert "Find one that covers it for me" in page


def _answered(referral, *, sent, acknowledged=None, rejected=""):
    """Set when a referral was sent and answered (the track record reads only these)."""
    zone = timezone.get_current_timezone()
    Referral.objects.filter(pk=referral.pk).update(
        sent_at=datetime(*sent, 10, 0, tzinfo=zone),
        acknowledged_at=datetime(*acknowledged, 15, 0, tzinfo=zone) if acknowledged else None,
        rejection_reason=rejected,
    )


@pytest.fixture
def track_record_set(council, officer, pension):
    """The Pension Service's last 90 days to Monday 30 November 2026: answered in 1, 2 and 4 working
    days (two accepted, one rejected), one not yet answered, and one fast rejection from July."""
    referrals = [referral_sent(ClientFactory(organisation=council), officer, pension) for _ in range(5)]
    _answered(referrals[0], sent=(2026, 11, 2), acknowledged=(2026, 11, 3))  # 1 working day
    _answered(referrals[1], sent=(2026, 11, 9), acknowledged=(2026, 11, 11))  # 2
    _answered(referrals[2], sent=(2026, 11, 12), acknowledged=(2026, 11, 18), rejected="No capacity")  # 4
    _answered(referrals[3], sent=(2026, 11, 23))  # waiting
    _answered(referrals[4], sent=(2026, 7, 1), acknowledged=(2026, 7, 1), rejected="Too old")  # outside 90 days
    return referrals


def test_track_record_median_days_and_accepted_percent_over_90_days(council, pension, track_record_set):
    age_uk = OrganisationFactory(name="Age UK Northshire")
    records = partner_track_records(organisations=[pension, age_uk], today=date(2026, 11, 30))
    pension_record = records[pension.pk]
    assert (pension_record.received, pension_record.acknowledged, pension_record.accepted) == (4, 3, 2)
    assert pension_record.median_working_days_to_acknowledge == 2
    assert pension_record.accepted_percent == 67
    assert pension_record.summary == "Usually replies in 2 working days, 67% accepted"
    assert records[age_uk.pk].summary == "No referrals answered in the last 90 days"


def test_refer_form_shows_the_partners_track_record_beside_it(client, officer, edith, pension, track_record_set):
    with time_machine.travel(datetime(2026, 11, 30, 12, 0, tzinfo=timezone.get_current_timezone()), tick=False):
        client.force_login(officer)
        page = client.get(reverse("referrals:referral-create", args=[edith.pk])).content.decode()
    assert "Usually replies in 2 working days, 67% accepted" in page


def test_refer_without_consent_is_refused_on_the_form_and_nothing_is_saved(client, officer, edith, pension):
    client.force_login(officer)
    response = client.post(reverse("referrals:referral-create", args=[edith.pk]), _refer_form(pension))
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert (
        "Edith Wainwright has not given consent to share with The Pension Service for benefit check and claims. "
        "Record their consent first." in body
    )
    assert Referral.objects.count() == 0
    assert ReferralEvent.objects.count() == 0


def test_safeguarding_alert_with_a_legal_basis_is_sent_without_consent(client, officer, edith, pension):
    client.force_login(officer)
    response = client.post(
        reverse("referrals:referral-create", args=[edith.pk]),
        _refer_form(
            pension,
            referral_type="safeguarding",
            priority="urgent",
            legal_basis="Care Act 2014 section 42 enquiry: risk of financial abuse",
        ),
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert (referral.status, referral.consent, referral.priority) == (Status.SENT, None, "urgent")


def test_legal_basis_is_only_for_safeguarding(client, officer, edith, pension):
    client.force_login(officer)
    response = client.post(
        reverse("referrals:referral-create", args=[edith.pk]), _refer_form(pension, legal_basis="Public task")
    )
    assert "Only record a legal basis for a safeguarding alert sent without consent" in response.content.decode()
    assert Referral.objects.count() == 0


def test_team_must_belong_to_the_chosen_organisation(client, officer, edith, pension, council):
    consent_for(edith, pension)
    council_team = TeamFactory(organisation=council, name="Financial assessment team")
    client.force_login(officer)
    response = client.post(
        reverse("referrals:referral-create", args=[edith.pk]), _refer_form(pension, to_team=str(council_team.pk))
    )
    assert "Choose a team of The Pension Service, or &#x27;Any team&#x27;" in response.content.decode()
    assert Referral.objects.count() == 0


def test_routing_refusal_for_the_type_is_shown_on_the_form(client, officer, edith, pension, council):
    # given the Pension Service takes only Pension Credit referrals from the council
    consent_for(edith, pension)
    agreement = AgreementFactory(partnership=PartnershipFactory(members=[council, pension]))
    RoutingRuleFactory(agreement=agreement, receiving_organisation=pension, referral_types=["pension_credit"])
    client.force_login(officer)
    form_page = client.get(reverse("referrals:referral-create", args=[edith.pk])).content.decode()
    assert "The Pension Service only takes: Pension Credit claim." in form_page
    # when the officer asks it for a benefit check
    response = client.post(
        reverse("referrals:referral-create", args=[edith.pk]), _refer_form(pension, referral_type="benefit_check")
    )
    # then the routing reason is shown and nothing is saved
    assert "The Pension Service does not take Benefit check referrals." in response.content.decode()
    assert Referral.objects.count() == 0


def test_destination_refusing_the_clients_age_is_not_offered(client, officer, council, pension):
    young = ClientFactory(organisation=council, first_name="Jo", last_name="Young", date_of_birth=date(1980, 1, 1))
    consent_for(young, pension)
    agreement = AgreementFactory(partnership=PartnershipFactory(members=[council, pension]))
    RoutingRuleFactory(agreement=agreement, receiving_organisation=pension, referral_types=[], minimum_age=60)
    client.force_login(officer)
    page = client.get(reverse("referrals:referral-create", args=[young.pk])).content.decode()
    assert "Not offered" in page
    assert "The Pension Service: The Pension Service only takes clients aged 60 or over." in page
    assert f'value="{pension.pk}"' not in page
    response = client.post(reverse("referrals:referral-create", args=[young.pk]), _refer_form(pension))
    assert "Select one of the organisations offered" in response.content.decode()
    assert Referral.objects.count() == 0


def test_cannot_refer_a_client_the_organisation_cannot_see(client, outsider, edith):
    client.force_login(outsider)
    assert client.get(reverse("referrals:referral-create", args=[edith.pk])).status_code == 404


# --- Inbox and outbox -------------------------------------------------------------------------


@pytest.fixture
def inbox_set(council, officer, pension, pension_officer, other_organisation, user_with_roles):
    """Four referrals to the Pension Service, one from it, one between two other organisations."""
    clients = [ClientFactory(organisation=council) for _ in range(4)]
    routine = referral_sent(clients[0], officer, pension)
    urgent = referral_sent(clients[1], officer, pension, priority="urgent", referral_type="attendance_allowance")
    accepted = referral_sent(clients[2], officer, pension)
    referral_accept(referral_id=accepted.pk, by=pension_officer)
    overdue = referral_sent(clients[3], officer, pension)
    Referral.objects.filter(pk=overdue.pk).update(acknowledge_by=timezone.localdate() - timedelta(days=1))
    outgoing = referral_sent(ClientFactory(organisation=pension), pension_officer, council)
    third = OrganisationFactory(name="Age UK Northshire")
    elsewhere = referral_sent(
        ClientFactory(organisation=other_organisation),
        user_with_roles(other_organisation, Role.VISITING_OFFICER),
        third,
    )
    return {
        "routine": routine,
        "urgent": urgent,
        "accepted": accepted,
        "overdue": overdue,
        "outgoing": outgoing,
        "elsewhere": elsewhere,
    }


def _references(response):
    body = response.content.decode()
    return {referral.reference for referral in Referral.objects.all() if referral.reference in body}


def test_inbox_shows_only_referrals_to_the_organisation(client, pension_officer, inbox_set):
    client.force_login(pension_officer)
    response = client.get(reverse("referrals:referral-inbox"))
    expected = {inbox_set[name].reference for name in ("routine", "urgent", "accepted", "overdue")}
    assert _references(response) == expected
    assert "Overdue" in response.content.decode()


@pytest.mark.parametrize(
    "query, names",
    [
        ({"status": "accepted"}, {"accepted"}),
        ({"referral_type": "attendance_allowance"}, {"urgent"}),
        ({"priority": "urgent"}, {"urgent"}),
        ({"due": "overdue"}, {"overdue"}),
        ({"status": "sent", "priority": "routine"}, {"routine", "overdue"}),
    ],
)
def test_inbox_filters_narrow_the_list(client, pension_officer, inbox_set, query, names):
    client.force_login(pension_officer)
    response = client.get(reverse("referrals:referral-inbox"), query)
    assert _references(response) == {inbox_set[name].reference for name in names}


def test_inbox_is_paginated_with_constant_queries(
    client, council, officer, pension, pension_officer, django_assert_max_num_queries
):
    # given 30 referrals to the Pension Service
    for _ in range(30):
        referral = referral_sent(ClientFactory(organisation=council), officer, pension)
        referral_accept(referral_id=referral.pk, by=pension_officer)
    Referral.objects.update(assigned_officer=pension_officer)
    client.force_login(pension_officer)
    # when the first and second pages are read, then the query count does not grow with the rows
    with django_assert_max_num_queries(8):
        first = client.get(reverse("referrals:referral-inbox"))
    with django_assert_max_num_queries(8):
        second = client.get(reverse("referrals:referral-inbox"), {"page": 2})
    assert first.content.decode().count('data-testid="referral-table"') == 1
    assert len(_references(first)) == 25
    assert len(_references(second)) == 5
    assert "Page 1 of 2" in first.content.decode()


def test_outbox_shows_sent_referrals_with_the_outcome(client, officer, pension_officer, inbox_set):
    referral = inbox_set["accepted"]
    referral_complete(
        referral_id=referral.pk,
        by=pension_officer,
        successful=True,
        benefits=[
            BenefitResult("pension_credit", "awarded", Decimal("67.45"), date(2026, 12, 1)),
            BenefitResult("housing_benefit", "awarded", Decimal("20.00"), date(2026, 12, 1)),
            BenefitResult("attendance_allowance", "refused"),
        ],
    )
    client.force_login(officer)
    response = client.get(reverse("referrals:referral-outbox"))
    body = response.content.decode()
    expected = {inbox_set[name].reference for name in ("routine", "urgent", "accepted", "overdue")}
    assert _references(response) == expected
    assert "£87.45 a week awarded" in body
    assert "Successful" in body


def _completed_with_award(referral, by, amount="67.45"):
    referral_accept(referral_id=referral.pk, by=by)
    referral_complete(
        referral_id=referral.pk,
        by=by,
        successful=True,
        benefits=[BenefitResult("pension_credit", "awarded", Decimal(amount), date(2026, 12, 1))],
    )


def _queries_for(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["referral-outbox", "partner-feedback"])
def test_outbox_and_feedback_queries_do_not_grow_with_referrals(
    client, council, officer, pension, pension_officer, name, django_assert_max_num_queries
):
    # given one referral sent and answered with an award, then twenty more to several partners
    url = reverse(f"referrals:{name}")
    client.force_login(officer)
    _completed_with_award(referral_sent(ClientFactory(organisation=council), officer, pension), pension_officer)
    one = _queries_for(client, url)
    for number in range(20):
        partner = pension if number % 2 else OrganisationFactory(name=f"Partner {number}")
        referral = referral_sent(ClientFactory(organisation=council), officer, partner)
        if partner == pension:
            _completed_with_award(referral, pension_officer)
    # then the page costs the same number of queries, and a small one
    assert _queries_for(client, url) == one
    with django_assert_max_num_queries(12):
        client.get(url)


# --- Detail and actions -----------------------------------------------------------------------


def test_detail_shows_summary_timeline_and_receiver_actions(client, pension_officer, sent):
    client.force_login(pension_officer)
    body = client.get(sent.get_absolute_url()).content.decode()
    assert sent.reference in body
    assert "Edith Wainwright" in body
    assert 'data-testid="referral-timeline"' in body
    assert reverse("referrals:referral-accept", args=[sent.pk]) in body
    assert reverse("referrals:referral-reject", args=[sent.pk]) in body
    assert reverse("referrals:referral-withdraw", args=[sent.pk]) not in body


def test_detail_shows_sender_only_withdraw(client, officer, sent):
    client.force_login(officer)
    body = client.get(sent.get_absolute_url()).content.decode()
    assert reverse("referrals:referral-withdraw", args=[sent.pk]) in body
    assert reverse("referrals:referral-accept", args=[sent.pk]) not in body


def _steps(referral):
    return list(ReferralEvent.objects.filter(referral=referral).values_list("to_status", flat=True))


def test_receiver_accepts_assigns_starts_and_records_the_outcome(client, sent, pension_manager, pension_officer):
    client.force_login(pension_manager)
    response = client.post(reverse("referrals:referral-accept", args=[sent.pk]))
    assert response.status_code == 302
    assert client.get(reverse("referrals:referral-assign", args=[sent.pk])).status_code == 200
    client.post(reverse("referrals:referral-assign", args=[sent.pk]), {"officer": pension_officer.pk})
    client.post(reverse("referrals:referral-start", args=[sent.pk]))
    outcome_url = reverse("referrals:referral-outcome", args=[sent.pk])
    assert client.get(outcome_url).status_code == 200
    response = client.post(
        outcome_url,
        {
            "successful": "yes",
            "outcome_reason": "",
            "notes": "Claim made on the visit",
            "benefit_1": "pension_credit",
            "decision_1": "awarded",
            "weekly_amount_1": "67.45",
            "effective_date_1_0": "1",
            "effective_date_1_1": "12",
            "effective_date_1_2": "2026",
            "arrears_1": "134.90",
        },
    )
    assert response.status_code == 302
    sent.refresh_from_db()
    assert (sent.status, sent.assigned_officer, sent.outcome_successful) == (Status.COMPLETED, pension_officer, True)
    award = BenefitOutcome.objects.get(referral=sent)
    assert (award.weekly_amount, award.effective_date, award.arrears) == (
        Decimal("67.45"),
        date(2026, 12, 1),
        Decimal("134.90"),
    )
    assert _steps(sent) == ["draft", "sent", "accepted", "accepted", "in_progress", "completed"]
    page = client.get(sent.get_absolute_url()).content.decode()
    assert "£67.45" in page
    assert "Assigned to" in page


def test_unsuccessful_outcome_needs_a_reason(client, sent, pension_officer):
    referral_accept(referral_id=sent.pk, by=pension_officer)
    client.force_login(pension_officer)
    response = client.post(reverse("referrals:referral-outcome", args=[sent.pk]), {"successful": "no"})
    assert "Choose why the referral did not succeed" in response.content.decode()
    response = client.post(
        reverse("referrals:referral-outcome", args=[sent.pk]), {"successful": "no", "outcome_reason": "no_contact"}
    )
    sent.refresh_from_db()
    assert (sent.status, sent.outcome_successful, sent.outcome_reason) == (Status.COMPLETED, False, "no_contact")


def test_award_without_a_date_is_refused_on_the_form(client, sent, pension_officer):
    referral_accept(referral_id=sent.pk, by=pension_officer)
    client.force_login(pension_officer)
    response = client.post(
        reverse("referrals:referral-outcome", args=[sent.pk]),
        {"successful": "yes", "benefit_1": "pension_credit", "decision_1": "awarded", "weekly_amount_1": "67.45"},
    )
    assert "Enter the date the award starts" in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == Status.ACCEPTED


def test_receiver_rejects_with_a_reason_and_sender_closes(client, sent, officer, pension_officer):
    client.force_login(pension_officer)
    response = client.post(reverse("referrals:referral-reject", args=[sent.pk]), {"reason": ""})
    assert "Enter why the referral is rejected" in response.content.decode()
    client.post(reverse("referrals:referral-reject", args=[sent.pk]), {"reason": "Already receiving Pension Credit"})
    sent.refresh_from_db()
    assert (sent.status, sent.rejection_reason) == (Status.REJECTED, "Already receiving Pension Credit")
    client.force_login(officer)
    assert "Already receiving Pension Credit" in client.get(sent.get_absolute_url()).content.decode()
    client.post(reverse("referrals:referral-close", args=[sent.pk]))
    sent.refresh_from_db()
    assert sent.status == Status.CLOSED
    assert _steps(sent) == ["draft", "sent", "rejected", "closed"]


def test_sender_withdraws_with_a_reason(client, sent, officer):
    client.force_login(officer)
    response = client.post(reverse("referrals:referral-withdraw", args=[sent.pk]), {"reason": "Client moved away"})
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.status == Status.WITHDRAWN
    assert ReferralEvent.objects.filter(referral=sent, to_status="withdrawn", note="Client moved away").exists()


def test_accepting_a_withdrawn_referral_is_refused_and_changes_nothing(client, sent, officer, pension_officer):
    referral_withdraw(referral_id=sent.pk, by=officer)
    events = ReferralEvent.objects.count()
    client.force_login(pension_officer)
    response = client.post(reverse("referrals:referral-accept", args=[sent.pk]), follow=True)
    assert "A withdrawn referral cannot be accepted." in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == Status.WITHDRAWN
    assert ReferralEvent.objects.count() == events


def test_sender_cannot_accept_its_own_referral(client, sent, officer):
    client.force_login(officer)
    response = client.post(reverse("referrals:referral-accept", args=[sent.pk]), follow=True)
    assert "Only the organisation the referral was sent to can do that." in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == Status.SENT


def test_action_page_for_an_action_not_open_says_so(client, sent, officer):
    client.force_login(officer)
    response = client.get(reverse("referrals:referral-reject", args=[sent.pk]), follow=True)
    assert "You cannot reject referral" in response.content.decode()


@pytest.mark.parametrize(
    "name, method",
    [
        ("referral-detail", "get"),
        ("referral-accept", "post"),
        ("referral-reject", "get"),
        ("referral-reject", "post"),
        ("referral-assign", "get"),
        ("referral-assign", "post"),
        ("referral-start", "post"),
        ("referral-outcome", "get"),
        ("referral-outcome", "post"),
        ("referral-withdraw", "post"),
        ("referral-close", "post"),
    ],
)
def test_a_third_organisation_gets_404(client, sent, outsider, name, method):
    client.force_login(outsider)
    response = getattr(client, method)(reverse(f"referrals:{name}", args=[sent.pk]))
    assert response.status_code == 404
    sent.refresh_from_db()
    assert sent.status == Status.SENT


def test_signed_out_users_are_sent_to_sign_in(client, sent):
    response = client.get(sent.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- Partner feedback -------------------------------------------------------------------------


def test_partner_feedback_shows_this_quarters_figures(client, council, officer, pension, pension_officer):
    today = timezone.localdate()
    # given two referrals the council sent this quarter: one awarded £67.45 a week, one overdue
    awarded = referral_sent(ClientFactory(organisation=council), officer, pension)
    referral_accept(referral_id=awarded.pk, by=pension_officer)
    referral_complete(
        referral_id=awarded.pk,
        by=pension_officer,
        successful=True,
        benefits=[BenefitResult("pension_credit", "awarded", Decimal("67.45"), date(2026, 12, 1))],
    )
    late = referral_sent(ClientFactory(organisation=council), officer, pension)
    Referral.objects.filter(pk=late.pk).update(acknowledge_by=today - timedelta(days=1))
    # and one the Pension Service sent the council, acknowledged late
    received = referral_sent(ClientFactory(organisation=pension), pension_officer, council)
    referral_reject(referral_id=received.pk, by=officer, reason="Not ours")
    Referral.objects.filter(pk=received.pk).update(acknowledge_by=today - timedelta(days=3))
    # and one from a previous quarter, which does not count
    old = referral_sent(ClientFactory(organisation=council), officer, pension)
    referral_accept(referral_id=old.pk, by=pension_officer)
    referral_complete(
        referral_id=old.pk,
        by=pension_officer,
        successful=True,
        benefits=[BenefitResult("attendance_allowance", "awarded", Decimal("72.65"), date(2026, 1, 1))],
    )
    Referral.objects.filter(pk=old.pk).update(sent_at=timezone.now() - timedelta(days=200))
    client.force_login(officer)
    # when the council reads its feedback page
    response = client.get(reverse("referrals:partner-feedback"))
    body = response.content.decode()
    # then the Pension Service row has the exact figures
    row = body.split(f'data-testid="feedback-row-{pension.pk}"')[1].split("</tr>")[0]
    cells = [cell.split(">", 1)[1].split("<")[0].strip() for cell in row.split("<td")[1:]]
    assert cells == ["2", "1", "50%", "100%", "1", "£67.45"]
    assert '<strong data-testid="total-gained">£67.45</strong>' in body
    assert "0% (0 of 1)" in body  # the council acknowledged the one it received late
    assert "£72.65" not in body
