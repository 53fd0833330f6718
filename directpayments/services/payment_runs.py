"""Writes for the monthly payment run.

The run's life is `draft → submitted → approved → exported → paid`, or `cancelled` before export.
Every status change goes through `payment_run_transition`, which locks the run, refuses an illegal
edge and records an event. Paying twice is prevented by the database (`payment_line_once_per_period`
and `dp_run_one_live_per_month`); the services lock the run so two workers wait for each other.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.access import has_role
from partnerships.models import Organisation, Role

from .. import runs
from ..models import Adjustment, PaymentLine, PaymentRun, PaymentRunEvent
from . import reconciliation, run_lines
from .adjustments import adjustments_apply, adjustments_undo
from .errors import FourEyesError, InvalidTransition

Status = PaymentRun.Status

TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.SUBMITTED, Status.CANCELLED},
    Status.SUBMITTED: {Status.APPROVED, Status.DRAFT, Status.CANCELLED},
    Status.APPROVED: {Status.EXPORTED, Status.CANCELLED},
    Status.EXPORTED: {Status.PAID},
    Status.PAID: set(),
    Status.CANCELLED: set(),
}

# When each status is reached, this timestamp is set.
STAMPS = {Status.APPROVED: "approved_at", Status.EXPORTED: "exported_at", Status.PAID: "paid_at"}


def _live_run_locked(*, organisation: Organisation, month: date) -> PaymentRun | None:
    return (
        PaymentRun.objects.select_for_update()
        .filter(organisation=organisation, month=month)
        .exclude(status=Status.CANCELLED)
        .first()
    )


@transaction.atomic
def payment_run_prepare(*, organisation: Organisation, month: date, by) -> PaymentRun:
    """Create (or recalculate, while draft) the run for a month; a run past draft is returned unchanged.

    Safe to run twice or at once: the run row is locked and unique per live month, and each line is
    unique per agreement and month, so a second worker waits and then finds the work done."""
    month = runs.month_start(month)
    run = _live_run_locked(organisation=organisation, month=month)
    if run is None:
        try:
            with transaction.atomic():
                run = PaymentRun.objects.create(organisation=organisation, month=month)
                PaymentRunEvent.objects.create(run=run, from_status="", to_status=Status.DRAFT, actor=by)
        except IntegrityError:
            # Another worker created it first and has committed: take theirs, waiting for its lock.
            run = _live_run_locked(organisation=organisation, month=month)
    if run.status != Status.DRAFT:
        return run
    adjustments_undo(run=run)
    run.lines.filter(kind__in=[PaymentLine.Kind.REGULAR, PaymentLine.Kind.REISSUE, PaymentLine.Kind.ARREARS]).delete()
    run_lines.insert_regular_lines(run=run)  # the rule of runs.py in one INSERT ... SELECT
    adjustments_apply(run=run, by=by)
    reconciliation.add_to_draft_run(run=run)  # returned payments re-issued, arrears for settled months
    run.prepared_by = by
    run.prepared_at = timezone.now()
    run._history_user = by
    run.save(update_fields=["prepared_by", "prepared_at", "updated_at"])
    return run


@transaction.atomic
def payment_run_transition(*, run_id: int, to: str, by, note: str = "") -> PaymentRun:
    """The one place a run's status changes: lock, refuse illegal edges and four-eyes breaches, record."""
    run = PaymentRun.objects.select_for_update().get(pk=run_id)
    if to not in TRANSITIONS.get(run.status, set()):
        raise InvalidTransition(
            f"A run that is {run.get_status_display().lower()} cannot become {Status(to).label.lower()}."
        )
    if to == Status.APPROVED:
        if by is None or not has_role(by, Role.FINANCE_APPROVER):
            raise FourEyesError("Only a finance approver can approve a payment run.")
        if by.pk in {run.prepared_by_id, run.submitted_by_id}:
            raise FourEyesError("You prepared or submitted this run, so someone else must approve it.")
        run.approved_by = by
    if to == Status.SUBMITTED:
        if not run.lines.exists():
            raise InvalidTransition("There is nothing to pay in this run.")
        run.submitted_by = by
    if to == Status.DRAFT:  # sent back: approval must start again
        run.submitted_by = None
    if to in STAMPS:
        setattr(run, STAMPS[to], timezone.now())
    if to == Status.CANCELLED:
        # The cancelled run's lines stop counting, so the month can be paid by a new run.
        run.lines.update(is_live=False)
        # Its adjustments wait for the next run; recoveries it carried forward are not needed.
        Adjustment.objects.filter(created_in_run=run, run=None).delete()
        Adjustment.objects.filter(run=run).update(run=None, applied_amount=runs.ZERO)
    PaymentRunEvent.objects.create(run=run, from_status=run.status, to_status=to, actor=by, note=note)
    run.status = to
    run._history_user = by
    run.save()
    return run


def payment_run_submit(*, run_id: int, by) -> PaymentRun:
    """Send a draft run for approval by someone else."""
    return payment_run_transition(run_id=run_id, to=Status.SUBMITTED, by=by)


def payment_run_return(*, run_id: int, by, note: str = "") -> PaymentRun:
    """Send a submitted run back to draft so it can be recalculated."""
    return payment_run_transition(run_id=run_id, to=Status.DRAFT, by=by, note=note)


def payment_run_approve(*, run_id: int, by) -> PaymentRun:
    """Approve a submitted run: the approver holds the approver role and neither prepared nor submitted it."""
    return payment_run_transition(run_id=run_id, to=Status.APPROVED, by=by)


def payment_run_export(*, run_id: int, by) -> PaymentRun:
    """Mark an approved run exported: from now on its amounts are the ones sent to the bank."""
    return payment_run_transition(run_id=run_id, to=Status.EXPORTED, by=by)


def payment_run_mark_paid(*, run_id: int, by) -> PaymentRun:
    """Record that the bank has paid an exported run."""
    return payment_run_transition(run_id=run_id, to=Status.PAID, by=by)


def payment_run_cancel(*, run_id: int, by, note: str = "") -> PaymentRun:
    """Cancel a run not yet exported; its lines no longer count, so the month can be run again."""
    return payment_run_transition(run_id=run_id, to=Status.CANCELLED, by=by, note=note)
