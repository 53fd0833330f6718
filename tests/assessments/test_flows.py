"""Flows a council officer relies on: who may see or change an assessment (every page and action), the
charge updating as lines are added, an award's change in charge on the re-assessment, one-click benefit
referrals, the estimator storing nothing, and pages that do not issue a query per row."""

import io
import json
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, IncomeLine
from partnerships.models import Role
from referrals.models import BenefitOutcome, Referral
from tests.partnerships.factories import OrganisationFactory
from tests.referrals.factories import ConsentFactory

pytestmark = pytest.mark.django_db

TODAY = date(2024, 11, 4)


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


# --- who sees what: every page and every action ------------------------------------------------------


def _object_urls(assessment: Assessment) -> list[tuple[str, str]]:
    """(method, url) for every page and action on one assessment and its client."""
    pk, client_pk = assessment.pk, assessment.client_id
    line = assessment.income_lines.first()
    return [
        ("get", reverse("assessments:assessment-detail", args=[pk])),
        ("post", reverse("assessments:assessment-detail", args=[pk]) + "?kind=income"),
        ("get", reverse("assessments:assessment-edit", args=[pk])),
        ("post", reverse("assessments:assessment-edit", args=[pk])),
        ("get", reverse("assessments:assessment-result", args=[pk])),
        ("post", reverse("assessments:assessment-complete", args=[pk])),
        ("post", reverse("assessments:line-remove", args=[pk, "income", line.pk])),
        ("post", reverse("assessments:benefit-refer", args=[pk, "attendance_allowance"])),
        ("get", reverse("assessments:assessment-reassess", args=[pk])),
        ("post", reverse("assessments:assessment-reassess", args=[pk])),
        ("get", reverse("assessments:assessment-letter", args=[pk])),
        ("get", reverse("assessments:assessment-letter-pdf", args=[pk])),
        ("get", reverse("assessments:assessment-create", args=[client_pk])),
        ("post", reverse("assessments:assessment-create", args=[client_pk])),
        ("get", reverse("assessments:client-charge-history", args=[client_pk])),
    ]


POST_DATA = {
    "income-type": "esa",
    "income-amount": "10.00",
    "income-period": "week",
    "effective_date_0": "2",
    "effective_date_1": "9",
    "effective_date_2": "2024",
    "weekly_care_cost": "1.00",
}


def _assert_nothing_changed(assessment: Assessment, before: dict) -> None:
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.COMPLETE
    assert assessment.weekly_charge == Decimal("71.30")
    assert _row_counts() == before


@pytest.fixture
def complete(draft, officer):
    return services.assessment_complete(assessment=draft, by=officer)


def test_another_organisation_gets_404_on_every_page_and_action(client, outsider, complete):
    client.force_login(outsider)
    before = _row_counts()
    for method, url in _object_urls(complete):
        response = getattr(client, method)(url, POST_DATA) if method == "post" else client.get(url)
        assert response.status_code == 404, (method, url)
    _assert_nothing_changed(complete, before)


@pytest.mark.parametrize("kind", ["non_casework_role", "non_council_casework"])
def test_anyone_but_council_casework_staff_gets_403_on_every_page_and_action(
    client, user_with_roles, council, complete, kind
):
    if kind == "non_casework_role":
        user = user_with_roles(council, Role.FINANCE_OFFICER)  # same council, wrong role
    else:
        user = user_with_roles(OrganisationFactory(kind="pension_service"), Role.VISITING_OFFICER)
    client.force_login(user)
    before = _row_counts()
    urls = [
        *_object_urls(complete),
        ("get", reverse("assessments:assessment-list")),
        ("get", reverse("assessments:uprating", args=[2025])),
        ("post", reverse("assessments:uprating", args=[2025])),
    ]
    for method, url in urls:
        response = getattr(client, method)(url, POST_DATA) if method == "post" else client.get(url)
        assert response.status_code == 403, (kind, method, url)
    _assert_nothing_changed(complete, before)


def test_the_council_list_shows_none_of_another_councils_assessments(client, outsider, complete):
    client.force_login(outsider)
    response = client.get(reverse("assessments:assessment-list"))
    assert response.status_code == 200
    assert complete.client.full_name not in response.content.decode()


# --- the charge updates as lines are added ---------------------------------------------------------------


def _charge_shown(page) -> str:
    body = page.content.decode()
    start = body.index('data-testid="weekly-charge"')
    return body[body.index("£", start) : body.index(" a week", start)]


