"""Writes for assessments and rates: validated, atomic, in history with who made them. The charge itself
is worked out by `assessments/charging.py`; these functions gather its input and store its result."""

from .assessments import (
    ASSESSMENT_FIELDS,
    LINE_MODELS,
    TRANSITIONS,
    InvalidTransition,
    assessment_complete,
    assessment_create,
    assessment_line_remove,
    assessment_reassess,
    assessment_update,
    capital_line_add,
    charge_letter_issue,
    charge_letter_store,
    expense_line_add,
    income_line_add,
)
from .awards import assessment_reassess_for_award
from .benefit_referrals import benefit_flag_refer
from .calculation import (
    assessment_calculate,
    assessment_change_in_charge,
    assessment_charge_input,
    assessment_current_result,
    charge_estimate,
    charge_estimate_from_document,
)
from .rates import rates_correct, rates_is_used, rates_reminders_send, rates_update, rates_year_confirm
from .uprating import rates_year_start, uprate_figure, uprating_apply, uprating_prepare, uprating_preview

__all__ = [
    "ASSESSMENT_FIELDS",
    "LINE_MODELS",
    "TRANSITIONS",
    "InvalidTransition",
    "assessment_calculate",
    "assessment_change_in_charge",
    "assessment_charge_input",
    "assessment_complete",
    "assessment_create",
    "assessment_current_result",
    "assessment_line_remove",
    "assessment_reassess",
    "assessment_reassess_for_award",
    "assessment_update",
    "benefit_flag_refer",
    "capital_line_add",
    "charge_estimate",
    "charge_estimate_from_document",
    "charge_letter_issue",
    "charge_letter_store",
    "expense_line_add",
    "income_line_add",
    "rates_correct",
    "rates_is_used",
    "rates_reminders_send",
    "rates_update",
    "rates_year_confirm",
    "rates_year_start",
    "uprate_figure",
    "uprating_apply",
    "uprating_prepare",
    "uprating_preview",
]
