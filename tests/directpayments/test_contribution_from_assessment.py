"""The weekly assessed contribution of a direct payment comes from the client's current complete financial
assessment (recorded on the agreement, shown with a link for those who may see it), is entered by hand
when there is none (or, with a reason, by choice), and follows a re-assessment of a live agreement."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assessments import services as assessment_services
from assessments.selectors import current_charge_for_client
from core.models import Notification
from directpayments import services
from directpayments.models import Agreement
from partnerships.models import Role
from tests.referrals.factories import ClientFactory

from .factories import AgreementFactory

pytestmark = pytest.mark.django_db

BANK = {
    "account_type": Agreement.AccountType.BANK_ACCOUNT,
    "sort_code": "309430",
    "account_number": "00733445",
    "account_name": "E SMITH",
}


def _today_words() -> str:
    return f"{timezone.localdate():%-d %B %Y}"


@pytest.fixture
def person(council):
    return ClientFactory(organisation=council, first_name="Edna", last_name="Smith", date_of_birth=date(1950, 1, 1))


@pytest.fixture
def assessed(person, officer):
    """A complete assessment: State Pension £300.00 less the 2024/25 pension-age MIG £228.70 = £71.30."""
    draft = assessment_services.assessment_create(
        client=person, by=officer, effective_date=date(2024, 7, 1), weekly_care_cost=Decimal("250.00")
    )
    assessment_services.income_line_add(assessment=draft, by=officer, type="state_pension", amount=Decimal("300.00"))
    return assessment_services.assessment_complete(assessment=draft, by=officer)


def _reassess(assessment, officer, pension="250.00"):
    """Re-assess from 7 October 2024 with a lower State Pension: £250.00 − £228.70 = £21.30."""
    draft = assessment_services.assessment_reassess(assessment=assessment, by=officer, effective_date=date(2024, 10, 7))
    line = draft.income_lines.get()
    assessment_services.assessment_line_remove(assessment=draft, by=officer, kind="income", line_id=line.pk)
    assessment_services.income_line_add(assessment=draft, by=officer, type="state_pension", amount=Decimal(pension))
    return assessment_services.assessment_complete(assessment=draft, by=officer)


def _create(person, finance_user, **extra):
    return services.agreement_create(
        client=person,
        by=finance_user,
        start_date=date(2026, 4, 1),
        weekly_budget=Decimal("150.00"),
        supplier_number="V1",
        **BANK,
        **extra,
    )


# --- the selector ------------------------------------------------------------------------------------


def test_current_charge_is_the_complete_assessment_not_the_superseded_one(
    person, assessed, officer, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert current_charge_for_client(client=person).weekly_charge == Decimal("71.30")
    second = _reassess(assessed, officer)
    current = current_charge_for_client(client=person, organisation=person.organisation)
    assert (current.pk, current.weekly_charge) == (second.pk, Decimal("21.30"))
    assert current_charge_for_client(client=ClientFactory(organisation=person.organisation)) is None


# --- setting up --------------------------------------------------------------------------------------


def test_create_with_an_assessment_takes_its_charge_and_records_it(person, assessed, finance_user):
    agreement = _create(person, finance_user)
    assert agreement.weekly_contribution == Decimal("71.30")
    assert agreement.contribution_assessment == assessed
    assert agreement.contribution_by_hand_reason == ""
    assert services.agreement_net_weekly(agreement) == Decimal("78.70")  # 150.00 − 71.30


def test_create_with_an_assessment_refuses_a_different_figure_unless_by_hand(person, assessed, finance_user):
    with pytest.raises(ValidationError) as refused:
        _create(person, finance_user, weekly_contribution=Decimal("60.00"))
    assert "£71.30 a week" in refused.value.message_dict["weekly_contribution"][0]
    with pytest.raises(ValidationError) as no_reason:
        _create(person, finance_user, weekly_contribution=Decimal("60.00"), contribution_by_hand=True)
    assert "contribution_by_hand_reason" in no_reason.value.message_dict
    agreement = _create(
        person,
        finance_user,
        weekly_contribution=Decimal("60.00"),
        contribution_by_hand=True,
        contribution_by_hand_reason="Review of the charge pending",
    )
    assert (agreement.weekly_contribution, agreement.contribution_assessment) == (Decimal("60.00"), None)
    assert agreement.contribution_by_hand_reason == "Review of the charge pending"


def test_create_without_an_assessment_is_entered_by_hand(person, finance_user):
    agreement = _create(person, finance_user, weekly_contribution=Decimal("26.55"))
    assert (agreement.weekly_contribution, agreement.contribution_assessment) == (Decimal("26.55"), None)
    assert services.agreement_net_weekly(agreement) == Decimal("123.45")


def test_net_weekly_is_never_below_zero_when_the_charge_exceeds_the_budget(person, assessed, finance_user, client):
    agreement = services.agreement_create(
        client=person,
        by=finance_user,
        start_date=date(2026, 4, 1),
        weekly_budget=Decimal("50.00"),
        **BANK,
    )
    assert agreement.weekly_contribution == Decimal("71.30")
    assert services.agreement_net_weekly(agreement) == Decimal("0.00")
    client.force_login(finance_user)
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert 'data-testid="net-weekly">£0.00<' in page


# --- the pages ---------------------------------------------------------------------------------------


def test_set_up_page_from_the_client_shows_the_assessed_charge_and_saves_it(
    client, person, assessed, finance_user, agreement_form
):
    client.force_login(finance_user)
    url = reverse("directpayments:agreement-create") + f"?client={person.pk}"
    page = client.get(url).content.decode()
    assert f"£71.30 a week, from the financial assessment completed on {_today_words()}" in page
    assert assessed.get_absolute_url() not in page  # finance staff do not see assessments: no link
    response = client.post(
        url,
        agreement_form(person=person, weekly_contribution="71.30", supplier_number="V1", **BANK),
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert (agreement.weekly_contribution, agreement.contribution_assessment) == (Decimal("71.30"), assessed)
    detail = client.get(agreement.get_absolute_url()).content.decode()
    assert f"£71.30 a week, from the financial assessment completed on {_today_words()}" in detail
    assert "£78.70" in detail


def test_typing_another_figure_without_ticking_by_hand_is_refused_beside_the_field(
    client, person, assessed, finance_user, agreement_form
):
    client.force_login(finance_user)
    response = client.post(
        reverse("directpayments:agreement-create") + f"?client={person.pk}",
        agreement_form(person=person, weekly_contribution="10.00", **BANK),
    )
    assert response.status_code == 200
    assert "sets the contribution at £71.30 a week" in response.content.decode()
    assert not Agreement.objects.exists()


def test_the_assessment_is_linked_for_someone_who_may_see_it(
    client, person, assessed, council, user_with_roles, django_assert_max_num_queries
):
    both = user_with_roles(council, Role.FINANCE_OFFICER, Role.TEAM_MANAGER)
    agreement = services.agreement_create(
        client=person, by=both, start_date=date(2026, 4, 1), weekly_budget=Decimal("150.00"), **BANK
    )
    client.force_login(both)
    with django_assert_max_num_queries(30):
        page = client.get(agreement.get_absolute_url()).content.decode()
    assert f'href="{assessed.get_absolute_url()}"' in page


def test_set_up_page_for_a_client_without_an_assessment_says_by_hand(client, person, finance_user, agreement_form):
    client.force_login(finance_user)
    page = client.get(reverse("directpayments:agreement-create") + f"?client={person.pk}").content.decode()
    assert "No complete financial assessment: entered by hand" in page
    response = client.post(
        reverse("directpayments:agreement-create") + f"?client={person.pk}",
        agreement_form(person=person, **BANK),
    )
    assert "Enter the weekly assessed contribution" in response.content.decode()
    assert not Agreement.objects.exists()
    agreement = _create(person, finance_user, weekly_contribution=Decimal("26.55"))
    detail = client.get(agreement.get_absolute_url()).content.decode()
    assert "£26.55 a week, entered by hand" in detail


def test_another_organisation_gets_404(client, person, assessed, finance_user, other_organisation, user_with_roles):
    agreement = _create(person, finance_user)
    stranger = user_with_roles(other_organisation, Role.FINANCE_OFFICER)
    client.force_login(stranger)
    assert client.get(agreement.get_absolute_url()).status_code == 404
    assert client.get(reverse("directpayments:agreement-create") + f"?client={person.pk}").status_code == 404
    assert client.get(reverse("directpayments:agreement-update", args=[agreement.pk])).status_code == 404


# --- a re-assessment ---------------------------------------------------------------------------------


def test_reassessment_updates_a_live_agreement_and_tells_finance(person, assessed, officer, finance_user):
    agreement = _create(person, finance_user)
    services.agreement_activate(agreement_id=agreement.pk, by=finance_user)
    # when the re-assessment from 7 October 2024 completes
    second = _reassess(assessed, officer)
    # then the contribution follows it, the old value kept in history with who made the change
    agreement.refresh_from_db()
    assert (agreement.weekly_contribution, agreement.contribution_assessment) == (Decimal("21.30"), second)
    assert services.agreement_net_weekly(agreement) == Decimal("128.70")
    latest, before = agreement.history.all()[:2]
    assert (latest.weekly_contribution, before.weekly_contribution) == (Decimal("21.30"), Decimal("71.30"))
    assert latest.history_user == officer
    note = Notification.objects.get(recipient=finance_user)
    assert note.title == "Direct payment contribution changed: Edna Smith"
    assert "from £71.30 to £21.30, effective from 7 October 2024" in note.body
    assert "The net weekly payment is now £128.70" in note.body
    assert note.url == agreement.get_absolute_url()
    assert not Notification.objects.filter(recipient=officer).exists()


def test_reassessment_leaves_by_hand_and_ended_agreements_alone(person, assessed, officer, finance_user):
    by_hand = _create(
        person,
        finance_user,
        weekly_contribution=Decimal("60.00"),
        contribution_by_hand=True,
        contribution_by_hand_reason="Charge under appeal",
    )
    ended = _create(person, finance_user)
    services.agreement_end(agreement_id=ended.pk, by=finance_user, end_date=date(2026, 4, 30))
    _reassess(assessed, officer)
    by_hand.refresh_from_db()
    ended.refresh_from_db()
    assert (by_hand.weekly_contribution, by_hand.contribution_assessment) == (Decimal("60.00"), None)
    assert (ended.weekly_contribution, ended.contribution_assessment) == (Decimal("71.30"), assessed)
    assert not Notification.objects.exists()


def test_another_clients_assessment_changes_nothing(person, assessed, officer, finance_user, council):
    agreement = _create(person, finance_user)
    other = ClientFactory(organisation=council, date_of_birth=date(1950, 1, 1))
    draft = assessment_services.assessment_create(
        client=other, by=officer, effective_date=date(2024, 7, 1), weekly_care_cost=Decimal("250.00")
    )
    assessment_services.assessment_complete(assessment=draft, by=officer)
    agreement.refresh_from_db()
    assert agreement.weekly_contribution == Decimal("71.30")
    assert not Notification.objects.exists()


# --- changing the agreement --------------------------------------------------------------------------


def test_changing_a_contribution_from_an_assessment_needs_by_hand_and_a_reason(
    client, person, assessed, finance_user, agreement_form
):
    agreement = _create(person, finance_user)
    with pytest.raises(ValidationError):
        services.agreement_update(agreement_id=agreement.pk, by=finance_user, weekly_contribution=Decimal("5.00"))
    client.force_login(finance_user)
    form = agreement_form(
        weekly_contribution="5.00",
        contribution_by_hand="on",
        contribution_by_hand_reason="Hardship agreed by the manager",
        supplier_number="V1",
        **BANK,
    )
    response = client.post(reverse("directpayments:agreement-update", args=[agreement.pk]), form)
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.weekly_contribution, agreement.contribution_assessment) == (Decimal("5.00"), None)
    assert agreement.contribution_by_hand_reason == "Hardship agreed by the manager"
    detail = client.get(agreement.get_absolute_url()).content.decode()
    assert "£5.00 a week, entered by hand: Hardship agreed by the manager" in detail
    # unticking takes the assessment's charge again
    form.pop("contribution_by_hand")
    form["weekly_contribution"] = "71.30"
    client.post(reverse("directpayments:agreement-update", args=[agreement.pk]), form)
    agreement.refresh_from_db()
    assert (agreement.weekly_contribution, agreement.contribution_assessment) == (Decimal("71.30"), assessed)
    assert agreement.contribution_by_hand_reason == ""


def test_old_factory_agreements_stay_by_hand(person, finance_user):
    agreement = AgreementFactory(client=person, weekly_contribution=Decimal("12.00"))
    services.agreement_update(agreement_id=agreement.pk, by=finance_user, weekly_contribution=Decimal("13.00"))
    agreement.refresh_from_db()
    assert (agreement.weekly_contribution, agreement.contribution_assessment) == (Decimal("13.00"), None)


def test_demo_agreement_takes_margarets_assessed_charge():
    from django.core.management import call_command

    call_command("seed_demo", stdout=None)
    call_command("seed_demo", stdout=None)
    agreement = Agreement.objects.get(client__last_name="Doyle")
    assert agreement.weekly_contribution == Decimal("38.50")  # State Pension 267.20 − MIG 228.70 (2024/25)
    assert agreement.contribution_assessment.weekly_charge == Decimal("38.50")
    assert agreement.contribution_assessment.client == agreement.client
    assert services.agreement_net_weekly(agreement) == Decimal("206.50")  # 245.00 − 38.50


def test_client_page_offers_direct_payment_set_up_to_the_councils_finance_officers_only(
    client, person, finance_user, officer
):
    link = reverse("directpayments:agreement-create") + f"?client={person.pk}"
    client.force_login(finance_user)
    assert link in client.get(person.get_absolute_url()).content.decode()
    client.force_login(officer)  # a visiting officer assesses but does not set up payments
    assert link not in client.get(person.get_absolute_url()).content.decode()
