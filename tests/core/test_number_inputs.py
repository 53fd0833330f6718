"""Numbers are typed into GOV.UK text inputs with `inputmode` (the Design System's advice), styled as
`govuk-input`, never `<input type="number">`; every field has a label a person can read."""

import re

import pytest
from django.template import Context, Template

from assessments.forms import EstimateForm, RatesYearStartForm
from directpayments.forms import AdjustmentForm, AgreementForm, QuarterlyReturnForm, SurplusNoticeForm
from directpayments.models import PersonalAssistant
from partnerships.forms import PartnershipReviewForm, ServiceLevelForm
from referrals.forms import ReferralOutcomeForm
from referrals.models import Client

pytestmark = pytest.mark.django_db


def _render(form) -> str:
    return Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": form}))


FORMS = {
    "referral outcome": lambda: ReferralOutcomeForm(),
    "estimator": lambda: EstimateForm(),
    "start a rates year": lambda: RatesYearStartForm(years=[2026, 2027]),
    "service level": lambda: ServiceLevelForm(),
    "partnership review": lambda: PartnershipReviewForm(),
    "direct payment agreement": lambda: AgreementForm(
        clients=Client.objects.none(), assistants=PersonalAssistant.objects.none()
    ),
    "one-off payment": lambda: AdjustmentForm(),
    "surplus notice": lambda: SurplusNoticeForm(),
    "quarterly return": lambda: QuarterlyReturnForm(quarters=[]),
}


@pytest.mark.parametrize("name", FORMS)
def test_numbers_are_govuk_text_inputs(name):
    html = _render(FORMS[name]())
    assert 'type="number"' not in html
    numbers = re.findall(r"<input[^>]*inputmode=\"(?:decimal|numeric)\"[^>]*>", html)
    assert numbers, "the form has number inputs"
    assert all("govuk-input" in tag for tag in numbers)


def test_award_date_has_a_readable_label():
    html = _render(ReferralOutcomeForm())
    assert "Date the award starts" in html and "Effective date 1" not in html


APPS = ["assessments", "boards", "directpayments", "partnerships", "referrals"]


def _form_modules() -> list[str]:
    """Every app's form modules, found by name (forms.py, forms_x.py, x_forms.py, or a forms/ package and its
    modules), so a module that moves or splits is still checked."""
    from pathlib import Path

    from django.conf import settings

    found = []
    for app in APPS:
        for path in sorted((Path(settings.BASE_DIR) / app).rglob("*.py")):
            parts = path.relative_to(settings.BASE_DIR).with_suffix("").parts
            if "migrations" in parts or not any(
                part == "forms" or "forms_" in part or "_forms" in part for part in parts
            ):
                continue
            found.append(".".join(part for part in parts if part != "__init__"))
    return found


def test_the_form_modules_are_found():
    modules = _form_modules()
    assert {"boards.forms.meetings", "partnerships.forms.register"} <= set(modules)
    assert all(module.split(".")[0] in APPS for module in modules)


def test_no_form_in_the_project_declares_a_number_input():
    import importlib
    import inspect

    from django import forms

    offenders = []
    for module_name in _form_modules():
        module = importlib.import_module(module_name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module_name:
                offenders += [
                    f"{name}.{field}"
                    for field, declared in cls.base_fields.items()
                    if isinstance(declared.widget, forms.NumberInput)
                ]
    assert offenders == []
