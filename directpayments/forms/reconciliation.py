"""Forms for reconciling a paid run: a payment the bank returned, by hand or from the bank's file."""

from crispy_forms_gds.layout import Field
from django import forms

from .layout import form_helper


class ReturnedPaymentForm(forms.Form):
    reason = forms.CharField(
        label="Reason the bank gave",
        max_length=200,
        help_text="For example, account closed",
        error_messages={"required": "Enter the reason the bank gave for returning the payment"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.text("reason"), button="Record as returned", warning=True)


class ReturnsImportForm(forms.Form):
    file = forms.FileField(
        label="Bank returns file (CSV)",
        help_text="A header line, then one row per returned payment: reference (or agreement, or "
        "vendor_number), amount, reason",
        error_messages={"required": "Choose a CSV file"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field("file"), button="Import returns")
