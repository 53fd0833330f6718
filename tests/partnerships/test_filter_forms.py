"""The list pages' filters are Django forms rendered through crispy-forms-gds: what the user chose stays chosen
after filtering, and the GET form carries no CSRF token (it would end up in the address bar)."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from tests.partnerships.factories import AccreditationFactory, ActionPlanItemFactory, ContactFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


def _form(body: str, marker: str) -> str:
    """The filter form that opens at `marker`."""
    start = body.index(marker)
    return body[start : body.index("</form>", start)]


def test_partnership_filters_keep_the_chosen_organisation_type_status_and_review_due(
    client, officer, council, pension_service
):
    PartnershipFactory(name="Pension Credit take-up", members=[council, pension_service])
    client.force_login(officer)
    query = {"organisation": pension_service.pk, "kind": "referral_system", "status": "active", "review_due": "on"}
    body = client.get(reverse("partnerships:partnership-list"), query).content.decode()
    form = _form(body, 'data-testid="partnership-filters"')
    assert f'<option value="{pension_service.pk}" selected>Northshire Pension Service</option>' in form
    assert '<option value="referral_system" selected>Referral system</option>' in form
    assert '<option value="active" selected>Active</option>' in form
    assert re.search(r'<input type="checkbox" name="review_due"[^>]*checked>', form)
    assert 'class="govuk-select govuk-!-width-full"' in form
    assert "csrfmiddlewaretoken" not in form


def test_contact_search_keeps_the_words_the_organisation_the_role_and_the_stale_box(client, officer, pension_service):
    ContactFactory(name="Tom Birch", organisation=pension_service)
    client.force_login(officer)
    query = {"q": "Birch", "organisation": pension_service.pk, "function": "partnership_manager", "stale": "on"}
    body = client.get(reverse("partnerships:contact-list"), query).content.decode()
    form = _form(body, 'role="search"')
    assert re.search(
        r'<input type="search" name="q" value="Birch"[^>]*class="[^"]*govuk-input govuk-!-width-one-half"', form
    )
    assert "Name, organisation, job, phone number or email address" in form  # the hint
    assert f'<option value="{pension_service.pk}" selected>Northshire Pension Service</option>' in form
    assert '<option value="partnership_manager" selected>Partnership Manager</option>' in form
    assert re.search(r'<input type="checkbox" name="stale"[^>]*checked>', form)
    assert "csrfmiddlewaretoken" not in form


def test_action_plan_accreditation_and_gap_filters_keep_what_was_chosen(client, officer, council):
    ActionPlanItemFactory(partnership=PartnershipFactory(members=[council]), status="done")
    AccreditationFactory(accrediting_organisation=council, expires_on=date.today() - timedelta(days=1))
    client.force_login(officer)
    plan = client.get(reverse("partnerships:actionplan-list"), {"status": "done"}).content.decode()
    assert '<option value="done" selected>Done</option>' in plan
    accreditations = client.get(reverse("partnerships:accreditation-list"), {"expired": "on"}).content.decode()
    assert re.search(r'<input type="checkbox" name="expired"[^>]*checked>', accreditations)
    gaps = client.get(reverse("partnerships:gap-analysis"), {"district": "Northshire"}).content.decode()
    assert re.search(r'<input type="text" name="district" value="Northshire"[^>]*govuk-input--width-20', gaps)
    for page in (plan, accreditations, gaps):
        assert "csrfmiddlewaretoken" not in _form(page, '<form method="get"')
