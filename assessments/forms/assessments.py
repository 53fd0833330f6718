"""Forms for a financial assessment: its details and its income, capital and expense lines."""

from decimal import Decimal

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils.text import capfirst

from core.forms import GovDateField, decimal_input, money_field, numeric_input

from . import charging
from .models import Assessment, ExpenseLine


def _helper(*fields, button: str) -> FormHelper:
    helper = FormHelper()
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    helper.layout = Layout(*fields, Submit("submit", button))
    return helper


class AssessmentForm(forms.Form):
    effective_date = GovDateField(what="Date the charge starts", help_text="For example, 7 4 2025")
    weekly_care_cost = money_field("Weekly cost of the care (£)", help_text="The charge is never more than this.")
    is_couple = forms.BooleanField(label="Lives with a partner", required=False)
    partner_name = forms.CharField(label="Partner's name (optional)", required=False, max_length=200)
    night_care_provided = forms.BooleanField(label="Night care is provided", required=False)
    use_flat_rate_dre = forms.BooleanField(
        label="Use the council's flat rate for disability-related expenditure",
        required=False,
        help_text="Untick to list the expenses one by one.",
    )
    has_unpaid_carer = forms.BooleanField(label="An unpaid carer looks after them", required=False)
    receives_council_tax_support = forms.BooleanField(label="Gets Council Tax Support", required=False)

    def __init__(self, *args, button: str = "Save and continue", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field("effective_date"),
            Field.text("weekly_care_cost", field_width=10),
            Field("is_couple"),
            Field.text("partner_name"),
            Field("night_care_provided"),
            Field("use_flat_rate_dre"),
            Field("has_unpaid_carer"),
            Field("receives_council_tax_support"),
            button=button,
        )


class IncomeLineForm(forms.Form):
    prefix = "income"
    type = forms.ChoiceField(label="Type of income", choices=[("", "Choose"), *charging.INCOME_TYPES.items()])
    amount = money_field("Amount (£)")
    period = forms.ChoiceField(label="How often", choices=list(charging.PERIODS.items()), initial="week")
    description = forms.CharField(label="Notes (optional)", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].error_messages["required"] = "Select the type of income"
        self.helper = _helper(
            Field("type"),
            Field.text("amount", field_width=10),
            Field("period"),
            Field.text("description"),
            button="Add income",
        )
        self.helper.form_action = f"?kind={self.prefix}#add-{self.prefix}"


class CapitalLineForm(forms.Form):
    prefix = "capital"
    type = forms.ChoiceField(label="Type of capital", choices=[("", "Choose"), *charging.CAPITAL_TYPES.items()])
    amount = money_field("Value (£)")
    jointly_owned = forms.BooleanField(label="Owned jointly with the partner (half counts)", required=False)
    description = forms.CharField(label="Notes (optional)", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].error_messages["required"] = "Select the type of capital"
        self.helper = _helper(
            Field("type"),
            Field.text("amount", field_width=10),
            Field("jointly_owned"),
            Field.text("description"),
            button="Add capital",
        )
        self.helper.form_action = f"?kind={self.prefix}#add-{self.prefix}"


class HousingLineForm(forms.Form):
    prefix = "housing"
    type = forms.ChoiceField(label="Housing cost", choices=[("", "Choose"), *charging.HOUSING_TYPES.items()])
    weekly = money_field("Amount a week (£)", help_text="Net of Housing Benefit or Council Tax Support.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].error_messages["required"] = "Select the housing cost"
        self.helper = _helper(Field("type"), Field.text("weekly", field_width=10), button="Add housing cost")
        self.helper.form_action = f"?kind={self.prefix}#add-{self.prefix}"

    kind = ExpenseLine.Kind.HOUSING


class DreLineForm(forms.Form):
    prefix = "dre"
    description = forms.CharField(label="Expense", max_length=200, error_messages={"required": "Describe the expense"})
    weekly = money_field("Amount a week (£)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.text("description"), Field.text("weekly", field_width=10), button="Add expense")
        self.helper.form_action = f"?kind={self.prefix}#add-{self.prefix}"

    kind = ExpenseLine.Kind.DRE


class ReassessForm(forms.Form):
    effective_date = GovDateField(what="Date the new charge starts", help_text="For example, 6 4 2025")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("effective_date"), button="Start re-assessment")


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
        self.helper = _helper(
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


class AssessmentFilterForm(forms.Form):
    """Filters for the list of assessments. The home page's count of draft assessments links here."""

    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *Assessment.Status.choices])
    assessor = forms.ChoiceField(required=False, label="Assessor", choices=[("", "Anyone"), ("me", "Me")])
