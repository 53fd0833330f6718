"""Forms for the partnerships register, one module per area: register (partnerships, outcomes, agreements,
service levels, routing rules), directory (contacts, accreditations), plans (gap analysis, action plans,
reviews). They parse and validate input; the services apply the business rules."""

from .directory import (
    ACCREDITATION_FIELDS,
    CONTACT_FIELDS,
    AccreditationFilterForm,
    AccreditationForm,
    ContactFilterForm,
    ContactForm,
    OfficerChoiceField,
)
from .plans import (
    ACTION_PLAN_FIELDS,
    REVIEW_FIELDS,
    ActionPlanFilterForm,
    ActionPlanItemForm,
    GapFilterForm,
    PartnershipReviewForm,
)
from .register import (
    AGREEMENT_FIELDS,
    AgreementForm,
    OutcomeForm,
    PartnershipFilterForm,
    PartnershipForm,
    RoutingRuleForm,
    ServiceLevelForm,
)

__all__ = [
    "ACCREDITATION_FIELDS",
    "ACTION_PLAN_FIELDS",
    "AGREEMENT_FIELDS",
    "CONTACT_FIELDS",
    "REVIEW_FIELDS",
    "AccreditationFilterForm",
    "AccreditationForm",
    "ActionPlanFilterForm",
    "ActionPlanItemForm",
    "AgreementForm",
    "ContactFilterForm",
    "ContactForm",
    "GapFilterForm",
    "OfficerChoiceField",
    "OutcomeForm",
    "PartnershipFilterForm",
    "PartnershipForm",
    "PartnershipReviewForm",
    "RoutingRuleForm",
    "ServiceLevelForm",
]
