"""Forms for monitoring: prepaid-card balances, reviews done and quarterly returns for bank accounts."""

from datetime import datetime

from crispy_forms_gds.layout import Field
from django import forms

from core.forms import GovDateField, money_field

from .layout import form_helper


class BalanceImportForm(forms.Form):
    file = forms.FileField(
        label="Card balances file (CSV)",
        help_text="Columns card_reference,balance,date, with that header on the first line",
        error_messages={"required": "Choose a CSV file"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field("file"), button="Import balances")


class ReviewCompleteForm(forms.Form):
    completed_on = GovDateField(what="Date of the review", past_only=True)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field("completed_on"), Field.textarea("notes"), button="Record review")


def _quarter_label(start) -> str:
    end = start.replace(month=start.month + 2)
    return f"{start:%B} to {end:%B %Y}"


class QuarterlyReturnForm(forms.Form):
    quarter = forms.TypedChoiceField(label="Quarter", coerce=lambda value: datetime.strptime(value, "%Y-%m-%d").date())
    balance = money_field(
        "Balance at the end of the quarter",
        min_value=None,  # an overdrawn account is reported as it is
        error_messages={
            "required": "Enter the balance at the end of the quarter",
            "invalid": "Enter an amount like 1250.00",
        },
    )
    amount_spent = money_field(
        "Spent in the quarter",
        error_messages={"required": "Enter the amount spent in the quarter", "invalid": "Enter an amount like 980.50"},
    )
    evidence_received = forms.BooleanField(
        label="Evidence received (bank statements, receipts, timesheets)", required=False
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, quarters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [(start.isoformat(), _quarter_label(start)) for start in quarters]
        self.helper = form_helper(
            Field.select("quarter"),
            Field.text("balance", field_width=10),
            Field.text("amount_spent", field_width=10),
            Field.checkbox("evidence_received"),
            Field.textarea("notes"),
            button="Record the return",
        )
