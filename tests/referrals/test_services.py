from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from core.audit import history_entries
from referrals.models import Client, Consent
from referrals.selectors import client_history, client_possible_duplicates, client_search
from referrals.services import (
    ConsentAlreadyWithdrawn,
    client_create,
    client_update,
    consent_record,
    consent_withdraw,
)
from tests.partnerships.factories import OrganisationFactory
from tests.referrals.factories import ClientFactory, ConsentFactory

pytestmark = pytest.mark.django_db


def _client_data(**overrides):
    data = dict(
        first_name="Edith",
        last_name="Wainwright",
        date_of_birth=date(1938, 3, 27),
        nino="ab 12 34 56 c",
        nhs_number="943 476 5919",
        address_line_1="14 Mill Lane",
        town="Northby",
        postcode="ne16bs",
    )
    data.update(overrides)
    return data


def test_client_create_normalises_identifiers_and_records_who(council, officer):
    # when
    client = client_create(by=officer, organisation=council, **_client_data())
    # then
    client.refresh_from_db()
    assert (client.nino, client.nhs_number, client.postcode) == ("AB123456C", "9434765919", "NE1 6BS")
    assert client.created_by == officer
    created = client.history.get()
    assert created.history_type == "+"
    assert created.history_user == officer


def test_client_create_refuses_an_invalid_nino_and_saves_nothing(council, officer):
    with pytest.raises(ValidationError) as excinfo:
        client_create(by=officer, organisation=council, **_client_data(nino="QQ123456C"))
    assert "nino" in excinfo.value.message_dict
    assert Client.objects.count() == 0


def test_client_update_keeps_old_and_new_values_in_history(council, officer, manager):
    # given
    client = client_create(by=officer, organisation=council, **_client_data())
    # when
    client_update(client=client, by=manager, postcode="ne2 4ab", phone="0191 496 0001")
    # then
    entries = history_entries(client.history.all())
    latest = entries[0]
    assert latest.who == manager.get_full_name()
    assert latest.action == "Changed"
    changes = {change.field: (change.old, change.new) for change in latest.changes}
    assert changes == {"Postcode": ("NE1 6BS", "NE2 4AB"), "Phone number": ("(blank)", "0191 496 0001")}


def test_database_refuses_a_representative_without_a_name(council):
    client = ClientFactory(organisation=council)
    client.representative_kind = Client.RepresentativeKind.APPOINTEE
    with pytest.raises(IntegrityError):
        client.save()


def test_consent_record_and_what_it_covers(council, officer):
    # given
    pension_service = OrganisationFactory(name="The Pension Service", kind="pension_service")
    nhs = OrganisationFactory(name="Northshire NHS", kind="nhs")
    client = ClientFactory(organisation=council)
    # when
    consent = consent_record(
        client=client,
        by=officer,
        organisations=[pension_service],
        purposes=[Consent.Purpose.BENEFIT_CHECK],
        method=Consent.Method.VERBAL,
        given_on=date(2026, 11, 2),
    )
    # then
    assert consent.covers(organisation=pension_service, purpose="benefit_check", on=date(2026, 11, 3))
    assert not consent.covers(organisation=nhs, purpose="benefit_check", on=date(2026, 11, 3))
    assert not consent.covers(organisation=pension_service, purpose="health", on=date(2026, 11, 3))
    assert not consent.covers(organisation=pension_service, purpose="benefit_check", on=date(2026, 11, 1))


def test_consent_needs_an_organisation_and_a_known_purpose(council, officer):
    client = ClientFactory(organisation=council)
    common = dict(client=client, by=officer, method="written", given_on=date(2026, 11, 2))
    with pytest.raises(ValidationError):
        consent_record(organisations=[], purposes=["benefit_check"], **common)
    with pytest.raises(ValidationError):
        consent_record(organisations=[council], purposes=["selling_data"], **common)
    assert Consent.objects.count() == 0


def test_withdrawn_consent_stops_covering_from_the_withdrawal_date(council, officer):
    # given
    consent = ConsentFactory(client=ClientFactory(organisation=council), organisations=[council])
    # when
    consent_withdraw(consent=consent, by=officer, withdrawn_on=date(2026, 11, 10), reason="Client changed her mind")
    # then
    consent.refresh_from_db()
    assert consent.withdrawn_by == officer
    assert consent.covers(organisation=council, purpose="benefit_check", on=date(2026, 11, 9))
    assert not consent.covers(organisation=council, purpose="benefit_check", on=date(2026, 11, 10))
    assert consent.history.first().history_user == officer


