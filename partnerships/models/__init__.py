"""Partnerships: organisations, teams, staff and roles; and the partnerships register."""

from .organisations import CASEWORK_ROLES, MANAGER_ROLES, Organisation, Role, StaffMembership, Team
from .register import (
    Accreditation,
    ActionPlanItem,
    Agreement,
    AgreementReminder,
    Contact,
    ContactVerificationRequest,
    CustomerGroup,
    PartnerCategory,
    Partnership,
    PartnershipMember,
    PartnershipOutcome,
    PartnershipReview,
    ReferralType,
    RoutingRule,
    ServiceLevel,
)

__all__ = [
    "CASEWORK_ROLES",
    "MANAGER_ROLES",
    "Accreditation",
    "ActionPlanItem",
    "Agreement",
    "AgreementReminder",
    "Contact",
    "ContactVerificationRequest",
    "CustomerGroup",
    "Organisation",
    "PartnerCategory",
    "Partnership",
    "PartnershipMember",
    "PartnershipOutcome",
    "PartnershipReview",
    "ReferralType",
    "Role",
    "RoutingRule",
    "ServiceLevel",
    "StaffMembership",
    "Team",
]
