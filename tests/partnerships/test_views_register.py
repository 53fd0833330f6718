from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Agreement, Partnership, PartnershipMember, Role, RoutingRule, ServiceLevel
from tests.partnerships.factories import (
    AgreementFactory,
    ContactFactory,
    OrganisationFactory,
    PartnershipFactory,
    RoutingRuleFactory,
    ServiceLevelFactory,
)

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def outside_manager(other_organisation, user_with_roles):
    """A partnership manager of an organisation that is not in the council's partnerships."""
    return user_with_roles(other_organisation, Role.PARTNERSHIP_MANAGER)


@pytest.fixture
def partnership(council, pension_service):
    return PartnershipFactory(name="Northshire benefits take-up", members=[council, pension_service])


@pytest.fixture
def sla(partnership):
    return AgreementFactory(partnership=partnership, kind=Agreement.Kind.SLA, title="Referrals SLA")


def _partnership_form(*organisations, **overrides):
    data = {
        "name": "Hospital discharge partnership",
        "kind": "referral_system",
        "is_formal": "on",
        "scope": "operational",
        "level": "local",
        "district": "Northshire",
        "purpose": "Check benefits for older people leaving hospital.",
        "customer_groups": ["older_people", "leaving_hospital"],
        "start_date_0": "1",
        "start_date_1": "4",
        "start_date_2": "2026",
        "next_review_date_0": "31",
        "next_review_date_1": "3",
        "next_review_date_2": "2027",
        "status": "active",
        "organisations": [organisation.pk for organisation in organisations],
    }
    data.update(overrides)
    return data


def _agreement_form(**overrides):
    data = {
        "kind": "sla",
        "title": "Referrals SLA 2026",
        "version": "2.0",
        "signed_on_0": "1",
        "signed_on_1": "4",
        "signed_on_2": "2026",
        "review_due_on_0": "31",
        "review_due_on_1": "3",
        "review_due_on_2": "2027",
        "is_current": "on",
    }
    data.update(overrides)
    return data


# --- List --------------------------------------------------------------------------------------


def test_list_shows_only_the_users_own_partnerships(client, officer, council, pension_service, other_organisation):
    PartnershipFactory(name="Ours", members=[council, pension_service])
    PartnershipFactory(name="Theirs", members=[other_organisation, pension_service])
    client.force_login(officer)
    body = client.get(reverse("partnerships:partnership-list")).content.decode()
    assert "Ours" in body
    assert "Theirs" not in body
    assert "1 partnership" in body
    assert "Pension Service" in body  # members are listed
    assert "Add a partnership" not in body  # officers read only


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"kind": "co_location"}, {"Co-located advice"}),
        ({"status": "ended"}, {"Old drop-in"}),
        ({"review_due": "on"}, {"Old drop-in"}),
        ("nhs", {"Co-located advice"}),
    ],
)
def test_each_filter_narrows_the_list(client, officer, council, pension_service, params, expected):
    nhs = OrganisationFactory(name="Northshire NHS Trust", kind="nhs")
    PartnershipFactory(name="Benefit referrals", members=[council, pension_service])
    PartnershipFactory(name="Co-located advice", kind=Partnership.Kind.CO_LOCATION, members=[council, nhs])
    PartnershipFactory(
        name="Old drop-in",
        kind=Partnership.Kind.DROP_IN,
        status=Partnership.Status.ENDED,
        next_review_date=date(2026, 1, 31),
        members=[council, pension_service],
    )
    if params == "nhs":
        params = {"organisation": nhs.pk}
    client.force_login(officer)
    body = client.get(reverse("partnerships:partnership-list"), params).content.decode()
    shown = {name for name in ("Benefit referrals", "Co-located advice", "Old drop-in") if name in body}
    assert shown == expected


def test_list_shows_review_due_tag(client, officer, council, pension_service):
    PartnershipFactory(name="Due", next_review_date=date(2026, 1, 31), members=[council, pension_service])
    client.force_login(officer)
    body = client.get(reverse("partnerships:partnership-list")).content.decode()
    assert "31 January 2026" in body
    assert '<strong class="govuk-tag govuk-tag--red">Review due</strong>' in body


def test_organisation_filter_offers_only_organisations_in_own_partnerships(
    client, officer, council, pension_service, other_organisation
):
    PartnershipFactory(members=[council, pension_service])
    PartnershipFactory(members=[other_organisation, OrganisationFactory(name="Elsewhere Trust")])
    client.force_login(officer)
    body = client.get(reverse("partnerships:partnership-list")).content.decode()
    assert "Northshire Pension Service</option>" in body
    assert "Elsewhere Trust" not in body
    assert other_organisation.name not in body


