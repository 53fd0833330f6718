from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import Notification
from partnerships.models import (
    Agreement,
    AgreementReminder,
    ContactVerificationRequest,
    Partnership,
    PartnershipMember,
    ReferralType,
    Role,
)
from partnerships.services import (
    accreditation_create,
    agreement_create,
    agreement_review_reminders_send,
    contact_verification_requests_send,
    contact_verify,
    partnership_create,
    partnership_update,
    routing_rule_set,
    service_level_set,
)
from tests.partnerships.factories import (
    AccreditationFactory,
    AgreementFactory,
    ContactFactory,
    OrganisationFactory,
    PartnershipFactory,
)

pytestmark = pytest.mark.django_db


def _fields(**overrides):
    fields = dict(
        name="Northshire benefit take-up partnership",
        kind=Partnership.Kind.JOINT_VISITING,
        purpose="One visit for the financial assessment and the Pension Credit claim.",
        start_date=date(2026, 4, 6),
    )
    fields.update(overrides)
    return fields


def test_a_partnership_needs_two_organisations_and_nothing_is_saved_otherwise(council, user_with_roles):
    manager = user_with_roles(council, Role.PARTNERSHIP_MANAGER)
    with pytest.raises(ValidationError) as excinfo:
        partnership_create(by=manager, organisations=[council], **_fields())
    assert excinfo.value.message_dict == {"organisations": ["A partnership needs at least two organisations"]}
    assert Partnership.objects.count() == 0
    # the same organisation twice is still one organisation
    with pytest.raises(ValidationError):
        partnership_create(by=manager, organisations=[council, council], **_fields())
    assert Partnership.objects.count() == 0


def test_partnership_create_with_key_contacts_and_history(council, user_with_roles):
    manager = user_with_roles(council, Role.PARTNERSHIP_MANAGER)
    pension = OrganisationFactory(name="The Pension Service")
    erm = ContactFactory(organisation=pension, name="Pat Jones")
    partnership = partnership_create(
        by=manager, organisations=[council, pension], key_contacts={pension.pk: erm}, **_fields()
    )
    members = {m.organisation: m.key_contact for m in partnership.members.all()}
    assert members == {council: None, pension: erm}
    assert partnership.history.get().history_user == manager


def test_a_key_contact_must_work_for_the_organisation(council, user_with_roles):
    manager = user_with_roles(council, Role.PARTNERSHIP_MANAGER)
    pension = OrganisationFactory(name="The Pension Service")
    stranger = ContactFactory(organisation=council)
    with pytest.raises(ValidationError):
        partnership_create(
            by=manager, organisations=[council, pension], key_contacts={pension.pk: stranger}, **_fields()
        )
    assert Partnership.objects.count() == 0


def test_partnership_update_can_change_members_but_not_below_two(council, user_with_roles):
    manager = user_with_roles(council, Role.PARTNERSHIP_MANAGER)
    pension, nhs = OrganisationFactory(name="Pension"), OrganisationFactory(name="NHS")
    partnership = partnership_create(by=manager, organisations=[council, pension], **_fields())
    partnership_update(partnership=partnership, by=manager, organisations=[council, nhs], status="suspended")
    assert set(partnership.organisations.all()) == {council, nhs}
    with pytest.raises(ValidationError):
        partnership_update(partnership=partnership, by=manager, organisations=[council])
    assert set(PartnershipMember.objects.values_list("organisation__name", flat=True)) == {council.name, "NHS"}