def test_the_charge_updates_as_each_line_is_added(client, officer, client_record):
    # given a new draft for a 74-year-old (2024/25 Pension Credit age MIG £228.70)
    draft = services.assessment_create(
        client=client_record, by=officer, effective_date=date(2024, 7, 1), weekly_care_cost=Decimal("400.00")
    )
    client.force_login(officer)
    url = draft.get_absolute_url()
    steps = [
        # (kind, form data, charge the page then shows)
        ("income", {"income-type": "state_pension", "income-amount": "1300.00", "income-period": "month"}, "£71.30"),
        ("income", {"income-type": "attendance_allowance_higher", "income-amount": "108.55"}, "£143.95"),
        ("capital", {"capital-type": "savings", "capital-amount": "32000", "capital-jointly_owned": "on"}, "£150.95"),
        ("housing", {"housing-type": "council_tax", "housing-weekly": "20.95"}, "£130.00"),
    ]
    for kind, data, shown in steps:
        data = {"income-period": "week", **data}
        response = client.post(f"{url}?kind={kind}", data)
        # then the officer lands on the result, recalculated from the lines as they now stand
        assert response.status_code == 302 and response.url.endswith("#result")
        assert _charge_shown(client.get(url)) == shown, kind
    # 300.00 pension + 108.55 AA − 35.90 night element + 7.00 tariff (16,000 counted) − 228.70 − 20.95
    assert Assessment.objects.get(pk=draft.pk).weekly_charge is None  # still a draft: nothing frozen


def test_the_form_works_without_javascript(client, officer, draft):
    client.force_login(officer)
    body = client.get(draft.get_absolute_url()).content.decode()
    # every line form is a plain POST form with its own submit button
    assert body.count('method="post"') >= 4
    assert 'action="?kind=income#add-income"' in body and "Add income" in body


# --- an award on a referral: old charge, new charge and the difference are shown -------------------------


def test_an_award_drafts_the_reassessment_showing_old_new_and_difference(
    client, officer, council, client_record, complete
):
    # given a complete assessment at £71.30 a week with night care provided
    referral = Referral.objects.create(
        client=client_record,
        from_organisation=council,
        from_officer=officer,
        to_organisation=OrganisationFactory(kind="pension_service"),
        referral_type="attendance_allowance",
        reason="Likely entitled",
    )
    outcome = BenefitOutcome.objects.create(
        referral=referral,
        benefit="attendance_allowance",
        decision=BenefitOutcome.Decision.AWARDED,
        weekly_amount=Decimal("72.65"),
        effective_date=date(2024, 10, 7),
        recorded_by=officer,
    )
    # when the award of Attendance Allowance at the lower rate is recorded
    reassessment = services.assessment_reassess_for_award(outcome=outcome, by=officer)
    # then the officer sees the draft with the old charge, the new one and the difference
    client.force_login(officer)
    body = client.get(reassessment.get_absolute_url()).content.decode()
    change = body[body.index('data-testid="change-in-charge"') :]
    assert "£71.30" in change  # old: 300.00 − 228.70
    assert "£143.95" in change  # new: 300.00 + 72.65 − 228.70 (lower rate: no night element)
    assert "£72.65" in change  # the difference a week
    assert "Attendance Allowance (lower rate)" in body


# --- benefit maximisation: one click to the right partner -------------------------------------------------


@pytest.fixture
def pension_service(db):
    return OrganisationFactory(name="The Pension Service", kind="pension_service")


@time_machine.travel(TODAY, tick=False)
def test_a_flag_becomes_a_referral_to_the_right_partner_in_one_click(
    client, officer, draft, client_record, pension_service
):
    # given consent to share with the Pension Service, and no Attendance Allowance on the assessment
    OrganisationFactory(name="Northshire Jobcentre", kind="jobcentre_plus")
    ConsentFactory(client=client_record, organisations=[pension_service], given_on=date(2024, 1, 1))
    client.force_login(officer)
    result = client.get(reverse("assessments:assessment-result", args=[draft.pk])).content.decode()
    assert "Refer to The Pension Service" in result
    url = reverse("assessments:benefit-refer", args=[draft.pk, "attendance_allowance"])
    # when the officer clicks it (twice)
    first = client.post(url)
    second = client.post(url)
    # then one referral is sent to the Pension Service with the flag's reason
    referral = Referral.objects.get(client=client_record)
    assert first.status_code == 302 and first.url == referral.get_absolute_url()
    assert second.url == referral.get_absolute_url()
    assert referral.to_organisation == pension_service
    assert referral.referral_type == "attendance_allowance"
    assert referral.status == Referral.Status.SENT and referral.reference
    assert referral.from_officer == officer
    assert "no Attendance Allowance" in referral.reason


@time_machine.travel(TODAY, tick=False)
def test_a_flag_without_consent_keeps_nothing_and_opens_the_referral_form(
    client, officer, draft, client_record, pension_service
):
    client.force_login(officer)
    response = client.post(reverse("assessments:benefit-refer", args=[draft.pk, "attendance_allowance"]))
    assert response.status_code == 302
    assert response.url == reverse("referrals:referral-create", args=[client_record.pk]) + (
        "?referral_type=attendance_allowance"
    )
    assert not Referral.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_a_benefit_that_is_not_flagged_cannot_be_referred(client, officer, draft, client_record, pension_service):
    ConsentFactory(client=client_record, organisations=[pension_service], given_on=date(2024, 1, 1))
    client.force_login(officer)
    # aged 74: PIP is not flagged (Pension Credit age)
    client.post(reverse("assessments:benefit-refer", args=[draft.pk, "dla_pip"]))
    assert not Referral.objects.exists()


