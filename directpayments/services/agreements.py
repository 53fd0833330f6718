"""Direct payments writes: agreements and the monthly payment run.

The run's life is `draft → submitted → approved → exported → paid`, or `cancelled` before export.
Every status change goes through `payment_run_transition`, which locks the run, refuses an illegal
edge and records an event. Paying twice is prevented by the database (`payment_line_once_per_period`
and `dp_run_one_live_per_month`); the services lock the run so two workers wait for each other.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Prefetch, Q
from django.utils import timezone

from assessments.models import Assessment
from assessments.selectors import current_charge_for_client
from core.access import has_role
from core.money import ZERO, format_money
from core.notifications import notify
from partnerships.models import Organisation, Role
from referrals.models import Client

from . import reconciliation, run_lines, runs
from .models import Adjustment, Agreement, PaymentLine, PaymentRun, PaymentRunEvent, Suspension
from .monitoring import _finance_officers, reviews_schedule

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


class InvalidTransition(Exception):
    """A status change the payment run's lifecycle does not allow; nothing was changed."""


class FourEyesError(InvalidTransition):
    """The approver prepared or submitted the run, or does not hold the approver role."""


# --- agreements -----------------------------------------------------------------------------------


def agreement_net_weekly(agreement: Agreement) -> Decimal:
    """The weekly payment: budget less assessed contribution, never below zero (computed, not stored)."""
    return runs.net_weekly(budget=agreement.weekly_budget, contribution=agreement.weekly_contribution)


def _clear_unused_account_fields(agreement: Agreement) -> None:
    keep = {
        Agreement.AccountType.PREPAID_CARD: {"card_reference"},
        Agreement.AccountType.MANAGED_ACCOUNT: {"provider"},
        Agreement.AccountType.BANK_ACCOUNT: {"sort_code", "account_number", "account_name"},
    }.get(agreement.account_type, set())
    for name in ("card_reference", "provider", "sort_code", "account_number", "account_name"):
        if name not in keep:
            setattr(agreement, name, "")


def _check_account(agreement: Agreement) -> None:
    errors = {}
    if agreement.account_type == Agreement.AccountType.BANK_ACCOUNT:
        if not agreement.sort_code:
            errors["sort_code"] = "Enter the sort code"
        if not agreement.account_number:
            errors["account_number"] = "Enter the account number"
    if agreement.account_type == Agreement.AccountType.MANAGED_ACCOUNT and not agreement.provider:
        errors["provider"] = "Enter the managed account provider"
    if agreement.account_type == Agreement.AccountType.PREPAID_CARD and not agreement.card_reference:
        errors["card_reference"] = "Enter the prepaid card reference"
    if errors:
        raise ValidationError(errors)


# --- the assessed contribution ------------------------------------------------------------------
#
# The weekly contribution is the charge of the client's current complete financial assessment by the
# council holding the client (`contribution_assessment` records which one), or, when there is none or
# a finance officer ticks "enter the contribution by hand" and gives a reason, a figure typed by hand.
# Lock order, to avoid deadlocks with `assessments.services.assessment_complete`: the assessment first,
# then the agreement.


def agreement_contribution_source(*, client: Client) -> Assessment | None:
    """The assessment a new agreement for `client` would take its contribution from (None: by hand)."""
    return current_charge_for_client(client=client, organisation=client.organisation_id)


def _current_assessment_locked(client: Client) -> Assessment | None:
    """The client's current complete assessment, locked until the transaction ends. A re-assessment
    completing at the same moment either waits for this transaction (and then updates the agreement
    through `agreement_contributions_follow_assessment`) or commits first (then the lock finds the old
    assessment superseded, and the new one is read again)."""
    for _attempt in range(3):
        current = agreement_contribution_source(client=client)
        if current is None:
            return None
        locked = Assessment.objects.select_for_update().filter(pk=current.pk, status=Assessment.Status.COMPLETE).first()
        if locked is not None:
            return locked
    raise ValidationError("The client's financial assessment is changing at this moment. Try again.")


