"""Referrals app: clients and consent, referrals and their outcomes, escalations, visits."""

from .clients import Client, Consent
from .referrals import PURPOSE_FOR_REFERRAL_TYPE, BenefitOutcome, Referral, ReferralEscalation, ReferralEvent
from .visits import Visit

__all__ = [
    "PURPOSE_FOR_REFERRAL_TYPE",
    "BenefitOutcome",
    "Client",
    "Consent",
    "Referral",
    "ReferralEscalation",
    "ReferralEvent",
    "Visit",
]
