import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from boards.models import Board
from directpayments.models import Agreement as PaymentAgreement
from partnerships.models import Accreditation, Contact, Organisation, Partnership, Role, ServiceLevel, StaffMembership
from referrals.models import Client, Consent, Referral, Visit

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_one_account_per_role_and_is_idempotent():
    call_command("seed_demo", stdout=None)
    models = [
        get_user_model(),
        Organisation,
        Client,
        Consent,
        Partnership,
        Contact,
        ServiceLevel,
        Accreditation,
        Referral,
        Visit,
    ]
    counts = [model.objects.count() for model in models]
    call_command("seed_demo", stdout=None)
    assert counts == [model.objects.count() for model in models]
    assert counts[4:] == [1, 4, 2, 1, 3, 3]  # partnership, contacts, service levels, accreditation, referrals, visits
    assert Referral.objects.filter(status="completed", benefit_outcomes__decision="awarded").count() == 1
    assert Board.objects.count() == 1
    assert PaymentAgreement.objects.filter(status="active").count() == 1
    assert set(Organisation.objects.values_list("kind", flat=True)) == {
        "council",
        "pension_service",
        "nhs",
        "voluntary",
    }
    held = set(get_user_model().objects.values_list("groups__name", flat=True))
    assert held >= set(Role.values)
    assert StaffMembership.objects.count() == get_user_model().objects.count()
    assert get_user_model().objects.get(username="officer").check_password("jointcase-demo-2026")
