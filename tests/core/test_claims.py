import pytest
from django.contrib.auth.models import Group
from django.db import transaction

from core.claims import claim_once

pytestmark = pytest.mark.django_db


def test_the_first_claim_wins_and_a_second_is_refused():
    # given / when
    first = claim_once(Group, name="reminder: action 7, owner, 1 April 2026")
    second = claim_once(Group, name="reminder: action 7, owner, 1 April 2026")
    # then
    assert (first, second) == (True, False)
    assert Group.objects.filter(name__startswith="reminder:").count() == 1


def test_a_refused_claim_leaves_the_surrounding_transaction_usable():
    # given: a claim already made
    claim_once(Group, name="notice 12")
    with transaction.atomic():
        # when: claimed again inside a task's own transaction
        assert claim_once(Group, name="notice 12") is False
        # then: the transaction carries on (the refused insert was rolled back to its savepoint)
        Group.objects.create(name="after the refused claim")
    assert set(
        Group.objects.filter(name__in=["notice 12", "after the refused claim"]).values_list("name", flat=True)
    ) == {
        "notice 12",
        "after the refused claim",
    }
