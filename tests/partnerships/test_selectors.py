from datetime import date

import pytest

from partnerships.models import Agreement, Partnership, ReferralType
from partnerships.selectors import (
    gap_analysis,
    partnership_filter,
    partnership_list_for_user,
    routing_check,
    routing_limits,
    service_level_for,
)
from tests.partnerships.factories import (
    AgreementFactory,
    OrganisationFactory,
    PartnershipFactory,
    RoutingRuleFactory,
    ServiceLevelFactory,
)

pytestmark = pytest.mark.django_db

ON = date(2026, 11, 23)


def test_defaults_when_no_sla_sets_service_levels(council, pension_service):
    terms = service_level_for(
        sender=council, receiver=pension_service, referral_type=ReferralType.PENSION_CREDIT, on=ON
    )
    assert (terms.acknowledge_working_days, terms.complete_working_days, terms.agreement) == (2, 20, None)
    assert terms.source.startswith("JointCase defaults")


def test_sla_sets_service_levels_per_referral_type(council, pension_service):
    sla = AgreementFactory(partnership=PartnershipFactory(members=[council, pension_service]), title="Joint SLA")
    ServiceLevelFactory(
        agreement=sla, referral_type=ReferralType.PENSION_CREDIT, acknowledge_working_days=1, complete_working_days=10
    )
    pension_credit = service_level_for(sender=council, receiver=pension_service, referral_type="pension_credit", on=ON)
    assert (pension_credit.acknowledge_working_days, pension_credit.complete_working_days) == (1, 10)
    assert pension_credit.agreement == sla
    # a type the SLA does not set falls back to the defaults
    other = service_level_for(sender=council, receiver=pension_service, referral_type="home_adaptations", on=ON)
    assert (other.acknowledge_working_days, other.complete_working_days, other.agreement) == (2, 20, None)
    # the SLA works in both directions between the two partners
    assert (
        service_level_for(sender=pension_service, receiver=council, referral_type="pension_credit", on=ON).agreement
        == sla
    )


@pytest.mark.parametrize(
    "change, why",
    [
        ({"signed_on": None}, "an unsigned draft"),
        ({"signed_on": date(2026, 12, 1)}, "signed after the day"),
        ({"is_current": False}, "superseded"),
        ({"kind": Agreement.Kind.MOU}, "not an SLA"),
    ],
)
def test_only_signed_current_slas_in_force_count(council, pension_service, change, why):
    sla = AgreementFactory(partnership=PartnershipFactory(members=[council, pension_service]), **change)
    ServiceLevelFactory(
        agreement=sla, referral_type="pension_credit", acknowledge_working_days=1, complete_working_days=5
    )
    terms = service_level_for(sender=council, receiver=pension_service, referral_type="pension_credit", on=ON)
    assert terms.agreement is None, why


def test_ended_partnership_sla_does_not_count_and_newest_sla_wins(council, pension_service):
    ended = AgreementFactory(
        partnership=PartnershipFactory(members=[council, pension_service], status=Partnership.Status.ENDED)
    )
    ServiceLevelFactory(
        agreement=ended, referral_type="pension_credit", acknowledge_working_days=1, complete_working_days=5
    )
    assert (
        service_level_for(sender=council, receiver=pension_service, referral_type="pension_credit", on=ON).agreement
        is None
    )
    live = PartnershipFactory(members=[council, pension_service])
    old = AgreementFactory(partnership=live, signed_on=date(2024, 4, 1))
    new = AgreementFactory(partnership=live, signed_on=date(2026, 4, 1))
    ServiceLevelFactory(
        agreement=old, referral_type="pension_credit", acknowledge_working_days=5, complete_working_days=30
    )
    ServiceLevelFactory(
        agreement=new, referral_type="pension_credit", acknowledge_working_days=2, complete_working_days=8
    )
    assert (
        service_level_for(sender=council, receiver=pension_service, referral_type="pension_credit", on=ON).agreement
        == new
    )


def test_a_third_organisation_does_not_borrow_an_sla(council, pension_service):
    sla = AgreementFactory(partnership=PartnershipFactory(members=[council, pension_service]))
    ServiceLevelFactory(agreement=sla, referral_type="pension_credit")
    nhs = OrganisationFactory(name="NHS")
    assert (
        service_level_for(sender=nhs, receiver=pension_service, referral_type="pension_credit", on=ON).agreement is None
    )


@pytest.mark.parametrize(
    "referral_type, age, accepted, reason",
    [
        ("pension_credit", 70, True, "Pension Service accepts this referral."),
        ("pension_credit", 66, True, "Pension Service accepts this referral."),
        ("pension_credit", 65, False, "Pension Service only takes clients aged 66 or over."),
        ("pension_credit", 121, False, "Pension Service only takes clients aged 120 or under."),
        ("dla_pip", 70, False, "Pension Service does not take DLA or PIP claim referrals."),
        ("attendance_allowance", None, True, "Pension Service accepts this referral."),
    ],
)
def test_routing_rules_by_type_and_age(council, pension_service, referral_type, age, accepted, reason):
    sla = AgreementFactory(partnership=PartnershipFactory(members=[council, pension_service]))
    RoutingRuleFactory(
        agreement=sla,
        receiving_organisation=pension_service,
        referral_types=["pension_credit", "attendance_allowance"],
        minimum_age=66,
        maximum_age=120,
    )
    decision = routing_check(
        sender=council, receiver=pension_service, referral_type=referral_type, client_age=age, on=ON
    )
    assert (decision.accepted, decision.reason) == (accepted, reason)


