from datetime import date

import pytest
from django.urls import reverse

from core.models import RecordView
from referrals.models import Client, Consent
from tests.partnerships.factories import OrganisationFactory
from tests.referrals.factories import ClientFactory, ConsentFactory

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "first_name": "Edith",
        "last_name": "Wainwright",
        "date_of_birth_0": "27",
        "date_of_birth_1": "3",
        "date_of_birth_2": "1938",
        "nino": "AB 12 34 56 C",
        "nhs_number": "",
        "address_line_1": "14 Mill Lane",
        "town": "Northby",
        "postcode": "ne1 6bs",
        "representative_kind": "",
        "living_situation": "alone",
    }
    data.update(overrides)
    return data


def test_officer_adds_a_client(client, officer):
    client.force_login(officer)
    response = client.post(reverse("referrals:client-create"), _form())
    created = Client.objects.get()
    assert response.status_code == 302
    assert response["Location"] == created.get_absolute_url()
    assert created.organisation == officer.membership.organisation
    assert created.postcode == "NE1 6BS"
    page = client.get(created.get_absolute_url())
    assert "Edith Wainwright has been added." in page.content.decode()


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("nino", "QQ123456C", "Enter a National Insurance number in the correct format"),
        ("nhs_number", "9434765918", "Enter a valid NHS number"),
        ("postcode", "NE1", "Enter a real UK postcode, like NE1 6BS"),
        ("date_of_birth_1", "13", "Date of birth must be a real date"),
        ("last_name", "", "Enter the client&#x27;s last name"),
        ("representative_kind", "appointee", "Enter the representative&#x27;s name"),
    ],
)
def test_bad_client_details_are_shown_on_the_form_and_nothing_is_saved(client, officer, field, value, message):
    client.force_login(officer)
    response = client.post(reverse("referrals:client-create"), _form(**{field: value}))
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert message in body
    assert 'value="14 Mill Lane"' in body  # what was typed is kept
    assert Client.objects.count() == 0


def test_date_of_birth_in_the_future_is_refused(client, officer):
    client.force_login(officer)
    response = client.post(reverse("referrals:client-create"), _form(date_of_birth_2="2099"))
    assert "Date of birth must be today or in the past" in response.content.decode()
    assert Client.objects.count() == 0


def test_possible_duplicate_is_shown_before_a_second_record_is_created(client, officer, council):
    # given a client the council already holds
    existing = ClientFactory(
        organisation=council, first_name="Edith", last_name="Wainwright", date_of_birth=date(1938, 3, 27), nino=""
    )
    client.force_login(officer)
    # when the officer adds someone with the same name and date of birth
    response = client.post(reverse("referrals:client-create"), _form(nino=""))
    # then the match is shown and nothing is created yet
    body = response.content.decode()
    assert response.status_code == 200
    assert "This may be someone your organisation already has a record for" in body
    assert existing.get_absolute_url() in body
    assert Client.objects.count() == 1
    # when the officer confirms it is a different person
    confirmed = _form(nino="", confirm_not_duplicate="True")
    response = client.post(reverse("referrals:client-create"), confirmed)
    # then the new record is created
    assert response.status_code == 302
    assert Client.objects.count() == 2


def test_client_page_shows_details_consents_and_timeline_and_logs_the_view(client, officer, council):
    edith = ClientFactory(organisation=council, first_name="Edith", last_name="Wainwright", nino="AB123456C")
    pension = OrganisationFactory(name="The Pension Service", short_name="Pension Service")
    ConsentFactory(client=edith, organisations=[pension], recorded_by=officer)
    client.force_login(officer)
    response = client.get(edith.get_absolute_url())
    body = response.content.decode()
    assert "AB 12 34 56 C" in body
    assert "Pension Service" in body
    assert "Consent recorded" in body
    assert RecordView.objects.filter(user=officer, object_id=edith.pk).count() == 1


def test_client_detail_uses_a_fixed_number_of_queries(client, officer, council, django_assert_max_num_queries):
    edith = ClientFactory(organisation=council)
    for _ in range(5):
        ConsentFactory(client=edith, organisations=[council, OrganisationFactory()], recorded_by=officer)
    client.force_login(officer)
    with django_assert_max_num_queries(16):
        assert client.get(edith.get_absolute_url()).status_code == 200


def test_client_list_uses_a_fixed_number_of_queries(client, officer, council, django_assert_max_num_queries):
    ClientFactory.create_batch(30, organisation=council)
    client.force_login(officer)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("referrals:client-list"))
    assert response.content.decode().count('class="govuk-table__row"') == 26  # header + 25 a page


def test_client_list_search(client, officer, council):
    ClientFactory(organisation=council, first_name="Edith", last_name="Wainwright")
    ClientFactory(organisation=council, first_name="George", last_name="Pattinson")
    client.force_login(officer)
    body = client.get(reverse("referrals:client-list"), {"q": "pattinson"}).content.decode()
    assert "George Pattinson" in body
    assert "Edith Wainwright" not in body
    assert "1 client found" in body


