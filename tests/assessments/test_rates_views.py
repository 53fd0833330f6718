"""The rates pages (finance leads start, change and confirm a year; council staff read), the refusal on the
assessment pages, and the public estimator: POST only, plain words, GOV.UK errors."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import escape

from assessments import services
from assessments.models import Assessment, RatesYear
from partnerships.models import Role
from tests.partnerships.factories import OrganisationFactory
from tests.referrals.factories import ClientFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 27)


@pytest.fixture
def finance_lead(council, user_with_roles):
    return user_with_roles(council, Role.FINANCE_APPROVER)


def _start_form(**overrides) -> dict:
    data = {
        "start_year": "2026",
        "percent_mig": "1.7",
        "percent_premiums": "1.7",
        "percent_disability_benefits": "3.8",
        "percent_pension_credit": "4.8",
        "percent_capital": "",
        "rounding": "penny",
        "source": "DWP, Benefit and pension rates 2026 to 2027",
    }
    return data | overrides


def _confirmed_2026(by, **figures) -> RatesYear:
    rates = services.rates_year_start(
        start_year=2026,
        by=by,
        percentages={"mig": Decimal("1.7"), "disability_benefits": Decimal("3.8")},
        source="test figures",
        figures={"mig_single_pension_age": Decimal("241.30"), **figures},
    )
    return services.rates_year_confirm(rates=rates, by=by)


# --- the rates pages ---------------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_a_finance_lead_starts_checks_corrects_a_figure_and_confirms_the_year(client, finance_lead):
    client.force_login(finance_lead)
    listing = client.get(reverse("assessments:rates-list")).content.decode()
    assert "Start a financial year" in listing and "None: assessments refused" not in listing
    # the year to start is this one (2026/27) or the next (2027/28)
    form_page = client.get(reverse("assessments:rates-start")).content.decode()
    assert "2026/27 (6 April 2026 to 5 April 2027)" in form_page and "2027/28" in form_page
    # when they start 2026/27 with the published percentages
    response = client.post(reverse("assessments:rates-start"), _start_form())
    rates = RatesYear.objects.get(start_year=2026)
    assert response.status_code == 302 and response["Location"] == rates.get_absolute_url()
    detail = client.get(rates.get_absolute_url()).content.decode()
    assert "Waiting for confirmation" in detail
    assert "£90.67" in detail and "£89.15" in detail  # 89.15 × 1.017, beside last year's
    assert "the Minimum Income Guarantee for people over State Pension age" in detail  # listed as missing
    # then a figure changed by hand needs its own source
    edit_url = reverse("assessments:rates-edit", args=[rates.pk])
    form = client.get(edit_url).context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data["mig_single_pension_age"] = "241.30"
    refused = client.post(edit_url, data)
    assert refused.status_code == 200
    assert (
        escape("Enter where the new Minimum Income Guarantee for people over State Pension age comes from")
        in refused.content.decode()
    )
    data["mig_single_pension_age__source"] = "DHSC circular, annex A"
    assert client.post(edit_url, data).status_code == 302
    rates.refresh_from_db()
    assert rates.mig_single_pension_age == Decimal("241.30")
    assert rates.cell_sources["mig_single_pension_age"] == "DHSC circular, annex A"
    # confirming needs the box ticked
    confirm_url = reverse("assessments:rates-confirm", args=[rates.pk])
    client.post(confirm_url, {})
    rates.refresh_from_db()
    assert rates.status == RatesYear.Status.DRAFT
    client.post(confirm_url, {"checked": "on"})
    rates.refresh_from_db()
    assert rates.status == RatesYear.Status.CONFIRMED and rates.confirmed_by == finance_lead
    page = client.get(rates.get_absolute_url()).content.decode()
    assert "Make a correction" in page and "Change figures and sources" not in page
    assert "Minimum Income Guarantee for people over State Pension age: empty to £241.30" in page  # history
    # a confirmed year cannot be edited: a correction is a new draft version
    assert client.get(edit_url).status_code == 302
    response = client.post(reverse("assessments:rates-correct", args=[rates.pk]))
    correction = RatesYear.objects.get(start_year=2026, version=2)
    assert response["Location"] == reverse("assessments:rates-edit", args=[correction.pk])


@time_machine.travel(TODAY, tick=False)
def test_the_start_form_speaks_plainly_about_a_bad_percentage(client, finance_lead):
    client.force_login(finance_lead)
    response = client.post(reverse("assessments:rates-start"), _start_form(percent_mig="lots", source=""))
    body = response.content.decode()
    assert "Enter the uprating for the Minimum Income Guarantee as a number, like 3.8" in body
    assert "Enter where the uprating comes from" in body
    assert not RatesYear.objects.filter(start_year=2026).exists()


@pytest.mark.parametrize(
    "name",
    ["assessments:rates-start", "assessments:rates-edit", "assessments:rates-confirm", "assessments:rates-correct"],
)
def test_only_finance_leads_change_rates(client, officer, user_with_roles, council, name):
    rates = RatesYear.objects.get(start_year=2024)
    url = reverse(name) if name == "assessments:rates-start" else reverse(name, args=[rates.pk])
    for person in (officer, user_with_roles(council, Role.FINANCE_OFFICER)):
        client.force_login(person)
        assert client.post(url).status_code == 403
    # a finance approver of a Pension Service office is not a council's finance lead
    pension = OrganisationFactory(kind="pension_service")
    client.force_login(user_with_roles(pension, Role.FINANCE_APPROVER, Role.ADMIN))
    assert client.post(url).status_code == 403


def test_council_staff_read_the_rates_and_others_cannot(client, officer, user_with_roles, council):
    rates = RatesYear.objects.get(start_year=2024)
    client.force_login(officer)
    assert client.get(reverse("assessments:rates-list")).status_code == 200
    page = client.get(rates.get_absolute_url()).content.decode()
    assert "£228.70" in page and "Make a correction" not in page
    client.force_login(user_with_roles(OrganisationFactory(kind="nhs"), Role.VISITING_OFFICER))
    assert client.get(reverse("assessments:rates-list")).status_code == 403
    client.logout()
    assert client.get(reverse("assessments:rates-list")).status_code == 302


def test_rates_list_query_count_does_not_grow(client, finance_lead, django_assert_max_num_queries):
    client.force_login(finance_lead)
    for year in range(2030, 2040):
        RatesYear.objects.create(start_year=year, version=1)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("assessments:rates-list"))
    assert response.content.decode().count("Version 1") >= 10


# --- the refusal on the assessment pages -------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_the_officer_reads_the_refusal_on_the_assessment_and_when_completing(client, officer, council):
    pensioner = ClientFactory(organisation=council, date_of_birth=date(1948, 5, 1))
    draft = services.assessment_create(client=pensioner, by=officer, effective_date=TODAY)
    client.force_login(officer)
    services.rates_year_confirm(
        rates=services.rates_year_start(start_year=2026, by=officer, percentages={}, source="copied"), by=officer
    )
    expected = escape(
        "The council has not yet entered the Minimum Income Guarantee for people over State Pension age for "
        "2026/27. Ask a finance lead to enter this year's rates."
    )
    assert expected in client.get(draft.get_absolute_url()).content.decode()
    response = client.post(reverse("assessments:assessment-complete", args=[draft.pk]), follow=True)
    assert expected in response.content.decode()
    assert "mig_single_pension_age" not in response.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_demonstration_rates_are_flagged_on_the_assessment_result_and_letter(client, officer, council):
    rates = _confirmed_2026(officer)
    RatesYear.objects.filter(pk=rates.pk).update(is_demonstration=True)
    pensioner = ClientFactory(organisation=council, date_of_birth=date(1948, 5, 1))
    draft = services.assessment_create(client=pensioner, by=officer, effective_date=TODAY)
    services.income_line_add(assessment=draft, by=officer, type="state_pension", amount=Decimal("300.00"))
    client.force_login(officer)
    flag = "The 2026/27 rates are demonstration figures — not for live use."
    assert flag in client.get(draft.get_absolute_url()).content.decode()
    services.assessment_complete(assessment=draft, by=officer)
    for name in ("assessments:assessment-result", "assessments:assessment-letter"):
        assert flag in client.get(reverse(name, args=[draft.pk])).content.decode()
    assert "Demonstration figures — not for live use" in client.get(reverse("assessments:rates-list")).content.decode()


# --- the public estimator ----------------------------------------------------------------------------

PENSIONER = {
    "age": "78",
    "income_state_pension": "230.25",
    "income_private_pension": "40.00",
    "care_benefit": "attendance_allowance_higher",
    "care_benefit_amount": "114.60",
    "savings": "£16,001",
    "weekly_care_cost": "300.00",
}


@time_machine.travel(TODAY, tick=False)
def test_a_pensioner_gets_an_exact_estimate_by_post(client, officer):
    _confirmed_2026(officer)
    response = client.post(reverse("assessments:estimate"), PENSIONER)
    body = response.content.decode()
    # 230.25 + 40.00 + 114.60 = 384.85; night element 114.60 − 76.71 = 37.89 disregarded; tariff £8 on
    # £16,001 (1,751 ÷ 250 = 7.004 → 8); MIG over State Pension age 241.30: 384.85 − 37.89 + 8 − 241.30
    assert "£113.66 a week" in body
    assert "This estimate uses the council's figures for 2026/27" in body
    assert "no-store" in response["Cache-Control"]
    assert response.wsgi_request.GET.dict() == {}


@time_machine.travel(TODAY, tick=False)
def test_the_estimator_form_is_posted_and_a_get_never_carries_values(client, officer):
    _confirmed_2026(officer)
    page = client.get(reverse("assessments:estimate"), PENSIONER).content.decode()
    assert 'method="post"' in page and 'method="get"' not in page
    assert "230.25" not in page and "a week</h2>" not in page and "There is a problem" not in page


@time_machine.travel(TODAY, tick=False)
def test_the_estimator_says_who_it_cannot_estimate_for_and_why(client, officer):
    _confirmed_2026(officer)
    page = client.get(reverse("assessments:estimate")).content.decode()
    assert "people under State Pension age who live with a partner" in page
    assert "people over State Pension age who live with a partner" in page
    assert "single people over State Pension age" not in page
    body = client.post(reverse("assessments:estimate"), PENSIONER | {"couple": "on"}).content.decode()
    assert (
        "We cannot estimate your charge online yet, because the council has not entered the Minimum Income "
        "Guarantee for each member of a couple over State Pension age for 2026/27. Contact adult social care "
        "to ask what you might pay."
    ) in body


@time_machine.travel(TODAY, tick=False)
def test_the_estimator_with_no_rates_this_year_says_so_and_shows_no_form(client):
    page = client.get(reverse("assessments:estimate")).content.decode()
    assert (
        "We cannot give estimates online at the moment, because the council has not yet published its figures "
        "for 2026/27. Please try again later, or contact adult social care to ask what you might pay."
    ) in page
    assert "Estimate my charge" not in page


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("savings", "lots", "Enter your savings as a number, like 1250.50"),
        ("savings", "-5", "Your savings must be £0 or more"),
        ("savings", "12.345", "Enter your savings to the nearest penny, like 1250.50"),
        ("income_state_pension", "two hundred", "Enter your State Pension as a number, like 230.25"),
        ("age", "seventy", "Enter your age as a whole number, like 78"),
        ("age", "", "Enter your age"),
        ("age", "17", "Your age must be 18 or over"),
    ],
)
def test_estimator_errors_read_like_govuk(client, officer, field, value, message):
    _confirmed_2026(officer)
    body = client.post(reverse("assessments:estimate"), PENSIONER | {field: value}).content.decode()
    assert "There is a problem" in body and message in body
    assert "a week</h2>" not in body


@time_machine.travel(TODAY, tick=False)
def test_the_estimator_speaks_to_the_public_and_flags_demonstration_figures(client, officer):
    rates = _confirmed_2026(officer)
    RatesYear.objects.filter(pk=rates.pk).update(is_demonstration=True)
    page = client.get(reverse("assessments:estimate")).content.decode()
    assert "team manager" not in page
    assert "contact your council's adult social care team" in page
    assert "This site uses demonstration figures — not for live use." in page
    assert Assessment.objects.count() == 0