def _contribution_set(
    agreement: Agreement, *, assessment: Assessment | None, by_hand: bool, reason: str, given: Decimal | None
) -> None:
    """Take the contribution from `assessment`, or the `given` figure when there is no assessment or
    `by_hand` is ticked (then, if there is an assessment, a reason is required)."""
    reason = (reason or "").strip()
    if assessment is not None and not by_hand:
        if given is not None and given != assessment.weekly_charge:
            raise ValidationError(
                {
                    "weekly_contribution": f"The client's financial assessment sets the contribution at "
                    f"{format_money(assessment.weekly_charge)} a week. To use another figure, tick "
                    "'Enter the contribution by hand' and give the reason"
                }
            )
        agreement.weekly_contribution = assessment.weekly_charge
        agreement.contribution_assessment = assessment
        agreement.contribution_by_hand_reason = ""
        return
    if given is None:
        if by_hand:
            raise ValidationError({"weekly_contribution": "Enter the weekly assessed contribution"})
        given = agreement.weekly_contribution if agreement.pk else ZERO  # unchanged, or none yet
    if assessment is not None and not reason:
        raise ValidationError(
            {"contribution_by_hand_reason": "Give the reason for not using the financial assessment's charge"}
        )
    agreement.weekly_contribution = given
    agreement.contribution_assessment = None
    agreement.contribution_by_hand_reason = reason


@transaction.atomic
def agreement_create(
    *, client: Client, by, contribution_by_hand: bool = False, contribution_by_hand_reason: str = "", **fields
) -> Agreement:
    """Set up a direct payment agreement for a client; it is paid once activated. The weekly contribution
    comes from the client's current complete financial assessment if there is one (a `weekly_contribution`
    passed must then equal its charge), unless `contribution_by_hand` with a reason; otherwise it is the
    `weekly_contribution` given (0.00 if none: the form asks for it)."""
    fields.setdefault("sort_code", "")
    assistants = fields.pop("personal_assistants", None)
    given = fields.pop("weekly_contribution", None)
    agreement = Agreement(client=client, created_by=by, status=Agreement.Status.SETUP, **fields)
    _contribution_set(
        agreement,
        assessment=_current_assessment_locked(client),
        by_hand=contribution_by_hand,
        reason=contribution_by_hand_reason,
        given=given,
    )
    agreement.sort_code = agreement.sort_code.replace("-", "").replace(" ", "")
    agreement.account_number = agreement.account_number.replace(" ", "")
    _clear_unused_account_fields(agreement)
    _check_account(agreement)
    agreement.full_clean()
    agreement._history_user = by
    agreement.save()
    if assistants:
        _assistants_set(agreement, assistants, by)
    return agreement


# What an agreement's edit form may change (not the client, status or who set it up).
AGREEMENT_EDITABLE = frozenset(
    {
        "nominated_person",
        "start_date",
        "end_date",
        "weekly_budget",
        "weekly_contribution",
        "account_type",
        "card_reference",
        "provider",
        "sort_code",
        "account_number",
        "account_name",
        "supplier_number",
        "contingency_weeks",
    }
)


def _assistants_set(agreement: Agreement, assistants, by) -> None:
    assistants = list(assistants)
    if any(pa.organisation_id != agreement.client.organisation_id for pa in assistants):
        raise ValidationError({"personal_assistants": "Choose personal assistants from your own register"})
    agreement._history_user = by
    agreement.personal_assistants.set(assistants)


