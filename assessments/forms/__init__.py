"""Forms for assessments, the public estimator and the rates; callers outside the app import from here."""

from .assessments import (
    AssessmentFilterForm,
    AssessmentForm,
    CapitalLineForm,
    DreLineForm,
    HousingLineForm,
    IncomeLineForm,
    ReassessForm,
)
from .estimator import EstimateForm
from .rates import RatesConfirmForm, RatesFiguresForm, RatesYearStartForm

__all__ = [
    "AssessmentFilterForm",
    "AssessmentForm",
    "CapitalLineForm",
    "DreLineForm",
    "EstimateForm",
    "HousingLineForm",
    "IncomeLineForm",
    "RatesConfirmForm",
    "RatesFiguresForm",
    "RatesYearStartForm",
    "ReassessForm",
]
