"""One-off payments and surplus recoveries: recorded here, applied by the first draft run for a month on or
after the day they take effect (a recovery never takes a month below nothing; the rest is carried forward)."""

from datetime import date
from decimal import Decimal

from django.db import connection, transaction

from .. import runs
from ..models import Adjustment, Agreement, PaymentLine, PaymentRun
from .errors import InvalidTransition


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


def adjustments_undo(*, run: PaymentRun) -> None:
    """Before a draft is recalculated: drop its adjustment lines and the remainders it carried forward,
    and put its adjustments back to waiting."""
    later = Adjustment.objects.filter(created_in_run=run).exclude(run=None)
    if later.exists():
        raise InvalidTransition("A later run has already applied a recovery this run carried forward.")
    run.lines.filter(kind=PaymentLine.Kind.ADJUSTMENT).delete()
    Adjustment.objects.filter(created_in_run=run).delete()
    Adjustment.objects.filter(run=run).update(run=None, applied_amount=runs.ZERO)


def adjustments_apply(*, run: PaymentRun, by) -> None:
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