# --- the estimator stores nothing --------------------------------------------------------------------


@time_machine.travel(date(2024, 11, 4), tick=False)
def test_the_public_estimator_changes_no_row_in_any_table(client):
    before = _row_counts()
    response = client.post(
        reverse("assessments:estimate"),
        {
            "age": "70",
            "income_state_pension": "300.00",
            "care_benefit": "attendance_allowance_higher",
            "care_benefit_amount": "108.55",
            "savings": "16001",
            "weekly_care_cost": "250.00",
        },
    )
    assert response.status_code == 200
    # 300.00 + 108.55 − 35.90 night element + 8.00 tariff − 228.70 (2024/25)
    assert "£151.95 a week" in response.content.decode()
    assert _row_counts() == before


def test_the_estimate_command_changes_no_row_in_any_table(tmp_path):
    path = tmp_path / "input.json"
    path.write_text(
        json.dumps(
            {
                "assessment_date": "2024-07-01",
                "age": 70,
                "couple": False,
                "weekly_care_cost": "250.00",
                "night_care_provided": False,
                "income": [{"type": "state_pension", "weekly": "300.00"}],
                "capital": [],
                "housing": [],
            }
        )
    )
    before = _row_counts()
    out = io.StringIO()
    call_command("estimate_charge", str(path), stdout=out)
    assert json.loads(out.getvalue())["weekly_charge"] == "71.30"
    assert _row_counts() == before


# --- pages do not issue a query per row ------------------------------------------------------------


def _detail_queries(client, assessment, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(assessment.get_absolute_url())
    assert response.status_code == 200
    return len(captured.captured_queries)


def _add_lines(assessment, officer, count):
    for number in range(count):
        services.income_line_add(assessment=assessment, by=officer, type="other", amount=Decimal("1.00"))
        services.capital_line_add(assessment=assessment, by=officer, type="savings", amount=Decimal("100.00"))
        services.expense_line_add(
            assessment=assessment, by=officer, kind="housing", type="rent", weekly=Decimal("1.00")
        )
        services.expense_line_add(
            assessment=assessment, by=officer, kind="dre", weekly=Decimal("1.00"), description=f"Item {number}"
        )


def test_detail_and_result_pages_do_not_query_per_line(client, officer, client_record, django_assert_max_num_queries):
    small = services.assessment_create(client=client_record, by=officer, effective_date=date(2024, 7, 1))
    large = services.assessment_create(client=client_record, by=officer, effective_date=date(2024, 7, 1))
    for assessment in (small, large):
        services.assessment_update(assessment=assessment, by=officer, use_flat_rate_dre=False)
    _add_lines(small, officer, 1)
    _add_lines(large, officer, 20)
    client.force_login(officer)
    assert _detail_queries(client, small, django_assert_max_num_queries, 20) == _detail_queries(
        client, large, django_assert_max_num_queries, 20
    )
    for assessment in (small, large):
        with django_assert_max_num_queries(20):
            assert client.get(reverse("assessments:assessment-result", args=[assessment.pk])).status_code == 200


def test_reassessment_detail_page_query_count(client, officer, complete, django_assert_max_num_queries):
    draft = services.assessment_reassess(assessment=complete, by=officer, effective_date=date(2024, 9, 2))
    _add_lines(draft, officer, 10)
    client.force_login(officer)
    with django_assert_max_num_queries(25):
        assert client.get(draft.get_absolute_url()).status_code == 200


def test_charge_history_lists_every_charge_without_a_query_per_row(
    client, officer, client_record, django_assert_max_num_queries
):
    # given a client with a chain of 12 assessments, each re-assessing the one before
    current = services.assessment_create(
        client=client_record, by=officer, effective_date=date(2024, 4, 8), weekly_care_cost=Decimal("250.00")
    )
    services.income_line_add(assessment=current, by=officer, type="state_pension", amount=Decimal("300.00"))
    for week in range(1, 12):
        services.assessment_complete(assessment=current, by=officer)
        current = services.assessment_reassess(assessment=current, by=officer, effective_date=date(2024, 4, 8 + week))
    client.force_login(officer)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("assessments:client-charge-history", args=[client_record.pk]))
    body = response.content.decode()
    assert body.count("govuk-table__row") == 13  # header + 12 charges
    assert body.count("£71.30") == 11 and "Draft" in body
    assert body.count("2024/25 (version 1)") == 11
    assert IncomeLine.objects.filter(assessment__client=client_record).count() == 12
