import io
from datetime import date
from decimal import Decimal as D

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from assessments.models import RatesYear
from boards.models import Board
from directpayments.models import Agreement as PaymentAgreement
from partnerships.models import Accreditation, Contact, Organisation, Partnership, Role, ServiceLevel, StaffMembership
from referrals.models import Client, Consent, Referral, Visit

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_one_account_per_role_and_is_idempotent():
    call_command("seed_demo", stdout=None)
    models = [
        get_user_model(),
        Organisation,
        Client,
        Consent,
        Partnership,
        Contact,
        ServiceLevel,
        Accreditation,
        Referral,
        Visit,
    ]
    counts = [model.objects.count() for model in models]
    call_command("seed_demo", stdout=None)
    assert counts == [model.objects.count() for model in models]
    assert counts[4:] == [1, 4, 2, 1, 3, 3]  # partnership, contacts, service levels, accreditation, referrals, visits
    assert Referral.objects.filter(status="completed", benefit_outcomes__decision="awarded").count() == 1
    assert Board.objects.count() == 1
    assert PaymentAgreement.objects.filter(status="active").count() == 1
    assert set(Organisation.objects.values_list("kind", flat=True)) == {
        "council",
        "pension_service",
        "nhs",
        "voluntary",
    }
    held = set(get_user_model().objects.values_list("groups__name", flat=True))
    assert held >= set(Role.values)
    assert StaffMembership.objects.count() == get_user_model().objects.count()
    assert get_user_model().objects.get(username="officer").check_password("jointcase-demo-2026")


TODAY = date(2026, 11, 27)  # financial year 2026/27


def _on(day: date, *args):
    with time_machine.travel(day, tick=False):
        call_command("seed_demo", *args, stdout=io.StringIO())


def test_seed_demo_makes_this_years_rates_as_flagged_demonstration_figures_once():
    _on(TODAY)
    _on(TODAY)
    rates = RatesYear.objects.get(start_year=2026)  # one version, however often it runs
    assert rates.is_demonstration and rates.status == RatesYear.Status.CONFIRMED
    assert "Demonstration figures — not for live use" in rates.source
    # each cell: its latest verified figure raised by an assumed 3.8% a year, rounded half up to the 5p:
    # Pension-age MIG 228.70 (2024/25) → 237.39 → 237.40 → 246.42 → 246.40; AA 110.40 (2025/26) → 114.60
    assert rates.mig_single_pension_age == D("246.40")
    assert rates.mig_single_25_to_pension_age == D("116.80")  # 112.50 × 1.038 = 116.775
    assert (rates.attendance_allowance_higher, rates.attendance_allowance_lower) == (D("114.60"), D("76.70"))
    assert (rates.capital_lower, rates.capital_upper) == (D("14250.00"), D("23250.00"))
    assert rates.mig_couple_pension_age is None  # no verified source: left empty, not made up
    assert rates.cell_sources["mig_single_pension_age"] == (
        "Demonstration figure — not for live use: the 2024/25 figure £228.70 raised by an assumed 3.8% a "
        "year, to the nearest 5p"
    )
    assert not RatesYear.objects.filter(start_year=2027).exists()  # next year's only from 1 February
    # the real years are untouched
    assert not RatesYear.objects.filter(start_year__lt=2026, is_demonstration=True).exists()


def test_seed_demo_after_1_february_adds_next_year_too():
    _on(date(2027, 2, 1))
    assert set(RatesYear.objects.filter(is_demonstration=True).values_list("start_year", flat=True)) == {2026, 2027}
    # 2027/28 goes on from the 2026/27 demonstration figures: 246.40 × 1.038 = 255.7632 → 255.75
    assert RatesYear.objects.get(start_year=2027).mig_single_pension_age == D("255.75")


def _date_fields(prefix, value: date) -> dict:
    return {f"{prefix}_0": value.day, f"{prefix}_1": value.month, f"{prefix}_2": value.year}


def test_demo_journeys_work_today_for_pensioners(client, monkeypatch, django_capture_on_commit_callbacks):
    from assessments.models import Assessment
    from assessments.tasks import assessment_reassess_for_award_task
    from referrals.services.referrals import BenefitResult, referral_accept, referral_complete

    _on(TODAY)
    User = get_user_model()
    officer, pension = User.objects.get(username="officer"), User.objects.get(username="pension")
    with time_machine.travel(TODAY, tick=False):
        # the officer completes an assessment dated today for George, who is 82
        george = Client.objects.get(nino="CE987654A")
        client.force_login(officer)
        client.post(
            reverse("assessments:assessment-create", args=[george.pk]),
            {**_date_fields("effective_date", TODAY), "weekly_care_cost": "180.00", "use_flat_rate_dre": "on"},
        )
        assessment = Assessment.objects.get(client=george)
        for kind, amount in (("state_pension", "221.20"), ("pension_credit_guarantee", "38.20")):
            client.post(
                f"{assessment.get_absolute_url()}?kind=income",
                {"income-type": kind, "income-amount": amount, "income-period": "week"},
            )
        client.post(reverse("assessments:assessment-complete", args=[assessment.pk]))
        assessment.refresh_from_db()
        # 221.20 + 38.20 − 246.40 (demonstration MIG over State Pension age) = 13.00
        assert (assessment.status, assessment.weekly_charge) == (Assessment.Status.COMPLETE, D("13.00"))
        result_page = client.get(reverse("assessments:assessment-result", args=[assessment.pk])).content.decode()
        assert "The 2026/27 rates are demonstration figures — not for live use." in result_page

        # the Pension Service awards Edith Attendance Allowance on her referral
        edith = Client.objects.get(nino="AB123456C")
        current = Assessment.objects.get(client=edith, status=Assessment.Status.COMPLETE)
        # 230.25 + 51.92 (225.00 a month × 12 ÷ 52) − 246.40 = 35.77
        assert current.weekly_charge == D("35.77")
        referral = Referral.objects.get(client=edith)
        referral_accept(referral_id=referral.pk, by=pension)
        monkeypatch.setattr(
            "assessments.tasks.assessment_reassess_for_award_task.delay",
            lambda **kwargs: assessment_reassess_for_award_task.run(**kwargs),
        )
        with django_capture_on_commit_callbacks(execute=True):
            referral_complete(
                referral_id=referral.pk,
                by=pension,
                successful=True,
                benefits=[BenefitResult("attendance_allowance", "awarded", D("114.60"), TODAY)],
            )
        # the drafted re-assessment can be completed today by the officer
        draft = Assessment.objects.get(supersedes=current)
        assert draft.effective_date == TODAY
        response = client.post(reverse("assessments:assessment-complete", args=[draft.pk]))
        assert response.status_code == 302
        draft.refresh_from_db()
        # 282.17 + 114.60 − night element (114.60 − 76.70 = 37.90) − 246.40 = 112.47
        assert (draft.status, draft.weekly_charge) == (Assessment.Status.COMPLETE, D("112.47"))
