"""The public estimator's form: a few questions a member of the public can answer, weekly amounts, sent by
POST and never stored; `charge_input` turns the answers into the charging engine's input."""

from decimal import Decimal

from crispy_forms_gds.layout import Field
from django import forms
from django.utils.text import capfirst

from core.forms import decimal_input, numeric_input

from .. import charging
from .layout import form_helper

# Income the estimator asks about: (plain words for the label, what it is called in an error, an example).
ESTIMATE_INCOME = {
    "state_pension": ("State Pension", "your State Pension", "230.25"),
    "private_pension": ("Private or work pension", "your private or work pension", "45.00"),
    "pension_credit_guarantee": ("Pension Credit", "your Pension Credit", "38.20"),
    "esa": ("Employment and Support Allowance", "your Employment and Support Allowance", "90.50"),
    "universal_credit": ("Universal Credit", "your Universal Credit", "95.00"),
    "other": ("Other income", "your other income", "20.00"),
}
CARE_BENEFIT_CHOICES = [
    ("", "None"),
    ("attendance_allowance_higher", "Attendance Allowance, higher rate"),
    ("attendance_allowance_lower", "Attendance Allowance, lower rate"),
    ("pip_daily_living_enhanced", "PIP daily living, enhanced rate"),
    ("pip_daily_living_standard", "PIP daily living, standard rate"),
    ("dla_care_highest", "DLA care, highest rate"),
    ("dla_care_middle", "DLA care, middle rate"),
    ("dla_care_lowest", "DLA care, lowest rate"),
]


class PoundsField(forms.DecimalField):
    """An amount typed by a member of the public: "£1,250.50" and " 1250.5 " are both accepted."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("£", "").replace(",", "").replace(" ", "")
        return super().to_python(value)


def pounds_field(label: str, *, what: str, example: str, **kwargs) -> PoundsField:
    """Money on the public estimator, with errors in GOV.UK's words ("Enter your savings as a number,
    like 1250.50"): `what` names the amount as the person would say it."""
    kwargs.setdefault("required", False)
    return PoundsField(
        label=label,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        widget=decimal_input(),
        error_messages={
            "required": f"Enter {what}",
            "invalid": f"Enter {what} as a number, like {example}",
            "min_value": f"{capfirst(what)} must be £0 or more",
            "max_decimal_places": f"Enter {what} to the nearest penny, like {example}",
            "max_digits": f"Enter a smaller amount for {what}",
            "max_whole_digits": f"Enter a smaller amount for {what}",
        },
        **kwargs,
    )


class EstimateForm(forms.Form):
    """The public estimator: a few questions, weekly amounts, sent by POST and never stored."""

    age = forms.IntegerField(
        label="Your age",
        widget=numeric_input(),
        min_value=18,
        max_value=130,
        error_messages={
            "required": "Enter your age",
            "invalid": "Enter your age as a whole number, like 78",
            "min_value": "Your age must be 18 or over",
            "max_value": "Enter your age as a whole number, like 78",
        },
    )
    couple = forms.BooleanField(label="I live with a partner", required=False)
    weekly_care_cost = pounds_field(
        "Weekly cost of your care (£)",
        what="the weekly cost of your care",
        example="245.00",
        help_text="If you do not know, leave it blank.",
    )
    night_care_provided = forms.BooleanField(label="I get care at night", required=False)
    care_benefit = forms.ChoiceField(label="Disability benefit for care", choices=CARE_BENEFIT_CHOICES, required=False)
    care_benefit_amount = pounds_field(
        "Amount a week of that benefit (£)", what="how much of that benefit you get a week", example="110.40"
    )
    savings = pounds_field("Savings and investments (£)", what="your savings", example="1250.50")
    housing = pounds_field(
        "Rent and council tax you pay a week, after any help (£)", what="your rent and council tax", example="95.00"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, (label, what, example) in ESTIMATE_INCOME.items():
            self.fields[f"income_{key}"] = pounds_field(f"{label} a week (£)", what=what, example=example)
        self.helper = form_helper(
            Field.text("age", field_width=3),
            Field("couple"),
            *[Field.text(f"income_{key}", field_width=10) for key in ESTIMATE_INCOME],
            Field("care_benefit"),
            Field.text("care_benefit_amount", field_width=10),
            Field("night_care_provided"),
            Field.text("savings", field_width=10),
            Field.text("housing", field_width=10),
            Field.text("weekly_care_cost", field_width=10),
            button="Estimate my charge",
        )
        # POST, so nothing typed goes into the page address, browser history or server logs.
        self.helper.form_method = "post"

    def clean(self):
        data = super().clean()
        if data.get("care_benefit") and data.get("care_benefit_amount") is None:
            self.add_error("care_benefit_amount", "Enter how much of that benefit you get a week")
        if data.get("care_benefit_amount") and not data.get("care_benefit"):
            self.add_error("care_benefit", "Select the disability benefit you get, or leave the amount blank")
        return data

    def charge_input(self) -> charging.ChargeInput:
        data = self.cleaned_data
        income = [
            charging.IncomeLine(type=key, amount=data[f"income_{key}"])
            for key in ESTIMATE_INCOME
            if data.get(f"income_{key}")
        ]
        if data.get("care_benefit"):
            income.append(charging.IncomeLine(type=data["care_benefit"], amount=data["care_benefit_amount"]))
        housing = (charging.ExpenseLine(type="other", weekly=data["housing"], label="Rent and council tax"),)
        return charging.ChargeInput(
            age=data["age"],
            couple=data["couple"],
            # With no care cost given, show what could be charged: no cap below £10,000 a week.
            weekly_care_cost=data["weekly_care_cost"] if data.get("weekly_care_cost") is not None else Decimal("10000"),
            night_care_provided=data["night_care_provided"],
            income=tuple(income),
            capital=(charging.CapitalLine(type="savings", amount=data["savings"]),) if data.get("savings") else (),
            housing=housing if data.get("housing") else (),
            dre=None,
        )