def test_no_routing_rule_accepts_everything(council, pension_service):
    PartnershipFactory(members=[council, pension_service])
    assert routing_check(
        sender=council, receiver=pension_service, referral_type="dla_pip", client_age=30, on=ON
    ).accepted


@pytest.fixture
def routing_set(council, pension_service):
    """Under one signed SLA: the Pension Service takes two types from 66; Age UK takes anything; a closed
    partner refuses everyone; a rule names an organisation outside the partnership."""
    age_uk = OrganisationFactory(name="Age UK Northshire")
    closed = OrganisationFactory(name="Closed Advice Centre", is_active=False)
    sla = AgreementFactory(partnership=PartnershipFactory(members=[council, pension_service, age_uk, closed]))
    RoutingRuleFactory(
        agreement=sla,
        receiving_organisation=pension_service,
        referral_types=["pension_credit", "attendance_allowance"],
        minimum_age=66,
    )
    RoutingRuleFactory(agreement=sla, receiving_organisation=age_uk, referral_types=[])
    RoutingRuleFactory(agreement=sla, receiving_organisation=closed, referral_types=[], minimum_age=200)
    RoutingRuleFactory(
        agreement=sla, receiving_organisation=OrganisationFactory(name="Outsider"), referral_types=[], minimum_age=200
    )
    return sla


def test_routing_limits_name_each_destination_a_client_is_refused_or_limited_by(
    council, pension_service, routing_set, django_assert_num_queries
):
    # when a client of 70 and one of 60 are about to be referred, then one query each says which
    # destinations are limited and which refused, and why (a closed or outside organisation is not named)
    with django_assert_num_queries(1):
        seventy = routing_limits(sender=council, client_age=70, on=ON)
    sixty = routing_limits(sender=council, client_age=60, on=ON)
    assert seventy.refused == []
    assert seventy.limited == [
        (pension_service, "Northshire Pension Service only takes: Attendance Allowance claim, Pension Credit claim.")
    ]
    assert sixty.refused == [(pension_service, "Pension Service only takes clients aged 66 or over.")]
    assert sixty.limited == []


def test_routing_rules_of_an_agreement_not_in_force_do_not_apply(council, pension_service, routing_set):
    # given the SLA holding the rules has not been signed
    routing_set.signed_on = None
    routing_set.save()
    # then neither the form's limits nor the check on sending apply its rules
    limits = routing_limits(sender=council, client_age=60, on=ON)
    assert (limits.refused, limits.limited) == ([], [])
    decision = routing_check(sender=council, receiver=pension_service, referral_type="dla_pip", client_age=60, on=ON)
    assert (decision.accepted, decision.reason) == (True, "No routing rules limit this referral.")


def test_partnership_list_is_scoped_and_filtered(council, officer, pension_service, outsider):
    nhs = OrganisationFactory(name="NHS")
    ours = PartnershipFactory(name="Ours", members=[council, pension_service], next_review_date=date(2026, 11, 1))
    PartnershipFactory(name="Theirs", members=[pension_service, nhs])
    suspended = PartnershipFactory(name="Suspended", members=[council, nhs], status="suspended", kind="co_location")
    visible = partnership_list_for_user(user=officer)
    assert list(visible) == [ours, suspended]
    assert list(partnership_list_for_user(user=outsider)) == []
    assert list(partnership_filter(partnerships=visible, organisation=nhs)) == [suspended]
    assert list(partnership_filter(partnerships=visible, kind="co_location")) == [suspended]
    assert list(partnership_filter(partnerships=visible, status="active")) == [ours]
    assert list(partnership_filter(partnerships=visible, review_due=True, on=ON)) == [ours]


def test_gap_analysis_on_a_fixed_dataset(council, officer, pension_service):
    # given: an active partnership with the Pension Service reaching older people and carers,
    # an ended one with an NHS trust, and a GP practice partnership in another district
    nhs = OrganisationFactory(name="Northshire NHS", partner_categories=["nhs_trust", "hospital_discharge"])
    gp = OrganisationFactory(name="Far GP", district="Southshire", partner_categories=["gp_practice"])
    active = PartnershipFactory(members=[council, pension_service], customer_groups=["older_people", "carers"])
    PartnershipFactory(members=[council, nhs], status=Partnership.Status.ENDED, customer_groups=["leaving_hospital"])
    PartnershipFactory(members=[council, gp])
    # when
    analysis = gap_analysis(user=officer, district="Northshire")
    covered = {row.code for row in analysis.partners if not row.is_gap}
    groups = {row.code: row.partnerships for row in analysis.customer_groups}
    # then
    assert covered == {"pension_service"}
    assert analysis.partner_gaps == 11
    assert groups["older_people"] == (active,) and groups["carers"] == (active,)
    assert groups["leaving_hospital"] == ()
    assert analysis.customer_group_gaps == 7
    # without a district filter the GP practice partnership counts too
    assert {row.code for row in gap_analysis(user=officer).partners if not row.is_gap} == {
        "pension_service",
        "gp_practice",
    }
