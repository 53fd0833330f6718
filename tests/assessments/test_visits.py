"""Starting an assessment from a visit: the visit must be one the officer can see, to the same client;
it is recorded on the assessment and shown on its page."""

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Assessment
from referrals.models import Visit
from tests.referrals.factories import ClientFactory

pytestmark = pytest.mark.django_db


def _visit(*, client, organisation, by, on=datetime(2024, 7, 1, 10, 30)):
    visit = Visit.objects.create(
        client=client,
        organisation=organisation,
        starts_at=timezone.make_aware(on),
        purposes=[Visit.Purpose.FINANCIAL_ASSESSMENT],
        booked_by=by,
    )
    visit.officers.set([by])
    return visit


def _form(on: date) -> dict:
    return {
        "effective_date_0": on.day,
        "effective_date_1": on.month,
        "effective_date_2": on.year,
        "weekly_care_cost": "250.00",
        "use_flat_rate_dre": "on",
    }


def test_officer_starts_an_assessment_from_a_visit(client, officer, council, client_record):
    visit = _visit(client=client_record, organisation=council, by=officer)
    client.force_login(officer)
    url = reverse("assessments:assessment-create", args=[client_record.pk]) + f"?visit={visit.pk}"
    page = client.get(url).content.decode()
    # the form says which visit, and the charge starts from the visit's date unless changed
    assert "From the visit on 1 July 2024" in page and 'value="2024"' in page
    response = client.post(url, _form(date(2024, 7, 1)))
    assessment = Assessment.objects.get(client=client_record)
    assert response.status_code == 302 and assessment.visit == visit
    body = client.get(assessment.get_absolute_url()).content.decode()
    assert "From the visit on 1 July 2024" in body


def test_assessment_without_a_visit_says_nothing_about_one(client, officer, client_record):
    client.force_login(officer)
    client.post(reverse("assessments:assessment-create", args=[client_record.pk]), _form(date(2024, 7, 1)))
    assessment = Assessment.objects.get(client=client_record)
    assert assessment.visit is None
    assert "From the visit on" not in client.get(assessment.get_absolute_url()).content.decode()


def test_visit_to_another_client_is_404(client, officer, council, client_record):
    other_client = ClientFactory(organisation=council, date_of_birth=date(1950, 1, 1))
    visit = _visit(client=other_client, organisation=council, by=officer)
    client.force_login(officer)
    url = reverse("assessments:assessment-create", args=[client_record.pk]) + f"?visit={visit.pk}"
    assert client.get(url).status_code == 404
    assert client.post(url, _form(date(2024, 7, 1))).status_code == 404
    assert not Assessment.objects.exists()


def test_visit_the_officer_cannot_see_is_404(client, officer, outsider, other_organisation, client_record):
    # a visit booked by another organisation, with none of the council's officers on it
    visit = _visit(client=client_record, organisation=other_organisation, by=outsider)
    client.force_login(officer)
    url = reverse("assessments:assessment-create", args=[client_record.pk])
    assert client.get(f"{url}?visit={visit.pk}").status_code == 404
    assert client.get(f"{url}?visit=nonsense").status_code == 404


def test_service_refuses_a_visit_to_another_client(officer, council, client_record):
    other_client = ClientFactory(organisation=council, date_of_birth=date(1950, 1, 1))
    visit = _visit(client=other_client, organisation=council, by=officer)
    with pytest.raises(ValidationError):
        services.assessment_create(client=client_record, by=officer, effective_date=date(2024, 7, 1), visit=visit)
