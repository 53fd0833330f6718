"""Writes for the partnerships register, the contacts directory and the local plans: validated, atomic, kept
in history with who made them; and the reminders the Celery beat sends (each exactly once)."""

from .directory import (
    accreditation_create,
    accreditation_update,
    contact_create,
    contact_update,
    contact_verify,
)
from .plans import action_plan_item_create, action_plan_item_update, partnership_review_create
from .register import (
    PARTNERSHIP_FIELDS,
    agreement_create,
    agreement_document_validate,
    agreement_update,
    partnership_create,
    partnership_outcome_add,
    partnership_update,
    routing_rule_set,
    service_level_remove,
    service_level_set,
)
from .reminders import agreement_review_reminders_send, contact_verification_requests_send

__all__ = [
    "PARTNERSHIP_FIELDS",
    "accreditation_create",
    "accreditation_update",
    "action_plan_item_create",
    "action_plan_item_update",
    "agreement_create",
    "agreement_document_validate",
    "agreement_review_reminders_send",
    "agreement_update",
    "contact_create",
    "contact_update",
    "contact_verification_requests_send",
    "contact_verify",
    "partnership_create",
    "partnership_outcome_add",
    "partnership_review_create",
    "partnership_update",
    "routing_rule_set",
    "service_level_remove",
    "service_level_set",
]
