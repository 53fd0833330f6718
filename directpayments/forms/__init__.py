"""Forms for direct payments, one module per subdomain; callers outside the app import from here."""

from .agreements import (
    AdjustmentForm,
    AgreementEndForm,
    AgreementForm,
    AgreementResumeForm,
    AgreementSuspendForm,
    SuspensionCancelForm,
    SuspensionShortenForm,
    contribution_source_html,
)
from .assistants import PersonalAssistantForm
from .monitoring import BalanceImportForm, QuarterlyReturnForm, ReviewCompleteForm
from .notices import SurplusNoticeForm, SurplusNoticeWithdrawForm
from .reconciliation import ReturnedPaymentForm, ReturnsImportForm

__all__ = [
    "AdjustmentForm",
    "AgreementEndForm",
    "AgreementForm",
    "AgreementResumeForm",
    "AgreementSuspendForm",
    "BalanceImportForm",
    "PersonalAssistantForm",
    "QuarterlyReturnForm",
    "ReturnedPaymentForm",
    "ReturnsImportForm",
    "ReviewCompleteForm",
    "SurplusNoticeForm",
    "SurplusNoticeWithdrawForm",
    "SuspensionCancelForm",
    "SuspensionShortenForm",
    "contribution_source_html",
]
