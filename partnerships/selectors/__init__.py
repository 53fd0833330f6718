"""Reads for the partnerships register, scoped to what the user's organisation may see.

A user sees partnerships their organisation is a member of (and their agreements, reviews and action
plans); the contacts directory is open to every signed-in member of staff; accreditations are seen by
the officer's organisation and the accrediting one.
"""

from .directory import (
    CONTACT_EXPORT_HEADER,
    accreditation_list_for_user,
    active_staff_of,
    contact_export_rows,
    contact_list,
    contact_list_editable_by,
    organisations_partnered_with,
    partnership_managers_of,
)
from .plans import GapAnalysis, GapRow, action_plan_list_for_user, gap_analysis, review_list_for_user
from .register import (
    agreement_list_for_user,
    agreement_review_recipients,
    partnership_filter,
    partnership_list_for_user,
)
from .routing import (
    RoutingDecision,
    RoutingLimits,
    ServiceLevelTerms,
    agreements_in_force,
    routing_check,
    routing_limits,
    routing_rule_evaluate,
    service_level_for,
)

__all__ = [
    "CONTACT_EXPORT_HEADER",
    "GapAnalysis",
    "GapRow",
    "RoutingDecision",
    "RoutingLimits",
    "ServiceLevelTerms",
    "accreditation_list_for_user",
    "action_plan_list_for_user",
    "active_staff_of",
    "agreement_list_for_user",
    "agreement_review_recipients",
    "agreements_in_force",
    "contact_export_rows",
    "contact_list",
    "contact_list_editable_by",
    "gap_analysis",
    "organisations_partnered_with",
    "partnership_filter",
    "partnership_list_for_user",
    "partnership_managers_of",
    "review_list_for_user",
    "routing_check",
    "routing_limits",
    "routing_rule_evaluate",
    "service_level_for",
]