@transaction.atomic
def agreement_update(
    *,
    agreement_id: int,
    by,
    personal_assistants=None,
    contribution_by_hand: bool | None = None,
    contribution_by_hand_reason: str = "",
    **fields,
) -> Agreement:
    """Change an agreement's terms, account or personal assistants, each change kept in history. If new
    dates make settled days payable, the next run pays them as arrears (a narrower period is not
    recovered here: add a surplus recovery).

    The contribution: with `contribution_by_hand` False it is taken from the client's current financial
    assessment (if any), True uses `weekly_contribution` with a reason; None (not asked) leaves where it
    comes from unchanged and refuses a different figure for a contribution taken from an assessment."""
    unknown = set(fields) - AGREEMENT_EDITABLE
    if unknown:
        raise TypeError(f"agreement_update cannot change {', '.join(sorted(unknown))}")
    given = fields.pop("weekly_contribution", None)
    assessment = None
    if contribution_by_hand is not None:  # the assessment is locked before the agreement (see above)
        assessment = _current_assessment_locked(Agreement.objects.select_related("client").get(pk=agreement_id).client)
    agreement = Agreement.objects.select_for_update().select_related("client").get(pk=agreement_id)
    old_start, old_end = agreement.start_date, agreement.end_date
    for name, value in fields.items():
        setattr(agreement, name, value)
    if contribution_by_hand is not None:
        _contribution_set(
            agreement,
            assessment=assessment,
            by_hand=contribution_by_hand,
            reason=contribution_by_hand_reason,
            given=given,
        )
    elif given is not None and given != agreement.weekly_contribution:
        if agreement.contribution_assessment_id is not None:
            raise ValidationError(
                {
                    "weekly_contribution": "This contribution comes from the client's financial assessment. To "
                    "use another figure, tick 'Enter the contribution by hand' and give the reason"
                }
            )
        agreement.weekly_contribution = given
    agreement.sort_code = (agreement.sort_code or "").replace("-", "").replace(" ", "")
    agreement.account_number = (agreement.account_number or "").replace(" ", "")
    _clear_unused_account_fields(agreement)
    _check_account(agreement)
    if agreement.status == Agreement.Status.ENDED and agreement.end_date is None:
        raise ValidationError({"end_date": "An ended agreement needs its end date"})
    agreement.full_clean()
    agreement._history_user = by
    agreement.save()
    if agreement.start_date < old_start:
        reconciliation.arrears_mark(agreement=agreement, from_day=agreement.start_date)
    if old_end is not None and (agreement.end_date is None or agreement.end_date > old_end):
        reconciliation.arrears_mark(agreement=agreement, from_day=old_end + timedelta(days=1))
    if personal_assistants is not None:
        _assistants_set(agreement, personal_assistants, by)
    return agreement


LIVE_AGREEMENT_STATUSES = (Agreement.Status.SETUP, Agreement.Status.ACTIVE, Agreement.Status.SUSPENDED)


def agreement_contributions_follow_assessment(*, assessment: Assessment, by) -> list[Agreement]:
    """When `assessment` completes (a first assessment, or a re-assessment after a benefit award or the
    annual uprating), each live agreement of the client whose contribution came from an assessment takes
    the new weekly charge, in history with `by` as the user; the council's finance officers are told the
    old and new amounts and the date the charge applies from. Agreements entered by hand are left alone.
    Called by `assessments.services.assessment_complete` inside its transaction (no signal), after the
    superseded assessment is locked, so it sees an agreement set up from that assessment a moment ago.

    Not pro-rata: a charge effective from the middle of a month is not split by days. The agreement's
    contribution changes now, and the next draft payment run (or a recalculated draft) pays the new net
    amount for its whole month; months already paid are not recalculated."""
    if assessment.status != Assessment.Status.COMPLETE:
        return []
    current = current_charge_for_client(client=assessment.client_id, organisation=assessment.organisation_id)
    if current is None or current.pk != assessment.pk:
        return []  # an assessment from a later date still sets the charge
    agreements = list(
        Agreement.objects.select_for_update(of=("self",))
        .filter(
            client_id=assessment.client_id,
            client__organisation_id=assessment.organisation_id,
            status__in=LIVE_AGREEMENT_STATUSES,
            contribution_assessment__isnull=False,
        )
        .exclude(contribution_assessment=assessment)
        .select_related("client")
        .order_by("pk")
    )
    if not agreements:
        return agreements
    officers = _finance_officers(assessment.organisation_id)
    completed_on = timezone.localdate(assessment.completed_at) if assessment.completed_at else timezone.localdate()
    for agreement in agreements:
        old = agreement.weekly_contribution
        agreement.weekly_contribution = assessment.weekly_charge
        agreement.contribution_assessment = assessment
        agreement.full_clean()
        agreement._history_user = by
        agreement._change_reason = f"Financial assessment completed on {completed_on:%-d %B %Y}"
        agreement.save()
        notify(
            recipients=officers,
            title=f"Direct payment contribution changed: {agreement.client.full_name}",
            body=f"A financial assessment completed on {completed_on:%-d %B %Y} changes the weekly assessed "
            f"contribution from {format_money(old)} to {format_money(assessment.weekly_charge)}, effective "
            f"from {assessment.effective_date:%-d %B %Y}. The net weekly payment is now "
            f"{format_money(agreement_net_weekly(agreement))}. The next draft payment run uses the new "
            "contribution; months already paid are not recalculated.",
            url=agreement.get_absolute_url(),
        )
    return agreements