def test_consent_cannot_be_withdrawn_twice_or_before_it_was_given(council, officer):
    consent = ConsentFactory(client=ClientFactory(organisation=council), organisations=[council])
    with pytest.raises(ValidationError):
        consent_withdraw(consent=consent, by=officer, withdrawn_on=date(2026, 9, 30), reason="x")
    consent_withdraw(consent=consent, by=officer, withdrawn_on=date(2026, 10, 2), reason="Moved away")
    with pytest.raises(ConsentAlreadyWithdrawn):
        consent_withdraw(consent=consent, by=officer, withdrawn_on=date(2026, 10, 3), reason="Again")
    consent.refresh_from_db()
    assert consent.withdrawn_on == date(2026, 10, 2)


def test_client_history_lists_client_and_consent_changes_in_words(council, officer):
    # given a client whose consent to share with the Pension Service was recorded and then withdrawn
    pension = OrganisationFactory(name="The Pension Service")
    client = client_create(by=officer, organisation=council, **_client_data())
    consent = consent_record(
        client=client,
        by=officer,
        organisations=[pension],
        purposes=["benefit_check"],
        method="written",
        given_on=date(2026, 10, 1),
    )
    consent_withdraw(consent=consent, by=officer, withdrawn_on=date(2026, 10, 5), reason="Asked us to stop")
    # when
    entries = client_history(client=client)
    # then the newest entry is the withdrawal, with names and dates as people read them
    withdrawn = entries[0]
    assert (withdrawn.record, withdrawn.action, withdrawn.who) == ("Consent", "Changed", officer.get_full_name())
    assert {(c.field, c.old, c.new) for c in withdrawn.changes} == {
        ("Date withdrawn", "(blank)", "5 October 2026"),
        ("Withdrawn by", "(blank)", officer.get_full_name()),
        ("Withdrawal reason", "(blank)", "Asked us to stop"),
    }
    organisations_set = [e for e in entries if any(c.field == "Organisations" for c in e.changes)]
    assert [c.new for c in organisations_set[0].changes] == ["The Pension Service"]
    assert ("Client record", "Created") in [(entry.record, entry.action) for entry in entries]


def test_possible_duplicates_by_nino_or_by_name_and_birth_date(council, officer, outsider):
    edith = ClientFactory(organisation=council, first_name="Edith", last_name="Wainwright", nino="AB123456C")
    ClientFactory(organisation=council, first_name="Edith", last_name="Other", nino="CE987654A")
    # same NINO, different name
    assert client_possible_duplicates(
        user=officer, first_name="E", last_name="W", date_of_birth=date(1990, 1, 1), nino="ab123456c"
    ) == [edith]
    # same name (any case) and date of birth, no NINO
    assert client_possible_duplicates(
        user=officer, first_name="edith", last_name="WAINWRIGHT", date_of_birth=edith.date_of_birth
    ) == [edith]
    # nobody matches
    assert (
        client_possible_duplicates(user=officer, first_name="Ann", last_name="Smith", date_of_birth=date(1950, 1, 1))
        == []
    )
    # another organisation's user is not shown the council's client
    assert (
        client_possible_duplicates(user=outsider, first_name="x", last_name="y", date_of_birth=None, nino="AB123456C")
        == []
    )


@pytest.mark.parametrize(
    "query, expected",
    [
        ("wainwright", ["Edith Wainwright"]),
        ("edith wain", ["Edith Wainwright"]),
        ("AB 12 34 56 C", ["Edith Wainwright"]),
        ("ab123456", ["Edith Wainwright"]),
        ("NE1 6BS", ["Edith Wainwright"]),
        ("ne16bs", ["Edith Wainwright"]),
        ("NE2", ["George Pattinson"]),
        ("27/03/1938", ["Edith Wainwright"]),
        ("2 November 1944", ["George Pattinson"]),
        ("nobody", []),
    ],
)
def test_search_by_name_nino_postcode_or_date_of_birth(council, officer, query, expected):
    ClientFactory(
        organisation=council,
        first_name="Edith",
        last_name="Wainwright",
        nino="AB123456C",
        postcode="NE1 6BS",
        date_of_birth=date(1938, 3, 27),
    )
    ClientFactory(
        organisation=council,
        first_name="George",
        last_name="Pattinson",
        nino="CE987654A",
        postcode="NE2 4AB",
        date_of_birth=date(1944, 11, 2),
    )
    assert [client.full_name for client in client_search(user=officer, query=query)] == expected
