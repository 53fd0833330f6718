import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from partnerships.models import Contact, Role
from tests.partnerships.factories import (
    AccreditationFactory,
    ContactFactory,
    OrganisationFactory,
    StaffUserFactory,
)

pytestmark = pytest.mark.django_db

STALE_TAG = "Not confirmed for 6 months"
EXPIRED_TAG = "Expired – cannot be relied on"


def _contact_form(organisation, **overrides):
    data = {
        "organisation": organisation.pk,
        "name": "Priya Shah",
        "function": Contact.Function.HOSPITAL_DISCHARGE_LEAD,
        "job_title": "Discharge co-ordinator",
        "phone": "0191 496 0123",
        "email": "priya.shah@example.org",
        "is_single_point_of_contact": "on",
    }
    data.update(overrides)
    return data


def _csv_rows(response):
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


# --- Reading and searching the directory -------------------------------------------------------


def test_any_member_of_staff_reads_the_directory(client, officer, pension_service):
    ContactFactory(name="Margaret Oduya", organisation=pension_service, is_single_point_of_contact=True)
    client.force_login(officer)
    response = client.get(reverse("partnerships:contact-list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Margaret Oduya" in body
    assert "Pension Service" in body
    assert "Single point of contact" in body
    assert "Add a contact" not in body  # only partnership managers add contacts


def test_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("partnerships:contact-list"))
    assert response.status_code == 302


def test_directory_search_by_name(client, officer, pension_service):
    ContactFactory(name="Margaret Oduya", organisation=pension_service)
    ContactFactory(name="Tom Birch", organisation=pension_service)
    client.force_login(officer)
    body = client.get(reverse("partnerships:contact-list"), {"q": "oduya"}).content.decode()
    assert "Margaret Oduya" in body
    assert "Tom Birch" not in body


def test_directory_search_by_organisation(client, officer, council, pension_service):
    ContactFactory(name="Margaret Oduya", organisation=pension_service)
    ContactFactory(name="Tom Birch", organisation=council)
    client.force_login(officer)
    body = client.get(reverse("partnerships:contact-list"), {"q": "Pension"}).content.decode()
    assert "Margaret Oduya" in body
    assert "Tom Birch" not in body


def test_directory_filters_by_organisation_and_role(client, officer, council, pension_service):
    ContactFactory(name="Margaret Oduya", organisation=pension_service, function=Contact.Function.DISTRICT_ERM)
    ContactFactory(name="Tom Birch", organisation=pension_service, function=Contact.Function.TEAM_MANAGER)
    ContactFactory(name="Ann Lowe", organisation=council, function=Contact.Function.DISTRICT_ERM)
    client.force_login(officer)
    body = client.get(
        reverse("partnerships:contact-list"),
        {"organisation": pension_service.pk, "function": Contact.Function.DISTRICT_ERM},
    ).content.decode()
    assert "Margaret Oduya" in body
    assert "Tom Birch" not in body
    assert "Ann Lowe" not in body


def test_stale_contact_is_tagged_and_a_fresh_one_is_not(client, officer, pension_service):
    ContactFactory(
        name="Stale Contact", organisation=pension_service, last_verified_on=date.today() - timedelta(days=200)
    )
    ContactFactory(
        name="Fresh Contact", organisation=pension_service, last_verified_on=date.today() - timedelta(days=10)
    )
    client.force_login(officer)
    body = client.get(reverse("partnerships:contact-list")).content.decode()
    stale_row = body[body.index("Stale Contact") :].split("</tr>")[0]
    fresh_row = body[body.index("Fresh Contact") :].split("</tr>")[0]
    assert STALE_TAG in stale_row
    assert STALE_TAG not in fresh_row
    only_stale = client.get(reverse("partnerships:contact-list"), {"stale": "on"}).content.decode()
    assert "Stale Contact" in only_stale
    assert "Fresh Contact" not in only_stale


def test_directory_list_query_count_does_not_grow_with_contacts(
    client, officer, pension_service, django_assert_max_num_queries
):
    ContactFactory.create_batch(30, organisation=pension_service)
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("partnerships:contact-list"))
    assert response.status_code == 200
    assert len(re.findall(r'href="/partnerships/contacts/\d+/"', response.content.decode())) == 25  # one page


# --- CSV export --------------------------------------------------------------------------------