def test_list_uses_a_fixed_number_of_queries(client, officer, council, django_assert_max_num_queries):
    for number in range(30):
        partner = OrganisationFactory(name=f"Partner {number}")
        partnership = PartnershipFactory(members=[council, partner])
        PartnershipMember.objects.filter(organisation=partner).update(key_contact=ContactFactory(organisation=partner))
        assert partnership.members.count() == 2
    client.force_login(officer)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("partnerships:partnership-list"))
    assert response.content.decode().count('class="govuk-table__row"') == 26  # header + 25 a page


# --- Detail ------------------------------------------------------------------------------------


def test_detail_shows_fields_members_agreements_and_outcomes(client, officer, council, pension_service):
    contact = ContactFactory(organisation=pension_service, name="Priya Shah", phone="0191 496 0123")
    partnership = PartnershipFactory(
        name="Benefits take-up",
        customer_groups=["older_people", "carers"],
        next_review_date=date(2027, 3, 31),
        members=[council, pension_service],
    )
    PartnershipMember.objects.filter(organisation=pension_service).update(key_contact=contact)
    AgreementFactory(partnership=partnership, title="Old MoU", review_due_on=date(2026, 1, 1))
    AgreementFactory(partnership=partnership, title="New SLA", review_due_on=date(2027, 3, 31))
    partnership.outcomes.create(recorded_on=date(2026, 6, 1), description="40 referrals made", recorded_by=officer)
    client.force_login(officer)
    body = client.get(partnership.get_absolute_url()).content.decode()
    assert "Older people, Carers" in body
    assert "1 April 2025" in body
    assert "31 March 2027" in body
    assert "Priya Shah" in body
    assert "Partnership Manager" in body
    assert "0191 496 0123" in body
    assert "Old MoU" in body and "New SLA" in body
    assert body.count("Review overdue") == 1
    assert "40 referrals made" in body
    assert "Change details" not in body  # officers read only


def test_managers_see_the_action_links(client, partnership_manager, partnership):
    client.force_login(partnership_manager)
    body = client.get(partnership.get_absolute_url()).content.decode()
    assert reverse("partnerships:partnership-edit", args=[partnership.pk]) in body
    assert reverse("partnerships:agreement-create", args=[partnership.pk]) in body
    assert reverse("partnerships:outcome-create", args=[partnership.pk]) in body


# --- Create and edit ---------------------------------------------------------------------------


def test_manager_creates_a_partnership_with_key_contacts(client, partnership_manager, council, pension_service):
    contact = ContactFactory(organisation=pension_service, name="Priya Shah")
    client.force_login(partnership_manager)
    response = client.post(
        reverse("partnerships:partnership-create"),
        _partnership_form(council, pension_service, key_contacts=[contact.pk]),
    )
    partnership = Partnership.objects.get()
    assert response.status_code == 302
    assert response["Location"] == partnership.get_absolute_url()
    assert partnership.customer_groups == ["older_people", "leaving_hospital"]
    assert partnership.start_date == date(2026, 4, 1)
    assert partnership.created_by == partnership_manager
    members = {member.organisation: member.key_contact for member in partnership.members.all()}
    assert members == {council: None, pension_service: contact}
    body = client.get(partnership.get_absolute_url()).content.decode()
    assert "Hospital discharge partnership has been added." in body


def test_create_with_one_organisation_is_refused_and_nothing_is_saved(client, partnership_manager, council):
    client.force_login(partnership_manager)
    response = client.post(reverse("partnerships:partnership-create"), _partnership_form(council))
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "A partnership needs at least two organisations" in body
    assert Partnership.objects.count() == 0
    assert PartnershipMember.objects.count() == 0


def test_create_without_own_organisation_is_refused(client, partnership_manager, pension_service):
    other = OrganisationFactory(name="Northshire NHS Trust")
    client.force_login(partnership_manager)
    response = client.post(reverse("partnerships:partnership-create"), _partnership_form(pension_service, other))
    assert "Your own organisation (Northshire County Council) must be one of the organisations" in (
        response.content.decode()
    )
    assert Partnership.objects.count() == 0