def test_officer_edits_a_client(client, officer, council):
    edith = ClientFactory(organisation=council, first_name="Edith", last_name="Wainwright")
    client.force_login(officer)
    form = _form(nino=edith.nino, postcode="NE2 4AB")
    response = client.post(reverse("referrals:client-edit", args=[edith.pk]), form)
    assert response.status_code == 302
    edith.refresh_from_db()
    assert edith.postcode == "NE2 4AB"
    assert edith.history.first().history_user == officer


def test_managers_see_history_and_officers_do_not(client, officer, manager, council):
    edith = ClientFactory(organisation=council)
    url = reverse("referrals:client-history", args=[edith.pk])
    client.force_login(officer)
    assert client.get(url).status_code == 403
    client.force_login(manager)
    response = client.get(url)
    assert response.status_code == 200
    assert "Change history" in response.content.decode()


def test_finance_staff_cannot_add_clients(client, finance_user):
    client.force_login(finance_user)
    assert client.get(reverse("referrals:client-create")).status_code == 403
    assert client.post(reverse("referrals:client-create"), _form()).status_code == 403
    assert Client.objects.count() == 0


def test_officer_records_and_withdraws_consent(client, officer, council):
    edith = ClientFactory(organisation=council)
    pension = OrganisationFactory(name="The Pension Service")
    client.force_login(officer)
    response = client.post(
        reverse("referrals:consent-create", args=[edith.pk]),
        {
            "organisations": [pension.pk],
            "purposes": ["benefit_check", "financial_assessment"],
            "method": "written",
            "given_by": "client",
            "given_on_0": "2",
            "given_on_1": "11",
            "given_on_2": "2026",
        },
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert list(consent.organisations.all()) == [pension]
    assert consent.purposes == ["benefit_check", "financial_assessment"]

    response = client.post(
        reverse("referrals:consent-withdraw", args=[consent.pk]),
        {"withdrawn_on_0": "20", "withdrawn_on_1": "11", "withdrawn_on_2": "2026", "reason": "Client asked us to stop"},
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on == date(2026, 11, 20)
    body = client.get(edith.get_absolute_url()).content.decode()
    assert "Withdrawn" in body
    assert "Client asked us to stop" in body


def test_consent_form_errors_are_specific(client, officer, council):
    edith = ClientFactory(organisation=council)
    client.force_login(officer)
    response = client.post(
        reverse("referrals:consent-create", args=[edith.pk]),
        {"given_by": "representative", "given_on_0": "2", "given_on_1": "11", "given_on_2": "2026"},
    )
    body = response.content.decode()
    for message in (
        "Select at least one organisation",
        "Select at least one purpose",
        "Select how consent was given",
        "Enter the name of the representative who gave consent",
    ):
        assert message in body
    assert Consent.objects.count() == 0


def test_withdrawal_before_consent_was_given_is_refused(client, officer, council):
    consent = ConsentFactory(client=ClientFactory(organisation=council), organisations=[council])
    client.force_login(officer)
    response = client.post(
        reverse("referrals:consent-withdraw", args=[consent.pk]),
        {"withdrawn_on_0": "1", "withdrawn_on_1": "1", "withdrawn_on_2": "2020", "reason": "x"},
    )
    assert "Date withdrawn must be on or after the date consent was given" in response.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


@pytest.mark.parametrize(
    "name, method",
    [
        ("referrals:client-detail", "get"),
        ("referrals:client-edit", "get"),
        ("referrals:client-edit", "post"),
        ("referrals:client-history", "get"),
        ("referrals:consent-create", "get"),
        ("referrals:consent-create", "post"),
    ],
)
def test_another_organisations_client_is_not_found(client, outsider, council, name, method):
    edith = ClientFactory(organisation=council)
    client.force_login(outsider)
    response = getattr(client, method)(reverse(name, args=[edith.pk]), _form())
    assert response.status_code == 404
    edith.refresh_from_db()
    assert edith.history.count() == 0 or edith.history.first().history_user != outsider


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_organisations_consent_cannot_be_withdrawn(client, outsider, council, method):
    consent = ConsentFactory(client=ClientFactory(organisation=council), organisations=[council])
    client.force_login(outsider)
    data = {"withdrawn_on_0": "2", "withdrawn_on_1": "10", "withdrawn_on_2": "2026", "reason": "x"}
    response = getattr(client, method)(reverse("referrals:consent-withdraw", args=[consent.pk]), data)
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_another_organisations_clients_are_not_listed_or_found(client, outsider, council):
    ClientFactory(organisation=council, first_name="Edith", last_name="Wainwright")
    client.force_login(outsider)
    body = client.get(reverse("referrals:client-list"), {"q": "Wainwright"}).content.decode()
    assert "Edith Wainwright" not in body
    assert "0 clients found" in body


def test_pages_need_sign_in(client, council):
    edith = ClientFactory(organisation=council)
    response = client.get(edith.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