def test_csv_export_has_a_header_and_a_row_per_contact(client, officer, pension_service):
    ContactFactory(name="Margaret Oduya", organisation=pension_service, is_single_point_of_contact=True)
    ContactFactory(name="Tom Birch", organisation=pension_service)
    client.force_login(officer)
    response = client.get(reverse("partnerships:contact-export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="contacts.csv"' in response["Content-Disposition"]
    rows = _csv_rows(response)
    assert rows[0] == [
        "Name",
        "Function",
        "Organisation",
        "Job title",
        "Phone",
        "Email",
        "Single point of contact",
        "Last confirmed",
    ]
    assert len(rows) == 3
    assert {row[0] for row in rows[1:]} == {"Margaret Oduya", "Tom Birch"}
    margaret = next(row for row in rows if row[0] == "Margaret Oduya")
    assert margaret[2] == "Northshire Pension Service"
    assert margaret[6] == "Yes"


def test_csv_export_uses_the_same_search(client, officer, pension_service):
    ContactFactory(name="Margaret Oduya", organisation=pension_service)
    ContactFactory(name="Tom Birch", organisation=pension_service)
    client.force_login(officer)
    rows = _csv_rows(client.get(reverse("partnerships:contact-export"), {"q": "Birch"}))
    assert [row[0] for row in rows[1:]] == ["Tom Birch"]


def test_csv_export_neutralises_spreadsheet_formulas(client, officer, pension_service):
    ContactFactory(name='=HYPERLINK("http://evil.example","Click")', organisation=pension_service, job_title="@SUM(A1)")
    client.force_login(officer)
    rows = _csv_rows(client.get(reverse("partnerships:contact-export")))
    assert rows[1][0] == '\'=HYPERLINK("http://evil.example","Click")'
    assert rows[1][3] == "'@SUM(A1)"


# --- Managing contacts -------------------------------------------------------------------------


def test_manager_adds_a_contact(client, partnership_manager, pension_partnership, pension_service):
    client.force_login(partnership_manager)
    response = client.post(reverse("partnerships:contact-create"), _contact_form(pension_service))
    contact = Contact.objects.get()
    assert response.status_code == 302
    assert response["Location"] == contact.get_absolute_url()
    assert contact.organisation == pension_service
    assert contact.is_single_point_of_contact
    assert contact.last_verified_on == date.today()


def test_manager_cannot_add_a_contact_to_an_organisation_they_do_not_partner(
    client, partnership_manager, other_organisation
):
    client.force_login(partnership_manager)
    response = client.post(reverse("partnerships:contact-create"), _contact_form(other_organisation))
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not Contact.objects.exists()


def test_missing_name_is_shown_on_the_form(client, partnership_manager, council):
    client.force_login(partnership_manager)
    response = client.post(reverse("partnerships:contact-create"), _contact_form(council, name=""))
    assert "Enter the contact&#x27;s full name" in response.content.decode()
    assert not Contact.objects.exists()


def test_manager_edits_a_contact_and_that_confirms_it(
    client, partnership_manager, pension_partnership, pension_service
):
    contact = ContactFactory(organisation=pension_service, last_verified_on=date.today() - timedelta(days=300))
    client.force_login(partnership_manager)
    response = client.post(
        reverse("partnerships:contact-edit", args=[contact.pk]), _contact_form(pension_service, phone="0191 496 0999")
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.phone == "0191 496 0999"
    assert contact.last_verified_on == date.today()


def test_manager_confirms_a_contact_is_still_correct(client, partnership_manager, pension_partnership, pension_service):
    contact = ContactFactory(organisation=pension_service, last_verified_on=date.today() - timedelta(days=300))
    client.force_login(partnership_manager)
    detail = client.get(contact.get_absolute_url()).content.decode()
    assert "Confirm these details are still correct" in detail
    response = client.post(reverse("partnerships:contact-verify", args=[contact.pk]))
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.last_verified_on == date.today()


def test_verify_needs_a_post(client, partnership_manager, council):
    contact = ContactFactory(organisation=council)
    client.force_login(partnership_manager)
    assert client.get(reverse("partnerships:contact-verify", args=[contact.pk])).status_code == 405


@pytest.mark.parametrize("url_name", ["contact-edit", "contact-verify"])
def test_officer_may_not_change_contacts(client, officer, council, url_name):
    contact = ContactFactory(organisation=council, last_verified_on=date(2025, 1, 1))
    client.force_login(officer)
    assert (
        client.post(reverse(f"partnerships:{url_name}", args=[contact.pk]), _contact_form(council)).status_code == 403
    )
    contact.refresh_from_db()
    assert contact.last_verified_on == date(2025, 1, 1)


def test_officer_may_not_add_contacts_and_sees_no_confirm_button(client, officer, council):
    contact = ContactFactory(organisation=council)
    client.force_login(officer)
    assert client.get(reverse("partnerships:contact-create")).status_code == 403
    assert client.post(reverse("partnerships:contact-create"), _contact_form(council)).status_code == 403
    assert "Confirm these details" not in client.get(contact.get_absolute_url()).content.decode()


@pytest.mark.parametrize("url_name", ["contact-edit", "contact-verify"])
def test_manager_of_an_unrelated_organisation_gets_404(client, user_with_roles, other_organisation, council, url_name):
    contact = ContactFactory(organisation=council, last_verified_on=date(2025, 1, 1))
    stranger = user_with_roles(other_organisation, Role.PARTNERSHIP_MANAGER)
    client.force_login(stranger)
    response = client.post(reverse(f"partnerships:{url_name}", args=[contact.pk]), _contact_form(council))
    assert response.status_code == 404
    contact.refresh_from_db()
    assert contact.last_verified_on == date(2025, 1, 1)


# --- Accreditations ----------------------------------------------------------------------------


@pytest.fixture
def pension_officer(pension_service):
    return StaffUserFactory(membership__organisation=pension_service, first_name="Colin", last_name="Reid")


def test_expired_accreditation_is_tagged_and_warned_about(client, officer, council, pension_officer):
    expired = AccreditationFactory(
        officer=pension_officer,
        accrediting_organisation=council,
        trained_on=date.today() - timedelta(days=400),
        expires_on=date.today() - timedelta(days=35),
    )
    client.force_login(officer)
    listing = client.get(reverse("partnerships:accreditation-list")).content.decode()
    assert "Colin Reid" in listing
    assert EXPIRED_TAG in listing
    detail = client.get(expired.get_absolute_url()).content.decode()
    assert "This accreditation expired on" in detail
    assert "The officer must not do this work until they are re-accredited." in detail


def test_valid_accreditation_has_no_expiry_tag_or_warning(client, officer, council, pension_officer):
    valid = AccreditationFactory(
        officer=pension_officer,
        accrediting_organisation=council,
        trained_on=date.today() - timedelta(days=30),
        expires_on=date.today() + timedelta(days=300),
    )
    client.force_login(officer)
    listing = client.get(reverse("partnerships:accreditation-list")).content.decode()
    assert "Colin Reid" in listing
    assert EXPIRED_TAG not in listing
    assert "must not do this work" not in client.get(valid.get_absolute_url()).content.decode()


def test_expired_only_filter(client, officer, council, pension_officer):
    AccreditationFactory(
        officer=pension_officer,
        accrediting_organisation=council,
        trained_on=date.today() - timedelta(days=400),
        expires_on=date.today() - timedelta(days=1),
    )
    other = StaffUserFactory(membership__organisation=council, first_name="Dora", last_name="Fenwick")
    AccreditationFactory(
        officer=other,
        accrediting_organisation=OrganisationFactory(name="Age UK Northshire"),
        trained_on=date.today() - timedelta(days=10),
        expires_on=date.today() + timedelta(days=300),
    )
    client.force_login(officer)
    body = client.get(reverse("partnerships:accreditation-list"), {"expired": "on"}).content.decode()
    assert "Colin Reid" in body
    assert "Dora Fenwick" not in body


def test_manager_records_an_accreditation(client, partnership_manager, pension_partnership, council, pension_officer):
    client.force_login(partnership_manager)
    trained = date.today() - timedelta(days=5)
    response = client.post(
        reverse("partnerships:accreditation-create"),
        {
            "officer": pension_officer.pk,
            "accrediting_organisation": council.pk,
            "kind": "financial_assessment",
            "agreement": "",
            "trained_on_0": trained.day,
            "trained_on_1": trained.month,
            "trained_on_2": trained.year,
            "expires_on_0": trained.day,
            "expires_on_1": trained.month,
            "expires_on_2": trained.year + 1,
            "notes": "",
        },
    )
    assert response.status_code == 302
    accreditation = pension_officer.accreditations.get()
    assert accreditation.accrediting_organisation == council
    assert response["Location"] == accreditation.get_absolute_url()


def test_officer_may_not_record_accreditations(client, officer):
    client.force_login(officer)
    assert client.get(reverse("partnerships:accreditation-create")).status_code == 403


def test_outsider_gets_404_on_accreditation_detail_and_edit(
    client, outsider, user_with_roles, other_organisation, council, pension_officer
):
    accreditation = AccreditationFactory(officer=pension_officer, accrediting_organisation=council)
    client.force_login(outsider)
    assert client.get(accreditation.get_absolute_url()).status_code == 404
    client.force_login(user_with_roles(other_organisation, Role.PARTNERSHIP_MANAGER))
    assert client.get(reverse("partnerships:accreditation-edit", args=[accreditation.pk])).status_code == 404


def test_directory_list_query_count_is_the_same_for_one_contact_and_thirty(client, officer, pension_service):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(officer)
    ContactFactory(organisation=pension_service)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("partnerships:contact-list"))
    ContactFactory.create_batch(29, organisation=pension_service)
    with CaptureQueriesContext(connection) as thirty:
        client.get(reverse("partnerships:contact-list"))
    assert len(thirty) == len(one)


def test_manager_sees_the_forms(
    client, partnership_manager, pension_partnership, pension_service, pension_officer, council
):
    contact = ContactFactory(organisation=pension_service)
    accreditation = AccreditationFactory(officer=pension_officer, accrediting_organisation=council)
    client.force_login(partnership_manager)
    for url in [
        reverse("partnerships:contact-create"),
        reverse("partnerships:contact-edit", args=[contact.pk]),
        reverse("partnerships:accreditation-create"),
        reverse("partnerships:accreditation-edit", args=[accreditation.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "govuk-button" in response.content.decode()
    edit = client.get(reverse("partnerships:accreditation-edit", args=[accreditation.pk])).content.decode()
    assert "Colin Reid (Pension Service)" in edit


# --- Added by the audit of issue 3: history, 404s on every action URL, query bounds --------------


def test_contact_edit_keeps_old_and_new_values_in_history(
    client, partnership_manager, pension_partnership, pension_service
):
    contact = ContactFactory(organisation=pension_service, phone="0191 496 0000")
    client.force_login(partnership_manager)
    client.post(
        reverse("partnerships:contact-edit", args=[contact.pk]), _contact_form(pension_service, phone="0191 496 0999")
    )
    latest = contact.history.latest()
    changes = {change.field: (change.old, change.new) for change in latest.diff_against(latest.prev_record).changes}
    assert latest.history_user == partnership_manager
    assert changes["phone"] == ("0191 496 0000", "0191 496 0999")


def test_manager_of_an_unrelated_organisation_gets_404_on_the_contact_form(
    client, user_with_roles, other_organisation, council
):
    contact = ContactFactory(organisation=council)
    client.force_login(user_with_roles(other_organisation, Role.PARTNERSHIP_MANAGER))
    assert client.get(reverse("partnerships:contact-edit", args=[contact.pk])).status_code == 404


def test_manager_of_an_unrelated_organisation_cannot_change_an_accreditation(
    client, user_with_roles, other_organisation, council, pension_officer
):
    accreditation = AccreditationFactory(
        officer=pension_officer, accrediting_organisation=council, expires_on=date(2027, 1, 9)
    )
    client.force_login(user_with_roles(other_organisation, Role.PARTNERSHIP_MANAGER))
    response = client.post(
        reverse("partnerships:accreditation-edit", args=[accreditation.pk]),
        {
            "officer": pension_officer.pk,
            "accrediting_organisation": council.pk,
            "kind": "financial_assessment",
            "trained_on_0": "10",
            "trained_on_1": "1",
            "trained_on_2": "2026",
            "expires_on_0": "9",
            "expires_on_1": "1",
            "expires_on_2": "2030",
        },
    )
    assert response.status_code == 404
    accreditation.refresh_from_db()
    assert accreditation.expires_on == date(2027, 1, 9)


def test_accreditation_list_queries_do_not_grow_with_accreditations(
    client, officer, council, pension_service, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(officer)
    url = reverse("partnerships:accreditation-list")
    AccreditationFactory(officer__membership__organisation=pension_service, accrediting_organisation=council)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(20):
        AccreditationFactory(officer__membership__organisation=pension_service, accrediting_organisation=council)
    with django_assert_max_num_queries(len(one)):
        response = client.get(url)
    assert response.content.decode().count("govuk-table__body") == 1
    assert len(re.findall(r'href="/partnerships/accreditations/\d+/"', response.content.decode())) == 21
