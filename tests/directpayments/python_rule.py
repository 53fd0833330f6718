"""The payment rule of `directpayments/runs.py` applied to a run's agreements one by one in Python: the
reference the set-based `INSERT ... SELECT` (`directpayments.services.run_lines`) is tested against to the
penny, and the "old Python path" `bench/payment_run.py` times for comparison. Not used by the app."""

from datetime import date

from django.db.models import Prefetch, Q

from directpayments import runs
from directpayments.models import Agreement, PaymentLine, PaymentRun, Suspension
from partnerships.models import Organisation


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
