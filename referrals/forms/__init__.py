"""Forms for the referrals app: clients and consent, referrals, visits."""

from .clients import CLIENT_FIELDS, ClientForm, ClientSearchForm, ConsentForm, ConsentWithdrawForm
from .referrals import (
    ReferralAssignForm,
    ReferralFilterForm,
    ReferralForm,
    ReferralOutcomeForm,
    ReferralRejectForm,
    ReferralWithdrawForm,
)
from .visits import MyVisitsFilterForm, VisitForm, VisitRecordForm

__all__ = [
    "CLIENT_FIELDS",
    "ClientForm",
    "ClientSearchForm",
    "ConsentForm",
    "ConsentWithdrawForm",
    "MyVisitsFilterForm",
    "ReferralAssignForm",
    "ReferralFilterForm",
    "ReferralForm",
    "ReferralOutcomeForm",
    "ReferralRejectForm",
    "ReferralWithdrawForm",
    "VisitForm",
    "VisitRecordForm",
]