def test_agreement_document_type_and_size_are_checked(council, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    partnership = PartnershipFactory(members=[council, OrganisationFactory()])
    common = dict(partnership=partnership, by=None, kind=Agreement.Kind.MOU, title="MoU", version="1.0")
    pdf = SimpleUploadedFile("mou.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    agreement = agreement_create(document=pdf, **common)
    assert agreement.document.name.endswith(".pdf")
    with pytest.raises(ValidationError) as excinfo:
        agreement_create(document=SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream"), **common)
    assert "must be a PDF" in excinfo.value.message_dict["document"][0]
    big = SimpleUploadedFile("big.pdf", b"0" * (10 * 1024 * 1024 + 1), content_type="application/pdf")
    with pytest.raises(ValidationError) as excinfo:
        agreement_create(document=big, **common)
    assert excinfo.value.message_dict["document"] == ["The document must be smaller than 10 MB"]
    assert Agreement.objects.count() == 1


def test_service_levels_only_on_slas_and_complete_not_before_acknowledge(council):
    mou = AgreementFactory(kind=Agreement.Kind.MOU)
    with pytest.raises(ValidationError):
        service_level_set(
            agreement=mou, by=None, referral_type="benefit_check", acknowledge_working_days=2, complete_working_days=10
        )
    sla = AgreementFactory()
    with pytest.raises(ValidationError):
        service_level_set(
            agreement=sla, by=None, referral_type="benefit_check", acknowledge_working_days=5, complete_working_days=3
        )
    level = service_level_set(
        agreement=sla, by=None, referral_type="benefit_check", acknowledge_working_days=1, complete_working_days=10
    )
    again = service_level_set(
        agreement=sla, by=None, referral_type="benefit_check", acknowledge_working_days=2, complete_working_days=12
    )
    assert level.pk == again.pk
    assert (again.acknowledge_working_days, again.complete_working_days) == (2, 12)


def test_routing_rule_needs_a_member_and_a_sensible_age_range(council):
    pension = OrganisationFactory(name="Pension")
    sla = AgreementFactory(partnership=PartnershipFactory(members=[council, pension]))
    with pytest.raises(ValidationError):
        routing_rule_set(agreement=sla, by=None, receiving_organisation=OrganisationFactory(), referral_types=[])
    with pytest.raises(ValidationError):
        routing_rule_set(
            agreement=sla, by=None, receiving_organisation=pension, referral_types=[], minimum_age=80, maximum_age=66
        )
    rule = routing_rule_set(
        agreement=sla,
        by=None,
        receiving_organisation=pension,
        referral_types=["pension_credit", "pension_credit"],
        minimum_age=66,
    )
    assert rule.referral_types == ["pension_credit"]


def test_an_officer_cannot_be_accredited_for_their_own_organisation(council, officer):
    with pytest.raises(ValidationError):
        accreditation_create(
            by=None,
            officer=officer,
            accrediting_organisation=council,
            kind="pension_credit_claims",
            trained_on=date(2026, 1, 1),
            expires_on=date(2027, 1, 1),
        )


def test_expired_accreditation_cannot_be_relied_on():
    accreditation = AccreditationFactory(trained_on=date(2025, 1, 10), expires_on=date(2026, 1, 9))
    assert accreditation.is_valid_on(date(2026, 1, 9))
    assert not accreditation.is_valid_on(date(2026, 1, 10))
    assert not accreditation.is_valid_on(date(2025, 1, 9))


# --- reminders ---


@pytest.fixture
def agreement_with_key_contacts(council, user_with_roles):
    """An agreement due for review on 31 March 2027; the council's key contact has an account,
    the Pension Service's does not (so its partnership managers are told)."""
    pension = OrganisationFactory(name="The Pension Service")
    council_manager = user_with_roles(council, Role.PARTNERSHIP_MANAGER)
    pension_manager = user_with_roles(pension, Role.PARTNERSHIP_MANAGER)
    partnership = PartnershipFactory(members=[council, pension])
    PartnershipMember.objects.filter(organisation=council).update(
        key_contact=ContactFactory(organisation=council, user=council_manager)
    )
    agreement = AgreementFactory(partnership=partnership, title="Joint visiting SLA", review_due_on=date(2027, 3, 31))
    return agreement, council_manager, pension_manager


def test_review_reminders_go_30_days_before_and_on_the_day_each_once(
    agreement_with_key_contacts, django_capture_on_commit_callbacks
):
    agreement, council_manager, pension_manager = agreement_with_key_contacts
    # 31 days before: nothing yet
    assert agreement_review_reminders_send(today=date(2027, 2, 28)) == 0
    # 30 days before: the key contacts are told, once, even if the task runs twice
    with django_capture_on_commit_callbacks(execute=True):
        assert agreement_review_reminders_send(today=date(2027, 3, 1)) == 1
        assert agreement_review_reminders_send(today=date(2027, 3, 1)) == 0
        assert agreement_review_reminders_send(today=date(2027, 3, 15)) == 0
    titles = list(Notification.objects.values_list("recipient", "title"))
    assert sorted(titles) == sorted(
        [
            (council_manager.pk, "Joint visiting SLA is due for review on 31 March 2027"),
            (pension_manager.pk, "Joint visiting SLA is due for review on 31 March 2027"),
        ]
    )
    assert len(mail.outbox) == 2
    # on the day: a second reminder, once
    assert agreement_review_reminders_send(today=date(2027, 3, 31)) == 1
    assert agreement_review_reminders_send(today=date(2027, 4, 1)) == 0
    assert Notification.objects.filter(title="Joint visiting SLA is due for review today").count() == 2
    assert AgreementReminder.objects.filter(agreement=agreement).count() == 2


def test_a_new_review_date_gets_its_own_reminders(agreement_with_key_contacts):
    agreement, *_ = agreement_with_key_contacts
    agreement_review_reminders_send(today=date(2027, 3, 31))
    agreement.review_due_on = date(2028, 3, 31)
    agreement.save()
    assert agreement_review_reminders_send(today=date(2028, 3, 1)) == 1


def test_superseded_agreements_get_no_reminders(agreement_with_key_contacts):
    agreement, *_ = agreement_with_key_contacts
    Agreement.objects.filter(pk=agreement.pk).update(is_current=False)
    assert agreement_review_reminders_send(today=date(2027, 3, 31)) == 0


def test_stale_contacts_owners_are_asked_to_confirm_once(council, officer):
    today = date(2026, 11, 23)
    stale = ContactFactory(organisation=council, owner=officer, last_verified_on=today - timedelta(days=183))
    ContactFactory(organisation=council, owner=officer, last_verified_on=today - timedelta(days=100))
    assert stale.is_stale_on(today)
    assert contact_verification_requests_send(today=today) == 1
    assert contact_verification_requests_send(today=today) == 0
    assert Notification.objects.get(recipient=officer).title == f"Please confirm the directory entry for {stale.name}"
    # once confirmed it is fresh; if it goes stale again the owner is asked again
    with time_machine.travel(date(2026, 11, 24)):
        contact_verify(contact=stale, by=officer)
    stale.refresh_from_db()
    assert stale.last_verified_on == date(2026, 11, 24)
    assert not stale.is_stale_on(today)
    assert contact_verification_requests_send(today=date(2027, 6, 1)) == 2  # both entries are stale by then
    assert ContactVerificationRequest.objects.filter(contact=stale).count() == 2


def test_referral_type_choices_cover_design():
    assert {"benefit_check", "pension_credit", "attendance_allowance", "safeguarding"} <= set(ReferralType.values)


def test_reminder_tasks_are_on_the_daily_beat_schedule():
    from django.conf import settings

    from partnerships.tasks import agreement_review_reminders_send_task, contact_verification_requests_send_task

    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    for task in (agreement_review_reminders_send_task, contact_verification_requests_send_task):
        assert schedule[task.name].day_of_month == set(range(1, 32))  # every day
        assert schedule[task.name].day_of_week == set(range(7))