def test_two_key_contacts_for_one_organisation_are_refused(client, partnership_manager, council, pension_service):
    first, second = ContactFactory.create_batch(2, organisation=pension_service)
    client.force_login(partnership_manager)
    response = client.post(
        reverse("partnerships:partnership-create"),
        _partnership_form(council, pension_service, key_contacts=[first.pk, second.pk]),
    )
    assert "Choose only one key contact for Northshire Pension Service" in response.content.decode()
    assert Partnership.objects.count() == 0


def test_manager_edits_a_partnership(client, partnership_manager, partnership, council, pension_service):
    nhs = OrganisationFactory(name="Northshire NHS Trust")
    client.force_login(partnership_manager)
    url = reverse("partnerships:partnership-edit", args=[partnership.pk])
    assert "Northshire benefits take-up" in client.get(url).content.decode()
    response = client.post(url, _partnership_form(council, pension_service, nhs, name="Renamed", status="suspended"))
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.name == "Renamed"
    assert partnership.status == Partnership.Status.SUSPENDED
    assert set(partnership.organisations.all()) == {council, pension_service, nhs}


def test_manager_records_an_outcome(client, partnership_manager, partnership):
    client.force_login(partnership_manager)
    response = client.post(
        reverse("partnerships:outcome-create", args=[partnership.pk]),
        {
            "description": "12 Pension Credit awards",
            "recorded_on_0": "2",
            "recorded_on_1": "11",
            "recorded_on_2": "2026",
        },
    )
    assert response.status_code == 302
    outcome = partnership.outcomes.get()
    assert outcome.recorded_on == date(2026, 11, 2)
    assert outcome.recorded_by == partnership_manager


# --- Permissions -------------------------------------------------------------------------------


def _write_requests(partnership, agreement, level):
    """(method, url) for every action only partnership managers may take."""
    return [
        ("get", reverse("partnerships:partnership-create")),
        ("post", reverse("partnerships:partnership-create")),
        ("get", reverse("partnerships:partnership-edit", args=[partnership.pk])),
        ("post", reverse("partnerships:partnership-edit", args=[partnership.pk])),
        ("post", reverse("partnerships:outcome-create", args=[partnership.pk])),
        ("get", reverse("partnerships:agreement-create", args=[partnership.pk])),
        ("post", reverse("partnerships:agreement-create", args=[partnership.pk])),
        ("post", reverse("partnerships:agreement-edit", args=[agreement.pk])),
        ("post", reverse("partnerships:service-level-create", args=[agreement.pk])),
        ("post", reverse("partnerships:service-level-delete", args=[agreement.pk, level.pk])),
        ("post", reverse("partnerships:routing-rule-set", args=[agreement.pk])),
    ]


def test_non_managers_get_403_on_every_write(client, officer, partnership, sla):
    level = ServiceLevelFactory(agreement=sla)
    client.force_login(officer)
    for method, url in _write_requests(partnership, sla, level):
        assert getattr(client, method)(url).status_code == 403, (method, url)
    assert Partnership.objects.count() == 1
    assert Agreement.objects.count() == 1
    assert ServiceLevel.objects.count() == 1
    assert not partnership.outcomes.exists()


URLS_FOR_OUTSIDERS = [
    ("get", "partnerships:partnership-detail", "partnership"),
    ("get", "partnerships:partnership-edit", "partnership"),
    ("post", "partnerships:partnership-edit", "partnership"),
    ("get", "partnerships:outcome-create", "partnership"),
    ("post", "partnerships:outcome-create", "partnership"),
    ("get", "partnerships:agreement-create", "partnership"),
    ("get", "partnerships:agreement-detail", "agreement"),
    ("get", "partnerships:agreement-edit", "agreement"),
    ("post", "partnerships:agreement-edit", "agreement"),
    ("get", "partnerships:agreement-document", "agreement"),
    ("get", "partnerships:service-level-create", "agreement"),
    ("post", "partnerships:service-level-create", "agreement"),
    ("post", "partnerships:service-level-delete", "level"),
    ("get", "partnerships:routing-rule-set", "agreement"),
    ("post", "partnerships:routing-rule-set", "agreement"),
]


@pytest.mark.parametrize("method, name, target", URLS_FOR_OUTSIDERS)
def test_another_organisations_manager_gets_404(client, outside_manager, partnership, sla, method, name, target):
    level = ServiceLevelFactory(agreement=sla)
    args = {"partnership": [partnership.pk], "agreement": [sla.pk], "level": [sla.pk, level.pk]}[target]
    client.force_login(outside_manager)
    response = getattr(client, method)(reverse(name, args=args), {"referral_type": "benefit_check"})
    assert response.status_code == 404
    assert ServiceLevel.objects.filter(pk=level.pk).exists()