AGREEMENT_TRANSITIONS = {
    Agreement.Status.SETUP: {Agreement.Status.ACTIVE, Agreement.Status.ENDED},
    Agreement.Status.ACTIVE: {Agreement.Status.SUSPENDED, Agreement.Status.ENDED},
    Agreement.Status.SUSPENDED: {Agreement.Status.ACTIVE, Agreement.Status.ENDED},
    Agreement.Status.ENDED: set(),
}


def _agreement_locked(agreement_id: int, to: str) -> Agreement:
    agreement = Agreement.objects.select_for_update().get(pk=agreement_id)
    if to not in AGREEMENT_TRANSITIONS[agreement.status]:
        raise InvalidTransition(
            f"An agreement that is {agreement.get_status_display().lower()} cannot become "
            f"{Agreement.Status(to).label.lower()}."
        )
    return agreement


def _agreement_save(agreement: Agreement, to: str, by) -> Agreement:
    agreement.status = to
    agreement.full_clean()
    agreement._history_user = by
    agreement.save()
    return agreement


@transaction.atomic
def agreement_activate(*, agreement_id: int, by) -> Agreement:
    """Start paying an agreement from its start date (it is included in runs from then on)."""
    agreement = _agreement_locked(agreement_id, Agreement.Status.ACTIVE)
    if agreement.status == Agreement.Status.SUSPENDED:
        raise InvalidTransition("Resume a suspended agreement instead.")
    agreement = _agreement_save(agreement, Agreement.Status.ACTIVE, by)
    reviews_schedule(agreement=agreement)
    return agreement


@transaction.atomic
def agreement_suspend(*, agreement_id: int, by, starts_on: date, reason: str) -> Agreement:
    """Stop paying from `starts_on` until resumed; the days suspended are not paid."""
    agreement = _agreement_locked(agreement_id, Agreement.Status.SUSPENDED)
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for the suspension"})
    if starts_on < agreement.start_date:
        raise ValidationError({"starts_on": "A suspension cannot start before the agreement does"})
    suspension = Suspension(agreement=agreement, starts_on=starts_on, reason=reason, created_by=by)
    suspension.full_clean()
    suspension._history_user = by
    suspension.save()
    return _agreement_save(agreement, Agreement.Status.SUSPENDED, by)


@transaction.atomic
def agreement_resume(*, agreement_id: int, by, resumes_on: date) -> Agreement:
    """Pay again from `resumes_on`: the open suspension ends the day before."""
    agreement = _agreement_locked(agreement_id, Agreement.Status.ACTIVE)
    if agreement.status != Agreement.Status.SUSPENDED:
        raise InvalidTransition("Only a suspended agreement can be resumed.")
    suspension = agreement.suspensions.filter(ends_on__isnull=True).order_by("-starts_on").first()
    if suspension is not None:
        if resumes_on <= suspension.starts_on:
            raise ValidationError({"resumes_on": "Payments must resume after the suspension started"})
        suspension.ends_on = resumes_on - timedelta(days=1)
        suspension._history_user = by
        suspension.save()
        # A backdated resume makes days of a month perhaps already paid payable again.
        reconciliation.arrears_mark(agreement=agreement, from_day=resumes_on)
    return _agreement_save(agreement, Agreement.Status.ACTIVE, by)


def _suspension_locked(suspension_id: int) -> tuple[Agreement, Suspension]:
    agreement_id = Suspension.objects.values_list("agreement_id", flat=True).get(pk=suspension_id)
    agreement = Agreement.objects.select_for_update().get(pk=agreement_id)  # agreement first, then suspension
    return agreement, Suspension.objects.select_for_update().get(pk=suspension_id)


