"""Writes for clients, consent, referrals, visits and escalation."""

from .clients import (
    ConsentAlreadyWithdrawn,
    client_create,
    client_update,
    consent_record,
    consent_withdraw,
)

__all__ = [
    "ConsentAlreadyWithdrawn",
    "client_create",
    "client_update",
    "consent_record",
    "consent_withdraw",
]
