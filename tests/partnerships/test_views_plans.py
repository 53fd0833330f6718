import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from partnerships.models import ActionPlanItem, Partnership, PartnershipReview, Role
from partnerships.reviews import review_period
from tests.partnerships.factories import (
    ActionPlanItemFactory,
    OrganisationFactory,
    PartnershipFactory,
    PartnershipReviewFactory,
)

pytestmark = pytest.mark.django_db


def _row(body: str, label: str) -> str:
    """The table row whose header is `label`."""
    match = re.search(rf"<th scope=\"row\" class=\"govuk-table__header\">{re.escape(label)}</th>(.*?)</tr>", body, re.S)
    assert match, f"no row for {label}"
    return match.group(1)


# --- Gap analysis ------------------------------------------------------------------------------


def test_gap_analysis_shows_covered_rows_and_gaps(client, officer, council, pension_partnership):
    # an ended partnership with a GP practice reaching carers does not count
    gp = OrganisationFactory(name="Riverside GP Practice", kind="nhs", partner_categories=["gp_practice"])
    PartnershipFactory(
        name="Old GP scheme", members=[council, gp], customer_groups=["carers"], status=Partnership.Status.ENDED
    )
    client.force_login(officer)
    response = client.get(reverse("partnerships:gap-analysis"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Pension Credit take-up" in _row(body, "The Pension Service")
    assert "Gap" not in _row(body, "The Pension Service")
    assert "Pension Credit take-up" in _row(body, "Older people")
    assert "Gap" in _row(body, "GP practice")
    assert "Old GP scheme" not in body
    assert "Gap" in _row(body, "Carers")
    assert "Gap" in _row(body, "Age UK")
    assert "11 of 12 core partner kinds have no active partnership" in body


def test_gap_analysis_district_filter(client, officer, council, pension_partnership, pension_service):
    client.force_login(officer)
    body = client.get(reverse("partnerships:gap-analysis"), {"district": "Southshire"}).content.decode()
    assert "Gap" in _row(body, "The Pension Service")  # the Pension Service organisation is in Northshire
    body = client.get(reverse("partnerships:gap-analysis"), {"district": "Northshire"}).content.decode()
    assert "Pension Credit take-up" in _row(body, "The Pension Service")


def test_outsider_sees_only_gaps(client, outsider, pension_partnership):
    client.force_login(outsider)
    body = client.get(reverse("partnerships:gap-analysis")).content.decode()
    assert "Pension Credit take-up" not in body
    assert "12 of 12 core partner kinds have no active partnership" in body


# --- Local action plan -------------------------------------------------------------------------


def _action_form(**overrides):
    milestone = date.today() + timedelta(days=60)
    data = {
        "partnership": "",
        "district": "",
        "action": "Brief the hospital discharge team on Attendance Allowance",
        "owner": "",
        "milestone_date_0": milestone.day,
        "milestone_date_1": milestone.month,
        "milestone_date_2": milestone.year,
        "indicator": "Referrals from the discharge team each month",
        "status": ActionPlanItem.Status.NOT_STARTED,
    }
    data.update(overrides)
    return data


def test_manager_adds_an_action_for_a_partnership(client, partnership_manager, pension_partnership):
    client.force_login(partnership_manager)
    response = client.post(
        reverse("partnerships:actionplan-create"),
        _action_form(partnership=pension_partnership.pk, owner=partnership_manager.pk),
    )
    assert response.status_code == 302
    item = ActionPlanItem.objects.get()
    assert item.partnership == pension_partnership
    assert item.owner == partnership_manager
    listing = client.get(reverse("partnerships:actionplan-list")).content.decode()
    assert "Brief the hospital discharge team" in listing
    assert "Pension Credit take-up" in listing


def test_action_needs_a_partnership_or_a_district(client, partnership_manager):
    client.force_login(partnership_manager)
    response = client.post(reverse("partnerships:actionplan-create"), _action_form(owner=partnership_manager.pk))
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "Choose a partnership or enter the district the action is for" in body
    assert "action_plan_item_has_a_home" not in body
    assert not ActionPlanItem.objects.exists()


def test_action_for_a_district_is_accepted(client, partnership_manager):
    client.force_login(partnership_manager)
    response = client.post(
        reverse("partnerships:actionplan-create"), _action_form(district="Northshire", owner=partnership_manager.pk)
    )
    assert response.status_code == 302
    assert ActionPlanItem.objects.get().district == "Northshire"


def test_action_for_someone_elses_partnership_is_refused(client, partnership_manager, other_organisation):
    theirs = PartnershipFactory(members=[other_organisation, OrganisationFactory()])
    client.force_login(partnership_manager)
    response = client.post(
        reverse("partnerships:actionplan-create"), _action_form(partnership=theirs.pk, owner=partnership_manager.pk)
    )
    assert response.status_code == 200
    assert not ActionPlanItem.objects.exists()


def test_overdue_action_is_tagged(client, officer, pension_partnership):
    ActionPlanItemFactory(
        partnership=pension_partnership, action="Late action", milestone_date=date.today() - timedelta(days=3)
    )
    ActionPlanItemFactory(
        partnership=pension_partnership,
        action="Finished action",
        milestone_date=date.today() - timedelta(days=3),
        status=ActionPlanItem.Status.DONE,
    )
    ActionPlanItemFactory(
        partnership=pension_partnership, action="Future action", milestone_date=date.today() + timedelta(days=3)
    )
    client.force_login(officer)
    body = client.get(reverse("partnerships:actionplan-list")).content.decode()

    def row(action):
        return body[body.index(action) :].split("</tr>")[0]

    assert "Overdue" in row("Late action")
    assert "Overdue" not in row("Finished action")
    assert "Overdue" not in row("Future action")
    done_only = client.get(reverse("partnerships:actionplan-list"), {"status": "done"}).content.decode()
    assert "Finished action" in done_only
    assert "Late action" not in done_only


def test_manager_edits_an_action(client, partnership_manager, pension_partnership):
    item = ActionPlanItemFactory(partnership=pension_partnership, owner=partnership_manager)
    client.force_login(partnership_manager)
    response = client.post(
        reverse("partnerships:actionplan-edit", args=[item.pk]),
        _action_form(partnership=pension_partnership.pk, owner=partnership_manager.pk, status="in_progress"),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ActionPlanItem.Status.IN_PROGRESS


def test_officer_may_not_add_or_change_actions(client, officer, pension_partnership):
    item = ActionPlanItemFactory(partnership=pension_partnership)
    client.force_login(officer)
    assert client.get(reverse("partnerships:actionplan-create")).status_code == 403
    assert client.get(reverse("partnerships:actionplan-edit", args=[item.pk])).status_code == 403


def test_manager_of_another_organisation_gets_404_on_an_action(
    client, user_with_roles, other_organisation, pension_partnership
):
    item = ActionPlanItemFactory(partnership=pension_partnership)
    client.force_login(user_with_roles(other_organisation, Role.PARTNERSHIP_MANAGER))
    assert client.get(reverse("partnerships:actionplan-edit", args=[item.pk])).status_code == 404


# --- Reviews -----------------------------------------------------------------------------------


def _review_form(**overrides):
    data = {
        "kind": PartnershipReview.Kind.ANNUAL,
        "period_start_0": "1",
        "period_start_1": "4",
        "period_start_2": "2025",
        "period_end_0": "31",
        "period_end_1": "3",
        "period_end_2": "2026",
        "reviewed_on_0": "15",
        "reviewed_on_1": "4",
        "reviewed_on_2": "2026",
        "referrals_sent": "40",
        "referrals_received": "12",
        "awards": "9",
        "weekly_amount_gained": "412.35",
        "what_worked": "Joint visits to people leaving hospital.",
        "what_did_not": "Referrals by fax were lost.",
        "next_steps": "Move referrals into JointCase.",
    }
    data.update(overrides)
    return data


def test_manager_records_a_review_and_sees_the_report(client, partnership_manager, pension_partnership):
    client.force_login(partnership_manager)
    response = client.post(reverse("partnerships:review-create", args=[pension_partnership.pk]), _review_form())
    review = PartnershipReview.objects.get()
    assert response.status_code == 302
    assert response["Location"] == review.get_absolute_url()
    assert review.weekly_amount_gained == Decimal("412.35")
    assert review.reviewed_by == partnership_manager
    body = client.get(review.get_absolute_url()).content.decode()
    assert "Annual review" in body
    assert "Pension Credit take-up" in body
    assert "1 April 2025 to 31 March 2026" in body
    assert "£412.35" in body
    assert "£21,442.20" in body  # 412.35 × 52, to the penny
    assert "Referrals by fax were lost." in body
    assert "Print this page" in body


def test_printable_review_has_no_menus(client, officer, pension_partnership):
    review = PartnershipReviewFactory(partnership=pension_partnership)
    client.force_login(officer)
    body = client.get(review.get_absolute_url(), {"print": "1"}).content.decode()
    assert "£21,442.20" in body
    assert 'class="govuk-service-navigation"' not in body
    assert "Sign out" not in body


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("weekly_amount_gained", "-1.00", "Amount gained a week cannot be negative"),
        ("weekly_amount_gained", "10.123", "Amount gained a week must be in pounds and pence"),
        ("period_end_2", "2024", "End of the period must be on or after the start"),
        ("kind", "", "Select the type of review"),
    ],
)
def test_bad_review_is_refused(client, partnership_manager, pension_partnership, field, value, message):
    client.force_login(partnership_manager)
    response = client.post(
        reverse("partnerships:review-create", args=[pension_partnership.pk]), _review_form(**{field: value})
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PartnershipReview.objects.exists()


def test_officer_may_not_record_a_review(client, officer, pension_partnership):
    client.force_login(officer)
    assert client.get(reverse("partnerships:review-create", args=[pension_partnership.pk])).status_code == 403
    assert (
        client.post(reverse("partnerships:review-create", args=[pension_partnership.pk]), _review_form()).status_code
        == 403
    )


def test_outsider_gets_404_on_someone_elses_review(
    client, outsider, user_with_roles, other_organisation, pension_partnership
):
    review = PartnershipReviewFactory(partnership=pension_partnership)
    client.force_login(outsider)
    assert client.get(review.get_absolute_url()).status_code == 404
    client.force_login(user_with_roles(other_organisation, Role.PARTNERSHIP_MANAGER))
    assert client.get(review.get_absolute_url()).status_code == 404
    response = client.post(reverse("partnerships:review-create", args=[pension_partnership.pk]), _review_form())
    assert response.status_code == 404
    assert PartnershipReview.objects.count() == 1


def test_manager_sees_the_forms(client, partnership_manager, pension_partnership):
    item = ActionPlanItemFactory(partnership=pension_partnership, owner=partnership_manager)
    client.force_login(partnership_manager)
    for url in [
        reverse("partnerships:actionplan-create"),
        reverse("partnerships:actionplan-edit", args=[item.pk]),
        reverse("partnerships:review-create", args=[pension_partnership.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Pension Credit take-up" in response.content.decode()


# --- Added by the audit of issue 3: 404s on every action URL, query bounds ----------------------


def test_manager_of_another_organisation_cannot_change_an_action(
    client, user_with_roles, other_organisation, pension_partnership
):
    item = ActionPlanItemFactory(partnership=pension_partnership)
    client.force_login(user_with_roles(other_organisation, Role.PARTNERSHIP_MANAGER))
    response = client.post(
        reverse("partnerships:actionplan-edit", args=[item.pk]),
        _action_form(partnership=pension_partnership.pk, action="Taken over", status=ActionPlanItem.Status.DONE),
    )
    assert response.status_code == 404
    item.refresh_from_db()
    assert (item.action, item.status) == (
        "Brief hospital discharge team on Attendance Allowance referrals",
        ActionPlanItem.Status.NOT_STARTED,
    )


def test_printable_review_is_not_found_by_another_organisation(client, outsider, pension_partnership):
    review = PartnershipReviewFactory(partnership=pension_partnership)
    client.force_login(outsider)
    assert client.get(review.get_absolute_url(), {"print": "1"}).status_code == 404


def _query_count(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_action_plan_list_queries_do_not_grow_with_actions(client, officer, council, django_assert_max_num_queries):
    client.force_login(officer)
    url = reverse("partnerships:actionplan-list")
    ActionPlanItemFactory(partnership=PartnershipFactory(members=[council, OrganisationFactory()]))
    one = _query_count(client, url)
    for _ in range(20):
        ActionPlanItemFactory(partnership=PartnershipFactory(members=[council, OrganisationFactory()]))
    with django_assert_max_num_queries(one):
        body = client.get(url).content.decode()
    assert body.count("Brief hospital discharge team on Attendance Allowance referrals") == 21


def test_gap_analysis_queries_do_not_grow_with_partnerships(client, officer, council, django_assert_max_num_queries):
    client.force_login(officer)
    url = reverse("partnerships:gap-analysis")
    PartnershipFactory(members=[council, OrganisationFactory(partner_categories=["pension_service"])])
    one = _query_count(client, url)
    for category in ["gp_practice", "age_uk", "citizens_advice", "jobcentre_plus", "carers_organisation"] * 3:
        PartnershipFactory(members=[council, OrganisationFactory(partner_categories=[category])])
    with django_assert_max_num_queries(one):
        client.get(url)


# --- Review key indicators filled in from the referrals (issue 3: "filled from the referrals app") ---


def _referral(sender_user, receiver, *, sent_on, awards=()):
    """A referral sent on `sent_on`, with benefit outcomes given as (decision, £ a week)."""
    from referrals.models import BenefitOutcome, Referral
    from referrals.services.referrals import referral_create, referral_send
    from tests.referrals.factories import ClientFactory, ConsentFactory

    person = ClientFactory(organisation=sender_user.membership.organisation)
    ConsentFactory(client=person, organisations=[receiver], given_on=date(2020, 1, 1))
    draft = referral_create(
        client=person, by=sender_user, to_organisation=receiver, referral_type="pension_credit", reason="Low income"
    )
    referral = referral_send(referral_id=draft.pk, by=sender_user, on=sent_on)
    sent_at = timezone.make_aware(datetime.combine(sent_on, time(10, 0)))
    Referral.objects.filter(pk=referral.pk).update(sent_at=sent_at)
    for decision, weekly in awards:
        BenefitOutcome.objects.create(
            referral=referral,
            benefit="pension_credit",
            decision=decision,
            weekly_amount=Decimal(weekly),
            effective_date=sent_on if decision == "awarded" else None,
            recorded_by=sender_user,
        )
    return referral


@pytest.fixture
def referral_history(officer, council, pension_service, pension_partnership, user_with_roles):
    """To Monday 30 November 2026: council → Pension Service and back, some with awards."""
    pension_officer = user_with_roles(pension_service, Role.VISITING_OFFICER)
    elsewhere = OrganisationFactory(name="Age UK Northshire")
    _referral(officer, pension_service, sent_on=date(2026, 10, 1), awards=[("awarded", "67.45"), ("refused", "0")])
    _referral(officer, pension_service, sent_on=date(2026, 3, 2), awards=[("awarded", "72.65")])
    _referral(officer, pension_service, sent_on=date(2025, 12, 15))
    _referral(officer, pension_service, sent_on=date(2025, 11, 28), awards=[("awarded", "99.99")])  # too old
    _referral(pension_officer, council, sent_on=date(2026, 6, 10), awards=[("awarded", "20.00")])
    _referral(officer, elsewhere, sent_on=date(2026, 10, 5), awards=[("awarded", "50.00")])  # not a partner


def _figures_on_form(client, partnership, **params):
    with time_machine.travel(datetime(2026, 11, 30, 9, 0, tzinfo=timezone.get_current_timezone()), tick=False):
        client.force_login(client.user)
        response = client.get(reverse("partnerships:review-create", args=[partnership.pk]), params)
    form = response.context["form"]
    names = ("period_start", "period_end", "referrals_sent", "referrals_received", "awards", "weekly_amount_gained")
    return response, {name: form[name].value() for name in names}


def test_annual_review_figures_are_filled_in_from_the_referrals(
    client, partnership_manager, pension_partnership, referral_history
):
    client.user = partnership_manager
    response, figures = _figures_on_form(client, pension_partnership)
    assert figures == {
        "period_start": date(2025, 12, 1),
        "period_end": date(2026, 11, 30),
        "referrals_sent": 3,
        "referrals_received": 1,
        "awards": 3,
        "weekly_amount_gained": Decimal("160.10"),  # 67.45 + 72.65 + 20.00
    }
    assert "sent from 1 December 2025 to 30 November 2026" in response.content.decode()


def test_interim_review_figures_cover_the_last_six_months(
    client, partnership_manager, pension_partnership, referral_history
):
    client.user = partnership_manager
    _, figures = _figures_on_form(client, pension_partnership, kind="interim")
    assert figures == {
        "period_start": date(2026, 6, 1),
        "period_end": date(2026, 11, 30),
        "referrals_sent": 1,
        "referrals_received": 1,
        "awards": 2,
        "weekly_amount_gained": Decimal("87.45"),
    }


def test_review_form_figures_take_a_fixed_number_of_queries(
    client, partnership_manager, pension_partnership, referral_history, django_assert_max_num_queries
):
    client.force_login(partnership_manager)
    with django_assert_max_num_queries(12):
        client.get(reverse("partnerships:review-create", args=[pension_partnership.pk]))


@pytest.mark.parametrize(
    "kind, today, expected",
    [
        ("annual", date(2026, 12, 1), (date(2025, 12, 2), date(2026, 12, 1))),
        ("interim", date(2026, 12, 1), (date(2026, 6, 2), date(2026, 12, 1))),
        ("interim", date(2026, 8, 30), (date(2026, 2, 28), date(2026, 8, 30))),  # 31 August less 6 months
        ("annual", date(2024, 2, 28), (date(2023, 2, 28), date(2024, 2, 28))),  # 29 February less 12 months
        ("interim", date(2026, 1, 14), (date(2025, 7, 15), date(2026, 1, 14))),  # back across the new year
    ],
)
def test_review_period_is_the_last_6_or_12_months_to_today(kind, today, expected):
    assert review_period(kind=kind, today=today) == expected