def test_another_organisations_officer_gets_404_on_read_pages(client, outsider, partnership, sla):
    client.force_login(outsider)
    assert client.get(partnership.get_absolute_url()).status_code == 404
    assert client.get(sla.get_absolute_url()).status_code == 404
    assert client.get(reverse("partnerships:agreement-document", args=[sla.pk])).status_code == 404
    assert "Northshire benefits take-up" not in client.get(reverse("partnerships:partnership-list")).content.decode()


def test_pages_need_sign_in(client, partnership):
    response = client.get(partnership.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


# --- Agreements and documents ------------------------------------------------------------------


def test_manager_adds_an_agreement_with_a_pdf_and_members_download_it(
    client, settings, tmp_path, partnership_manager, officer, outsider, partnership
):
    settings.MEDIA_ROOT = tmp_path
    document = SimpleUploadedFile("sla-2026.pdf", PDF_BYTES, content_type="application/pdf")
    client.force_login(partnership_manager)
    create_url = reverse("partnerships:agreement-create", args=[partnership.pk])
    assert 'enctype="multipart/form-data"' in client.get(create_url).content.decode()
    response = client.post(create_url, {**_agreement_form(), "document": document})
    agreement = Agreement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == agreement.get_absolute_url()
    assert agreement.partnership == partnership
    assert agreement.signed_on == date(2026, 4, 1)
    assert agreement.document.name.endswith(".pdf")

    # a member organisation's officer can see and download it
    client.force_login(officer)
    body = client.get(agreement.get_absolute_url()).content.decode()
    assert "Service level agreement" in body
    assert "Download sla-2026.pdf" in body
    download = client.get(reverse("partnerships:agreement-document", args=[agreement.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert download["Content-Disposition"].startswith("attachment")

    # another organisation cannot
    client.force_login(outsider)
    assert client.get(reverse("partnerships:agreement-document", args=[agreement.pk])).status_code == 404


@pytest.mark.parametrize(
    "name, content, content_type, message",
    [
        ("setup.exe", b"MZ\x90\x00", "application/x-msdownload", "The document must be a PDF, Word"),
        ("scan.png", b"\x89PNG\r\n\x1a\n", "image/png", "The document must be a PDF, Word"),
        (
            "big.pdf",
            b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024),
            "application/pdf",
            "The document must be smaller than 10 MB",
        ),
        ("photo.pdf", b"\x89PNG\r\n\x1a\n", "image/png", "The document must be a PDF, Word"),
    ],
)
def test_wrong_or_oversized_documents_are_refused(
    client, settings, tmp_path, partnership_manager, partnership, name, content, content_type, message
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(partnership_manager)
    document = SimpleUploadedFile(name, content, content_type=content_type)
    response = client.post(
        reverse("partnerships:agreement-create", args=[partnership.pk]), {**_agreement_form(), "document": document}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert message in body
    assert Agreement.objects.count() == 0
    assert not any(tmp_path.rglob("*.*"))


def test_manager_edits_an_agreement(client, partnership_manager, sla):
    client.force_login(partnership_manager)
    response = client.post(
        reverse("partnerships:agreement-edit", args=[sla.pk]),
        _agreement_form(title="Referrals SLA v3", version="3.0", is_current=""),
    )
    assert response.status_code == 302
    sla.refresh_from_db()
    assert (sla.title, sla.version, sla.is_current) == ("Referrals SLA v3", "3.0", False)


def test_review_before_signing_is_refused(client, partnership_manager, partnership):
    client.force_login(partnership_manager)
    response = client.post(
        reverse("partnerships:agreement-create", args=[partnership.pk]), _agreement_form(review_due_on_2="2025")
    )
    assert "The review date must be on or after the date signed" in response.content.decode()
    assert Agreement.objects.count() == 0


def test_agreement_page_flags_an_overdue_review(client, officer, partnership):
    agreement = AgreementFactory(partnership=partnership, review_due_on=timezone.localdate() - timedelta(days=1))
    client.force_login(officer)
    body = client.get(agreement.get_absolute_url()).content.decode()
    assert '<strong class="govuk-tag govuk-tag--red">Review overdue</strong>' in body
    assert "No document uploaded" in body


def test_download_without_a_document_is_404(client, officer, sla):
    client.force_login(officer)
    assert client.get(reverse("partnerships:agreement-document", args=[sla.pk])).status_code == 404


# --- Service levels ----------------------------------------------------------------------------


def test_service_level_set_replace_and_remove(client, partnership_manager, sla):
    client.force_login(partnership_manager)
    url = reverse("partnerships:service-level-create", args=[sla.pk])
    # set
    response = client.post(
        url, {"referral_type": "pension_credit", "acknowledge_working_days": "3", "complete_working_days": "15"}
    )
    assert response.status_code == 302
    body = client.get(sla.get_absolute_url()).content.decode()
    assert "Pension Credit claim" in body
    assert "The service level for Pension Credit claim has been saved." in body
    # the same referral type replaces it
    client.post(
        url, {"referral_type": "pension_credit", "acknowledge_working_days": "1", "complete_working_days": "10"}
    )
    level = ServiceLevel.objects.get(agreement=sla)
    assert (level.acknowledge_working_days, level.complete_working_days) == (1, 10)
    # the change form is filled in from the existing level
    assert 'value="10"' in client.get(url, {"referral_type": "pension_credit"}).content.decode()
    # remove
    response = client.post(reverse("partnerships:service-level-delete", args=[sla.pk, level.pk]))
    assert response.status_code == 302
    assert not ServiceLevel.objects.exists()


def test_service_level_remove_needs_post(client, partnership_manager, sla):
    level = ServiceLevelFactory(agreement=sla)
    client.force_login(partnership_manager)
    assert client.get(reverse("partnerships:service-level-delete", args=[sla.pk, level.pk])).status_code == 405
    assert ServiceLevel.objects.exists()


def test_service_level_with_completion_before_acknowledgement_is_refused(client, partnership_manager, sla):
    client.force_login(partnership_manager)
    response = client.post(
        reverse("partnerships:service-level-create", args=[sla.pk]),
        {"referral_type": "pension_credit", "acknowledge_working_days": "5", "complete_working_days": "2"},
    )
    assert "Days to complete must be at least the days to acknowledge" in response.content.decode()
    assert not ServiceLevel.objects.exists()


def test_service_levels_only_on_an_sla(client, partnership_manager, partnership):
    mou = AgreementFactory(partnership=partnership, kind=Agreement.Kind.MOU)
    client.force_login(partnership_manager)
    response = client.post(
        reverse("partnerships:service-level-create", args=[mou.pk]),
        {"referral_type": "pension_credit", "acknowledge_working_days": "3", "complete_working_days": "15"},
    )
    assert "Service levels can only be set on a service level agreement" in response.content.decode()
    assert not ServiceLevel.objects.exists()


# --- Routing rules -----------------------------------------------------------------------------


def test_routing_rule_set_and_shown(client, partnership_manager, sla, pension_service):
    client.force_login(partnership_manager)
    response = client.post(
        reverse("partnerships:routing-rule-set", args=[sla.pk]),
        {
            "receiving_organisation": pension_service.pk,
            "referral_types": ["pension_credit", "attendance_allowance"],
            "minimum_age": "66",
            "maximum_age": "",
        },
    )
    assert response.status_code == 302
    rule = RoutingRule.objects.get()
    assert rule.referral_types == ["attendance_allowance", "pension_credit"]
    assert (rule.minimum_age, rule.maximum_age) == (66, None)
    body = client.get(sla.get_absolute_url()).content.decode()
    assert "Attendance Allowance claim, Pension Credit claim" in body


def test_routing_rule_with_no_types_accepts_any(client, officer, sla, council):
    RoutingRuleFactory(agreement=sla, receiving_organisation=council, referral_types=[])
    client.force_login(officer)
    body = client.get(sla.get_absolute_url()).content.decode()
    assert '<td class="govuk-table__cell">Any</td>' in body


def test_routing_rule_with_maximum_below_minimum_age_is_refused(client, partnership_manager, sla, pension_service):
    client.force_login(partnership_manager)
    response = client.post(
        reverse("partnerships:routing-rule-set", args=[sla.pk]),
        {"receiving_organisation": pension_service.pk, "minimum_age": "66", "maximum_age": "18"},
    )
    body = response.content.decode()
    assert "There is a problem" in body
    assert "The maximum age must be at least the minimum age" in body
    assert not RoutingRule.objects.exists()


def test_routing_rule_only_for_partnership_members(client, partnership_manager, sla, other_organisation):
    client.force_login(partnership_manager)
    response = client.post(
        reverse("partnerships:routing-rule-set", args=[sla.pk]), {"receiving_organisation": other_organisation.pk}
    )
    assert "Select a valid choice" in response.content.decode()
    assert not RoutingRule.objects.exists()
