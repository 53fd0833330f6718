"""The one seam by which a lower app makes a higher one act, without importing it.

The apps form a stack (`core` ← `partnerships` ← `boards`, `referrals` ← `assessments` ← `directpayments`)
and imports run down it only. When something happens in a lower app that a higher app must follow (an
award recorded on a referral → the re-assessment is drafted), the lower app `publish`es a named event and
the higher app `subscribe`s to it in its `AppConfig.ready()`. Listeners run after the publishing
transaction commits (never for a rolled-back change), in the order they subscribed; a listener that must
not slow the request sends a Celery task. Event names are dotted strings declared as constants by the
publishing app (e.g. `referrals/events.py`).
"""

from collections import defaultdict
from collections.abc import Callable
from functools import partial

from django.db import transaction

_listeners: dict[str, list[Callable[..., object]]] = defaultdict(list)


def subscribe(event: str, listener: Callable[..., object]) -> None:
    """Call `listener(**payload)` after commit whenever `event` is published (once per listener)."""
    if listener not in _listeners[event]:
        _listeners[event].append(listener)


def unsubscribe(event: str, listener: Callable[..., object]) -> None:
    """Stop calling `listener` for `event` (tests that subscribe their own listener use this)."""
    if listener in _listeners[event]:
        _listeners[event].remove(listener)


def listeners(event: str) -> list[Callable[..., object]]:
    """Who listens to `event`, in order: read by tests and by the README's architecture section."""
    return list(_listeners[event])


def publish(event: str, **payload: object) -> None:
    """Announce `event`: each listener runs with `payload` once the current transaction commits."""
    for listener in _listeners[event]:
        transaction.on_commit(partial(listener, **payload))
