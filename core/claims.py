"""Exactly-once work for idempotent tasks: claim the row that records the work before doing it.

A reminder or notice is recorded by a row under a unique constraint (`ActionReminder`, `AgreementReminder`,
...). The task inserts that row first, in its own savepoint; if the insert hits the constraint, another
run (a retry, a second worker, yesterday's run) has already claimed it, and the work is skipped.
"""

from django.db import IntegrityError, transaction


def claim_once(model, **fields) -> bool:
    """Insert the row that records a piece of work; False if it was already there (done before)."""
    try:
        with transaction.atomic():
            model.objects.create(**fields)
    except IntegrityError:
        return False
    return True
