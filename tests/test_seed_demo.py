import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from partnerships.models import Organisation, Role, StaffMembership
from referrals.models import Client, Consent

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_one_account_per_role_and_is_idempotent():
    call_command("seed_demo", stdout=None)
    counts = (
        Organisation.objects.count(),
        get_user_model().objects.count(),
        Client.objects.count(),
        Consent.objects.count(),
    )
    call_command("seed_demo", stdout=None)
    assert counts == (
        Organisation.objects.count(),
        get_user_model().objects.count(),
        Client.objects.count(),
        Consent.objects.count(),
    )
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
