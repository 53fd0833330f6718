"""Assessment flow: draft → complete (frozen, with the rates version) → superseded by a re-assessment;
rates that a completed assessment used cannot change."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assessments import services
from assessments.models import Assessment, RatesYear
from assessments.selectors import assessment_list_for_user, rates_for_date
from tests.referrals.factories import ClientFactory

pytestmark = pytest.mark.django_db


def test_rates_are_seeded_for_three_years():
    assert rates_for_date(on=date(2023, 4, 6)).label == "2023/24"
    assert rates_for_date(on=date(2024, 4, 5)).label == "2023/24"  # 5 April still the old year
    assert rates_for_date(on=date(2024, 4, 6)).mig_single_pension_age == Decimal("228.70")
    assert rates_for_date(on=date(2025, 4, 6)).mig_single_pension_age is None  # unverified, left empty


def test_verified_cells_are_a_second_version_and_the_first_is_unchanged():
    # 0005: figures verified against public sources after the first seeding (sources in the migration)
    v1_2025, v2_2025 = RatesYear.objects.filter(start_year=2025).order_by("version")
    assert rates_for_date(on=date(2025, 4, 6)) == v2_2025 and v2_2025.version == 2
    assert v1_2025.attendance_allowance_higher is None  # a used version never changes
    assert (v2_2025.attendance_allowance_higher, v2_2025.attendance_allowance_lower) == (
        Decimal("110.40"),
        Decimal("73.90"),
    )
    assert (v2_2025.pip_daily_living_enhanced, v2_2025.pip_daily_living_standard) == (
        Decimal("110.40"),
        Decimal("73.90"),
    )
    assert (v2_2025.pip_mobility_enhanced, v2_2025.pip_mobility_standard) == (Decimal("77.05"), Decimal("29.20"))
    assert (v2_2025.dla_care_highest, v2_2025.dla_care_middle, v2_2025.dla_care_lowest) == (
        Decimal("110.40"),
        Decimal("73.90"),
        Decimal("29.20"),
    )
    assert (v2_2025.guarantee_credit_single, v2_2025.guarantee_credit_couple) == (Decimal("227.10"), Decimal("346.60"))
    assert v2_2025.mig_single_25_to_pension_age == Decimal("112.50")  # carried over from version 1
    assert "0005_rates_verified_cells_version_2" in v2_2025.source
    v2_2023 = rates_for_date(on=date(2023, 7, 1))
    assert v2_2023.version == 2
    assert (v2_2023.guarantee_credit_single, v2_2023.guarantee_credit_couple) == (Decimal("201.05"), Decimal("306.85"))
    assert rates_for_date(on=date(2024, 7, 1)).version == 1  # nothing verified was missing for 2024/25
    # still empty: no public source found
    for name in ("mig_single_pension_age", "carer_premium", "child_premium", "savings_credit_disregard_single"):
        assert getattr(v2_2025, name) is None, name
    for year in (2023, 2024, 2025):
        latest = RatesYear.objects.filter(start_year=year).order_by("-version").first()
        assert latest.mig_couple_pension_age is None and latest.disability_premium_couple is None


def test_a_2025_assessment_uses_the_verified_night_element(client_record, officer):
    # given a 30-year-old on ESA and PIP daily living at the enhanced rate, no night care, in 2025/26
    young = ClientFactory(organisation=client_record.organisation, date_of_birth=date(1995, 1, 1))
    assessment = services.assessment_create(
        client=young, by=officer, effective_date=date(2025, 7, 7), weekly_care_cost=Decimal("300.00")
    )
    services.income_line_add(assessment=assessment, by=officer, type="esa", amount=Decimal("300.00"))
    services.income_line_add(
        assessment=assessment, by=officer, type="pip_daily_living_enhanced", amount=Decimal("110.40")
    )
    # when it is completed
    done = services.assessment_complete(assessment=assessment, by=officer)
    # then: night element 110.40 − 73.90 = 36.50; MIG 112.50 + 49.65 + 24.25 = 186.40
    assert done.rates.label == "2025/26" and done.rates.version == 2
    assert Decimal(done.result["disregarded"]) == Decimal("36.50")
    assert Decimal(done.result["mig"]) == Decimal("186.40")
    assert done.weekly_charge == Decimal("187.50")  # 300.00 + 110.40 − 36.50 − 186.40


def test_legacy_buffer_basis_with_the_2023_guarantee_credit(client_record, officer):
    from assessments.models import ChargingPolicy

    ChargingPolicy.objects.create(
        effective_from=date(2023, 4, 6), mig_basis="guarantee_credit_plus_buffer", buffer_percent=Decimal("25")
    )
    assessment = services.assessment_create(
        client=client_record, by=officer, effective_date=date(2023, 7, 3), weekly_care_cost=Decimal("300.00")
    )
    services.income_line_add(assessment=assessment, by=officer, type="state_pension", amount=Decimal("300.00"))
    done = services.assessment_complete(assessment=assessment, by=officer)
    assert Decimal(done.result["mig"]) == Decimal("251.31")  # 201.05 × 1.25 = 251.3125
    assert done.weekly_charge == Decimal("48.69")


def test_complete_stores_charge_breakdown_and_rates_version(draft, officer):
    # when
    done = services.assessment_complete(assessment=draft, by=officer)
    # then: 300.00 − 228.70 (2024/25 pension-age MIG)
    assert done.status == Assessment.Status.COMPLETE
    assert done.weekly_charge == Decimal("71.30")
    assert done.rates.label == "2024/25" and done.rates.version == 1
    assert done.result["lines"][-1] == {"label": "Weekly charge", "amount": "71.30", "treatment": "charge"}
    assert done.history.first().history_user == officer


def test_complete_assessment_is_immutable(draft, officer):
    done = services.assessment_complete(assessment=draft, by=officer)
    with pytest.raises(ValidationError):
        services.income_line_add(assessment=done, by=officer, type="esa", amount=Decimal("10"))
    with pytest.raises(ValidationError):
        services.assessment_update(assessment=done, by=officer, weekly_care_cost=Decimal("1"))
    with pytest.raises(ValidationError):
        services.assessment_line_remove(
            assessment=done, by=officer, kind="income", line_id=done.income_lines.first().pk
        )
    with pytest.raises(services.InvalidTransition):
        services.assessment_complete(assessment=done, by=officer)


def test_complete_refused_when_a_rate_is_missing(client_record, officer):
    assessment = services.assessment_create(
        client=client_record, by=officer, effective_date=date(2025, 7, 1), weekly_care_cost=Decimal("100")
    )
    with pytest.raises(ValidationError) as refused:
        services.assessment_complete(assessment=assessment, by=officer)
    assert refused.value.messages == [
        "The council has not yet entered the Minimum Income Guarantee for people over State Pension age for "
        "2025/26. Ask a finance lead to enter the 2025/26 rates."
    ]
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT


def test_reassessment_supersedes_from_its_effective_date(draft, officer):
    # given a complete assessment
    first = services.assessment_complete(assessment=draft, by=officer)
    # when income falls and it is re-assessed
    second = services.assessment_reassess(assessment=first, by=officer, effective_date=date(2024, 10, 7))
    assert services.assessment_reassess(assessment=first, by=officer, effective_date=date(2024, 10, 7)) == second
    line = second.income_lines.get()
    services.assessment_line_remove(assessment=second, by=officer, kind="income", line_id=line.pk)
    services.income_line_add(assessment=second, by=officer, type="state_pension", amount=Decimal("250.00"))
    services.assessment_complete(assessment=second, by=officer)
    # then
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Assessment.Status.SUPERSEDED
    assert second.weekly_charge == Decimal("21.30")
    assert first.income_lines.get().amount == Decimal("300.00")  # the old one keeps its lines


def test_draft_cannot_be_reassessed(draft, officer):
    with pytest.raises(ValidationError):
        services.assessment_reassess(assessment=draft, by=officer, effective_date=date(2024, 8, 1))


def test_used_rates_cannot_change_but_can_be_corrected(draft, officer):
    rates = rates_for_date(on=date(2024, 7, 1))
    services.assessment_complete(assessment=draft, by=officer)
    with pytest.raises(ValidationError, match="used by a completed assessment and cannot change"):
        services.rates_update(rates=rates, by=officer, mig_single_pension_age=Decimal("1.00"))
    corrected = services.rates_correct(rates=rates, by=officer, mig_single_pension_age=Decimal("228.71"))
    assert corrected.version == 2 and corrected.status == RatesYear.Status.DRAFT
    assert rates_for_date(on=date(2024, 7, 1)) == rates  # a correction is used only once confirmed
    services.rates_update(rates=corrected, by=officer, source="checked")  # a draft can change
    services.rates_year_confirm(rates=corrected, by=officer)
    assert rates_for_date(on=date(2024, 7, 1)) == corrected
    assert RatesYear.objects.get(pk=rates.pk).mig_single_pension_age == Decimal("228.70")


def test_only_council_casework_roles_see_assessments(draft, officer, manager, outsider, finance_user):
    assert list(assessment_list_for_user(user=officer)) == [draft]
    assert list(assessment_list_for_user(user=manager)) == [draft]
    assert not assessment_list_for_user(user=outsider).exists()
    assert not assessment_list_for_user(user=finance_user).exists()


def _award(*, client_record, officer, council, benefit="attendance_allowance", amount="108.55", on=date(2024, 10, 7)):
    from referrals.models import BenefitOutcome, Referral
    from tests.partnerships.factories import OrganisationFactory

    referral = Referral.objects.create(
        client=client_record,
        from_organisation=council,
        from_officer=officer,
        to_organisation=OrganisationFactory(kind="pension_service"),
        referral_type=benefit,
        reason="Likely entitled",
    )
    return BenefitOutcome.objects.create(
        referral=referral,
        benefit=benefit,
        decision=BenefitOutcome.Decision.AWARDED,
        weekly_amount=Decimal(amount),
        effective_date=on,
        recorded_by=officer,
    )


def test_award_creates_a_draft_reassessment_with_the_change_in_charge(draft, officer, council, client_record):
    # given a complete assessment at £71.30 a week and night care provided
    services.assessment_update(assessment=draft, by=officer, night_care_provided=True)
    first = services.assessment_complete(assessment=draft, by=officer)
    outcome = _award(client_record=client_record, officer=officer, council=council)
    # when the Attendance Allowance award is recorded (twice: idempotent)
    reassessment = services.assessment_reassess_for_award(outcome=outcome, by=officer)
    again = services.assessment_reassess_for_award(outcome=outcome, by=officer)
    # then a draft re-assessment from the award's date has the AA at the higher rate
    assert again == reassessment
    assert reassessment.status == Assessment.Status.DRAFT and reassessment.supersedes == first
    assert reassessment.effective_date == date(2024, 10, 7)
    assert list(reassessment.income_lines.values_list("type", "amount")) == [
        ("state_pension", Decimal("300.00")),
        ("attendance_allowance_higher", Decimal("108.55")),
    ]
    change = services.assessment_change_in_charge(assessment=reassessment)
    assert change == {"old": Decimal("71.30"), "new": Decimal("179.85"), "difference": Decimal("108.55")}


def test_refused_award_or_no_complete_assessment_does_nothing(draft, officer, council, client_record):
    outcome = _award(client_record=client_record, officer=officer, council=council)
    assert services.assessment_reassess_for_award(outcome=outcome, by=officer) is None  # only a draft exists
    outcome.decision = "refused"
    services.assessment_complete(assessment=draft, by=officer)
    assert services.assessment_reassess_for_award(outcome=outcome, by=officer) is None


def test_annual_uprating_prepares_once_previews_and_applies(client_record, officer, council):
    # given a 2023/24 assessment with AA higher at the 2023/24 rate
    assessment = services.assessment_create(
        client=client_record, by=officer, effective_date=date(2023, 7, 3), weekly_care_cost=Decimal("500.00")
    )
    services.income_line_add(assessment=assessment, by=officer, type="state_pension", amount=Decimal("300.00"))
    services.income_line_add(
        assessment=assessment, by=officer, type="attendance_allowance_higher", amount=Decimal("101.75")
    )
    services.assessment_update(assessment=assessment, by=officer, night_care_provided=True)
    services.assessment_complete(assessment=assessment, by=officer)
    # when 2024/25 uprating is prepared twice (as the Celery task would, e.g. on a retry)
    from assessments.tasks import uprating_prepare_task

    first = services.uprating_prepare(organisation=council, start_year=2024, by=officer)
    uprating_prepare_task(organisation_id=council.pk, start_year=2024, by_id=officer.pk)
    # then one draft from 6 April 2024 with AA at the 2024/25 rate
    assert Assessment.objects.filter(supersedes=assessment).count() == 1
    draft = first[0]
    assert draft.effective_date == date(2024, 4, 6)
    assert draft.income_lines.get(type="attendance_allowance_higher").amount == Decimal("108.55")
    [row] = services.uprating_preview(organisation=council, start_year=2024)
    # old: 300 + 101.75 − 214.35 = 187.40; new: 300 + 108.55 − 228.70 = 179.85
    assert (row.old, row.new, row.difference) == (Decimal("187.40"), Decimal("179.85"), Decimal("-7.55"))
    assert services.uprating_apply(organisation=council, start_year=2024, by=officer) == (1, [])
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUPERSEDED


def test_an_award_recorded_on_a_referral_drafts_the_reassessment(
    draft, officer, council, client_record, user_with_roles, django_capture_on_commit_callbacks, monkeypatch
):
    from assessments.tasks import assessment_reassess_for_award_task
    from partnerships.models import Role
    from referrals.services.referrals import (
        BenefitResult,
        referral_accept,
        referral_complete,
        referral_create,
        referral_send,
    )
    from tests.partnerships.factories import OrganisationFactory
    from tests.referrals.factories import ConsentFactory

    # given a complete assessment and an Attendance Allowance referral to the Pension Service
    first = services.assessment_complete(assessment=draft, by=officer)
    pension = OrganisationFactory(name="The Pension Service", kind="pension_service")
    pension_officer = user_with_roles(pension, Role.VISITING_OFFICER)
    ConsentFactory(client=client_record, organisations=[pension], given_on=date(2024, 1, 1))
    referral = referral_create(
        client=client_record, by=officer, to_organisation=pension, referral_type="attendance_allowance", reason="Care"
    )
    referral_send(referral_id=referral.pk, by=officer, on=date(2024, 9, 2))
    referral_accept(referral_id=referral.pk, by=pension_officer)
    # when the Pension Service records the award (the task runs in the test, whatever the broker settings:
    # with REDIS_URL set Celery is not eager and would queue it to a real broker)
    monkeypatch.setattr(
        "assessments.tasks.assessment_reassess_for_award_task.delay",
        lambda **kwargs: assessment_reassess_for_award_task.run(**kwargs),
    )
    with django_capture_on_commit_callbacks(execute=True):
        referral_complete(
            referral_id=referral.pk,
            by=pension_officer,
            successful=True,
            benefits=[BenefitResult("attendance_allowance", "awarded", Decimal("108.55"), date(2024, 10, 7))],
        )
    # then the council has a draft re-assessment with the award, owned by the referring officer
    reassessment = Assessment.objects.get(supersedes=first)
    assert reassessment.status == Assessment.Status.DRAFT
    assert reassessment.effective_date == date(2024, 10, 7)
    assert ("attendance_allowance_higher", Decimal("108.55")) in list(
        reassessment.income_lines.values_list("type", "amount")
    )
