"""Writes for direct payment agreements: setting one up, changing its terms, and its life
`setup → active ⇄ suspended → ended`, each change in history with who made it. Days that become payable
again for a month already paid are marked for the next run to pay as arrears (`reconciliation.arrears_mark`)."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from referrals.models import Client

from .. import runs
from ..models import Agreement, Suspension
from . import reconciliation
from .contributions import contribution_assessment_locked, contribution_set
from .errors import InvalidTransition
from .monitoring import reviews_schedule


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
    contribution_set(
        agreement,
        assessment=contribution_assessment_locked(client),
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
    if contribution_by_hand is not None:  # the assessment is locked before the agreement (see contributions.py)
        assessment = contribution_assessment_locked(
            Agreement.objects.select_related("client").get(pk=agreement_id).client
        )
    agreement = Agreement.objects.select_for_update().select_related("client").get(pk=agreement_id)
    old_start, old_end = agreement.start_date, agreement.end_date
    for name, value in fields.items():
        setattr(agreement, name, value)
    if contribution_by_hand is not None:
        contribution_set(
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
