"""Writes for direct payments, one module per subdomain: agreements (and their assessed contribution),
payment runs (with adjustments, the set-based regular lines and reconciliation after payment),
monitoring (card balances, quarterly returns, reviews), surplus notices and the register of personal
assistants. Callers outside these modules import from here."""

from .adjustments import adjustment_create
from .agreements import (
    AGREEMENT_EDITABLE,
    AGREEMENT_TRANSITIONS,
    agreement_activate,
    agreement_create,
    agreement_end,
    agreement_net_weekly,
    agreement_resume,
    agreement_suspend,
    agreement_update,
    suspension_cancel,
    suspension_shorten,
)
from .assistants import personal_assistant_create, personal_assistant_update
from .contributions import agreement_contribution_source, agreement_contributions_follow_assessment
from .errors import FourEyesError, InvalidTransition
from .monitoring import (
    BalanceImportResult,
    card_balances_import,
    quarterly_return_record,
    review_complete,
    review_reminders_send,
    reviews_schedule,
    surplus_for,
)
from .notices import (
    notice_days,
    recoverable_from,
    surplus_notice_issue,
    surplus_notice_withdraw,
    surplus_recovery_schedule,
)
from .payment_runs import (
    TRANSITIONS,
    payment_run_approve,
    payment_run_cancel,
    payment_run_export,
    payment_run_mark_paid,
    payment_run_prepare,
    payment_run_return,
    payment_run_submit,
    payment_run_transition,
)
from .reconciliation import ReturnsImportResult, arrears_mark, returned_payment_record, returns_import
from .run_lines import insert_regular_lines

__all__ = [
    "AGREEMENT_EDITABLE",
    "AGREEMENT_TRANSITIONS",
    "TRANSITIONS",
    "BalanceImportResult",
    "FourEyesError",
    "InvalidTransition",
    "ReturnsImportResult",
    "adjustment_create",
    "agreement_activate",
    "agreement_contribution_source",
    "agreement_contributions_follow_assessment",
    "agreement_create",
    "agreement_end",
    "agreement_net_weekly",
    "agreement_resume",
    "agreement_suspend",
    "agreement_update",
    "arrears_mark",
    "card_balances_import",
    "insert_regular_lines",
    "notice_days",
    "payment_run_approve",
    "payment_run_cancel",
    "payment_run_export",
    "payment_run_mark_paid",
    "payment_run_prepare",
    "payment_run_return",
    "payment_run_submit",
    "payment_run_transition",
    "personal_assistant_create",
    "personal_assistant_update",
    "quarterly_return_record",
    "recoverable_from",
    "returned_payment_record",
    "returns_import",
    "review_complete",
    "review_reminders_send",
    "reviews_schedule",
    "surplus_for",
    "surplus_notice_issue",
    "surplus_notice_withdraw",
    "surplus_recovery_schedule",
    "suspension_cancel",
    "suspension_shorten",
]