@transaction.atomic
def suspension_cancel(*, suspension_id: int, by, reason: str) -> Agreement:
    """Cancel a suspension recorded in error: every day it took out is payable again, from its first day.
    Days of months already paid are paid as arrears by the next run; the record stays in history."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the suspension is cancelled"})
    agreement, suspension = _suspension_locked(suspension_id)
    if agreement.status == Agreement.Status.ENDED:
        raise InvalidTransition("The agreement has ended: its suspensions can no longer change.")
    reconciliation.arrears_mark(agreement=agreement, from_day=suspension.starts_on)
    suspension._history_user = by
    suspension._change_reason = reason.strip()[:100]
    suspension.delete()
    still_open = agreement.suspensions.filter(ends_on__isnull=True).exists()
    if agreement.status == Agreement.Status.SUSPENDED and not still_open:
        agreement = _agreement_save(agreement, Agreement.Status.ACTIVE, by)
    return agreement


@transaction.atomic
def suspension_shorten(*, suspension_id: int, by, ends_on: date) -> Suspension:
    """Move a finished suspension's last day earlier: the days after it are payable again (as arrears
    for months already paid). An open suspension is ended by resuming the agreement instead."""
    agreement, suspension = _suspension_locked(suspension_id)
    if suspension.ends_on is None:
        raise ValidationError({"ends_on": "This suspension is still open: resume the agreement instead"})
    if ends_on >= suspension.ends_on:
        raise ValidationError({"ends_on": f"Enter a day before {suspension.ends_on:%-d %B %Y}, the current last day"})
    if ends_on < suspension.starts_on:
        raise ValidationError({"ends_on": "The last day cannot be before the first: cancel the suspension instead"})
    reconciliation.arrears_mark(agreement=agreement, from_day=ends_on + timedelta(days=1))
    suspension.ends_on = ends_on
    suspension.full_clean()
    suspension._history_user = by
    suspension.save()
    return suspension


@transaction.atomic
def agreement_end(*, agreement_id: int, by, end_date: date) -> Agreement:
    """End an agreement: it is paid up to and including `end_date`."""
    agreement = _agreement_locked(agreement_id, Agreement.Status.ENDED)
    agreement.end_date = end_date
    return _agreement_save(agreement, Agreement.Status.ENDED, by)


# --- payment runs ----------------------------------------------------------------------------------


def _payable_agreements(*, organisation: Organisation, month: date):
    """Agreements of the organisation's clients running at some point in the month (not still being set up)."""
    first, last = runs.month_start(month), runs.month_end(month)
    return (
        Agreement.objects.filter(client__organisation=organisation, start_date__lte=last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .exclude(status=Agreement.Status.SETUP)
        .prefetch_related(
            Prefetch(
                "suspensions",
                queryset=Suspension.objects.filter(starts_on__lte=last).filter(
                    Q(ends_on__isnull=True) | Q(ends_on__gte=first)
                ),
            )
        )
        .order_by("pk")
    )


def build_lines(*, run: PaymentRun) -> list[PaymentLine]:
    """The regular lines a run should hold: every payable agreement's amount for the month (not saved)."""
    lines = []
    for agreement in _payable_agreements(organisation=run.organisation, month=run.month):
        weekly, days, amount = runs.month_amount(
            month=run.month,
            budget=agreement.weekly_budget,
            contribution=agreement.weekly_contribution,
            agreement=runs.Period(agreement.start_date, agreement.end_date),
            suspensions=[runs.Period(s.starts_on, s.ends_on) for s in agreement.suspensions.all()],
        )
        if days and amount > 0:
            lines.append(
                PaymentLine(run=run, agreement=agreement, period=run.month, net_weekly=weekly, days=days, amount=amount)
            )
    return lines


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
    _adjustments_undo(run=run)
    run.lines.filter(kind__in=[PaymentLine.Kind.REGULAR, PaymentLine.Kind.REISSUE, PaymentLine.Kind.ARREARS]).delete()
    run_lines.insert_regular_lines(run=run)  # the rule of runs.py in one INSERT ... SELECT
    _adjustments_apply(run=run, by=by)
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


# --- adjustments: one-off payments and surplus recovery ------------------------------------------


@transaction.atomic
def adjustment_create(
    *, agreement: Agreement, kind: str, amount: Decimal, reason: str, takes_effect_on: date, by
) -> Adjustment:
    """Record a one-off payment or a surplus recovery, applied by the first draft run for a month
    starting on or after `takes_effect_on` (for a recovery: after the written notice period)."""
    adjustment = Adjustment(
        agreement=agreement,
        kind=kind,
        amount=runs.to_money(amount),
        reason=reason.strip(),
        takes_effect_on=takes_effect_on,
        created_by=by,
    )
    adjustment.full_clean()
    adjustment.save()
    return adjustment


def _adjustments_undo(*, run: PaymentRun) -> None:
    """Before a draft is recalculated: drop its adjustment lines and the remainders it carried forward,
    and put its adjustments back to waiting."""
    later = Adjustment.objects.filter(created_in_run=run).exclude(run=None)
    if later.exists():
        raise InvalidTransition("A later run has already applied a recovery this run carried forward.")
    run.lines.filter(kind=PaymentLine.Kind.ADJUSTMENT).delete()
    Adjustment.objects.filter(created_in_run=run).delete()
    Adjustment.objects.filter(run=run).update(run=None, applied_amount=runs.ZERO)


def _adjustments_apply(*, run: PaymentRun, by) -> None:
    """Add the waiting adjustments to a draft run: one-off payments in full, then recoveries as negative
    lines, each no more than what is left of the agreement's total for the month; the unrecovered rest
    becomes a new recovery from next month. A fixed number of queries for the whole run."""
    waiting = list(
        Adjustment.objects.select_for_update()
        .filter(agreement__client__organisation=run.organisation, run=None, takes_effect_on__lte=run.month)
        .exclude(agreement__status=Agreement.Status.SETUP)
        .order_by("agreement_id", "kind", "takes_effect_on", "pk")  # "one_off" sorts before "recovery"
    )
    if not waiting:
        return
    available = dict(
        run.lines.filter(kind=PaymentLine.Kind.REGULAR, agreement_id__in={a.agreement_id for a in waiting}).values_list(
            "agreement_id", "amount"
        )
    )
    lines, carried = [], []
    for adjustment in waiting:
        left = available.get(adjustment.agreement_id, runs.ZERO)
        if adjustment.kind == Adjustment.Kind.ONE_OFF:
            taken = adjustment.amount
            available[adjustment.agreement_id] = left + taken
        else:
            taken = min(adjustment.amount, left)
            available[adjustment.agreement_id] = left - taken
            if adjustment.amount > taken:
                carried.append(
                    Adjustment(
                        agreement_id=adjustment.agreement_id,
                        kind=Adjustment.Kind.RECOVERY,
                        amount=adjustment.amount - taken,
                        reason=f"Carried forward from {run.month:%B %Y}: {adjustment.reason}"[:200],
                        takes_effect_on=runs.next_month(run.month),
                        carried_from=adjustment,
                        created_in_run=run,
                        created_by=by,
                    )
                )
        adjustment.run, adjustment.applied_amount = run, taken
        if taken:
            sign = 1 if adjustment.kind == Adjustment.Kind.ONE_OFF else -1
            lines.append(
                PaymentLine(
                    run=run,
                    agreement_id=adjustment.agreement_id,
                    period=run.month,
                    kind=PaymentLine.Kind.ADJUSTMENT,
                    amount=sign * taken,
                    note=f"{adjustment.get_kind_display()}: {adjustment.reason}"[:200],
                    adjustment=adjustment,
                )
            )
    # One UPDATE from two arrays (bulk_update's CASE per row costs a second at 50,000 agreements).
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE directpayments_adjustment AS a SET run_id = %s, applied_amount = v.applied "
            "FROM unnest(%s::bigint[], %s::numeric[]) AS v(id, applied) WHERE a.id = v.id",
            [run.pk, [a.pk for a in waiting], [a.applied_amount for a in waiting]],
        )
    Adjustment.objects.bulk_create(carried, batch_size=2000)
    PaymentLine.objects.bulk_create(lines, batch_size=2000)


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
