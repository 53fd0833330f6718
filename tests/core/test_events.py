import pytest
from django.db import transaction

from core import events

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def heard():
    calls = []

    def listener(**payload):
        calls.append(payload)

    events.subscribe("test.happened", listener)
    yield calls
    events.unsubscribe("test.happened", listener)


def test_a_listener_hears_the_payload_after_commit(heard):
    # given an open transaction
    with transaction.atomic():
        events.publish("test.happened", referral_id=7)
        # then nothing is heard before the commit
        assert heard == []
    # and the payload after it
    assert heard == [{"referral_id": 7}]


def test_a_rolled_back_change_is_never_announced(heard):
    with pytest.raises(RuntimeError), transaction.atomic():
        events.publish("test.happened", referral_id=8)
        raise RuntimeError("the write failed")
    assert heard == []


def test_subscribing_twice_calls_the_listener_once(heard):
    listener = events.listeners("test.happened")[0]
    events.subscribe("test.happened", listener)
    events.publish("test.happened", referral_id=9)
    assert heard == [{"referral_id": 9}]


def test_an_event_nobody_listens_to_is_a_no_op():
    events.publish("test.nobody-listens", referral_id=10)
