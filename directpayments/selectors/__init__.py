"""Reads for direct payments, scoped to the user's organisation (another organisation's records are a 404),
one module per subdomain: agreements, payment runs, monitoring, the finance home page and the staff who
are told. Callers outside these modules import from here."""

from .agreements import (
    adjustment_list,
    agreement_history,
    agreement_list_for_user,
    personal_assistant_choices,
    personal_assistant_list_for_user,
    suspension_list_for_user,
)
from .home import TAKE_UP_TARGET_PERCENT, FinanceHome, TakeUp, direct_payment_take_up_for_user, finance_home_for_user
from .monitoring import (
    card_balance_list,
    card_surplus_list_for_user,
    quarterly_return_due_list_for_user,
    quarterly_return_for,
    quarterly_return_list,
    quarterly_return_surplus_list_for_user,
    review_list_for_user,
    review_overdue_list_for_user,
    surplus_notice_list_for_user,
)
from .payment_runs import (
    RunException,
    RunReport,
    payment_run_exceptions,
    payment_run_export_lines,
    payment_run_lines,
    payment_run_lines_with_returns,
    payment_run_list_for_user,
    payment_run_report,
    payment_run_totals,
    payments_in_run,
)
from .staff import finance_officer_list

__all__ = [
    "TAKE_UP_TARGET_PERCENT",
    "FinanceHome",
    "RunException",
    "RunReport",
    "TakeUp",
    "adjustment_list",
    "agreement_history",
    "agreement_list_for_user",
    "card_balance_list",
    "card_surplus_list_for_user",
    "direct_payment_take_up_for_user",
    "finance_home_for_user",
    "finance_officer_list",
    "payment_run_exceptions",
    "payment_run_export_lines",
    "payment_run_lines",
    "payment_run_lines_with_returns",
    "payment_run_list_for_user",
    "payment_run_report",
    "payment_run_totals",
    "payments_in_run",
    "personal_assistant_choices",
    "personal_assistant_list_for_user",
    "quarterly_return_due_list_for_user",
    "quarterly_return_for",
    "quarterly_return_list",
    "quarterly_return_surplus_list_for_user",
    "review_list_for_user",
    "review_overdue_list_for_user",
    "surplus_notice_list_for_user",
    "suspension_list_for_user",
]
