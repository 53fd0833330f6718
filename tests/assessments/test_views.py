"""Assessment pages: the happy path, errors beside fields, permissions and the list's query count."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, ChargeLetter, IncomeLine
from tests.form_data import govuk_date_fields
from tests.partnerships.factories import OrganisationFactory
from tests.referrals.factories import ClientFactory

pytestmark = pytest.mark.django_db


def test_officer_starts_fills_and_completes_an_assessment(client, officer, client_record):
    client.force_login(officer)
    # when the officer starts an assessment from the client
    response = client.post(
        reverse("assessments:assessment-create", args=[client_record.pk]),
        {
            **govuk_date_fields("effective_date", date(2024, 7, 1)),
            "weekly_care_cost": "250.00",
            "use_flat_rate_dre": "on",
        },
    )
    assessment = Assessment.objects.get(client=client_record)
    assert response.status_code == 302 and response.url == assessment.get_absolute_url()
    # and adds a monthly pension
    url = assessment.get_absolute_url()
    response = client.post(
        f"{url}?kind=income", {"income-type": "private_pension", "income-amount": "1300.00", "income-period": "month"}
    )
    assert response.status_code == 302
    # then the page shows the charge as it stands: 1300 × 12 ÷ 52 = 300.00, less the £228.70 MIG
    page = client.get(url)
    assert "£71.30" in page.content.decode()
    # when it is completed
    response = client.post(reverse("assessments:assessment-complete", args=[assessment.pk]))
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.COMPLETE and assessment.weekly_charge == Decimal("71.30")
    result = client.get(reverse("assessments:assessment-result", args=[assessment.pk])).content.decode()
    assert "How the charge is worked out" in result and "2024/25 (version 1)" in result
    letter = client.get(reverse("assessments:assessment-letter", args=[assessment.pk])).content.decode()
    assert "£71.30 a week" in letter and "ask us to review" in letter
    history = client.get(reverse("assessments:client-charge-history", args=[client_record.pk])).content.decode()
    assert "£71.30" in history


def test_line_errors_show_beside_the_field(client, officer, draft):
    client.force_login(officer)
    response = client.post(f"{draft.get_absolute_url()}?kind=income", {"income-type": "", "income-amount": "lots"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Select the type of income" in body
    assert "Enter an amount in pounds and pence" in body
    assert 'id="income-amount-error"' in body or "govuk-error-message" in body
    assert IncomeLine.objects.filter(assessment=draft).count() == 1


def test_remove_line_and_complete_then_immutable(client, officer, draft):
    client.force_login(officer)
    line = draft.income_lines.get()
    services.assessment_complete(assessment=draft, by=officer)
    response = client.post(reverse("assessments:line-remove", args=[draft.pk, "income", line.pk]))
    assert response.status_code == 302
    assert IncomeLine.objects.filter(pk=line.pk).exists()


def test_reassess_view_creates_superseding_draft(client, officer, draft):
    services.assessment_complete(assessment=draft, by=officer)
    client.force_login(officer)
    response = client.post(
        reverse("assessments:assessment-reassess", args=[draft.pk]),
        govuk_date_fields("effective_date", date(2024, 9, 2)),
    )
    reassessment = Assessment.objects.get(supersedes=draft)
    assert response.status_code == 302 and response.url == reassessment.get_absolute_url()
    assert reassessment.status == Assessment.Status.DRAFT


def test_result_page_flags_benefits_with_a_referral_link(client, officer, draft):
    client.force_login(officer)
    body = client.get(reverse("assessments:assessment-result", args=[draft.pk])).content.decode()
    assert "Attendance Allowance" in body
    assert reverse("referrals:referral-create", args=[draft.client.pk]) in body


@pytest.mark.parametrize(
    "name", ["assessment-detail", "assessment-result", "assessment-edit", "assessment-letter", "assessment-reassess"]
)
def test_another_organisation_gets_404(client, outsider, draft, name):
    client.force_login(outsider)
    assert client.get(reverse(f"assessments:{name}", args=[draft.pk])).status_code == 404


def test_another_organisation_cannot_start_one_for_the_client(client, outsider, client_record):
    client.force_login(outsider)
    assert client.get(reverse("assessments:assessment-create", args=[client_record.pk])).status_code == 404


def test_non_casework_role_gets_403(client, finance_user, draft):
    client.force_login(finance_user)
    assert client.get(reverse("assessments:assessment-detail", args=[draft.pk])).status_code == 403
    assert client.get(reverse("assessments:assessment-list")).status_code == 403


def test_casework_staff_of_a_non_council_get_403(client, user_with_roles, draft):
    pension_service = OrganisationFactory(kind="pension_service")
    client.force_login(user_with_roles(pension_service, "visiting_officer"))
    assert client.get(reverse("assessments:assessment-detail", args=[draft.pk])).status_code == 403


def test_signed_out_is_sent_to_sign_in(client, draft):
    response = client.get(reverse("assessments:assessment-detail", args=[draft.pk]))
    assert response.status_code == 302 and "sign-in" in response.url


def test_list_page_query_count_does_not_grow(client, officer, council, django_assert_max_num_queries):
    for _ in range(15):
        record = ClientFactory(organisation=council)
        services.assessment_create(client=record, by=officer, effective_date=date(2024, 7, 1))
    client.force_login(officer)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("assessments:assessment-list"))
    assert response.status_code == 200
    assert response.content.decode().count("govuk-table__row") == 16


@time_machine.travel(date(2025, 11, 4), tick=False)
def test_public_estimator_needs_no_sign_in_and_stores_nothing(client):
    before = Assessment.objects.count(), IncomeLine.objects.count()
    response = client.post(
        reverse("assessments:estimate"),
        {"age": "30", "income_esa": "300.00", "weekly_care_cost": "250.00"},
    )
    assert response.status_code == 200
    # 300.00 − 112.50 (2025/26 MIG aged 25 to State Pension age)
    assert "£187.50 a week" in response.content.decode()
    assert (Assessment.objects.count(), IncomeLine.objects.count()) == before


@time_machine.travel(date(2025, 11, 4), tick=False)
def test_public_estimator_shows_errors(client):
    response = client.post(reverse("assessments:estimate"), {"age": "12"})
    assert "Your age must be 18 or over" in response.content.decode()


def test_pages_render_for_a_draft_with_itemised_dre(client, officer, draft, client_record):
    services.assessment_update(assessment=draft, by=officer, use_flat_rate_dre=False)
    services.expense_line_add(assessment=draft, by=officer, kind="dre", weekly=Decimal("5.00"), description="Laundry")
    services.expense_line_add(assessment=draft, by=officer, kind="housing", type="council_tax", weekly=Decimal("6"))
    services.capital_line_add(assessment=draft, by=officer, type="savings", amount=Decimal("16000"))
    client.force_login(officer)
    detail = client.get(draft.get_absolute_url()).content.decode()
    assert "Laundry" in detail and "Add an expense" in detail
    assert "£67.30" in detail  # 300.00 + 7.00 tariff − 228.70 − 6.00 − 5.00
    for url in (
        reverse("assessments:assessment-edit", args=[draft.pk]),
        reverse("assessments:assessment-create", args=[client_record.pk]),
        reverse("assessments:assessment-list"),
        reverse("assessments:estimate"),
    ):
        assert client.get(url).status_code == 200
    # a draft has no letter yet
    assert client.get(reverse("assessments:assessment-letter", args=[draft.pk])).status_code == 302


def test_draft_shows_why_the_charge_cannot_be_worked_out(client, officer, client_record):
    draft = services.assessment_create(client=client_record, by=officer, effective_date=date(2025, 7, 1))
    client.force_login(officer)
    body = client.get(draft.get_absolute_url()).content.decode()
    assert (
        "The charge cannot be worked out yet. The council has not yet entered the Minimum Income Guarantee for "
        "people over State Pension age for 2025/26. Ask a finance lead to enter the 2025/26 rates."
    ) in body
    assert "mig_single_pension_age" not in body


def test_uprating_page_prepares_previews_csv_and_applies(
    client, manager, officer, draft, django_capture_on_commit_callbacks, monkeypatch
):
    services.assessment_complete(assessment=draft, by=officer)
    client.force_login(manager)
    url = reverse("assessments:uprating", args=[2025])
    calls = []
    monkeypatch.setattr("assessments.views.uprating.uprating_prepare_task.delay", lambda **kwargs: calls.append(kwargs))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"action": "prepare"}).status_code == 302
    assert calls == [{"organisation_id": manager.membership.organisation_id, "start_year": 2025, "by_id": manager.pk}]
    services.uprating_prepare(organisation=draft.organisation, start_year=2025, by=manager)
    assert draft.client.full_name in client.get(url).content.decode()
    csv_text = client.get(url, {"format": "csv"}).content.decode()
    assert csv_text.startswith("Client,Effective date,Old charge,New charge,Difference")
    # 2025/26 has no Pension Credit age MIG yet: applying refuses that one and says why
    client.post(url, {"action": "apply"})
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.COMPLETE


def test_uprating_page_is_for_managers(client, officer):
    client.force_login(officer)
    assert client.get(reverse("assessments:uprating", args=[2025])).status_code == 403


def test_letter_is_stored_the_first_time_and_shown_word_for_word(client, officer, draft):
    services.assessment_complete(assessment=draft, by=officer)
    client.force_login(officer)
    url = reverse("assessments:assessment-letter", args=[draft.pk])
    client.get(url)
    letter = ChargeLetter.objects.get(assessment=draft)
    assert "£71.30 a week" in letter.html
    ChargeLetter.objects.filter(pk=letter.pk).update(html="<p>Stored wording</p>")
    assert "Stored wording" in client.get(url).content.decode()
    assert ChargeLetter.objects.count() == 1
