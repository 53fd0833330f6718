"""Forms for surplus notices: issuing one and withdrawing it."""

from decimal import Decimal

from crispy_forms_gds.layout import Field
from django import forms

from core.forms import money_field

from .layout import form_helper


class SurplusNoticeForm(forms.Form):
    amount = money_field(
        "Surplus to recover",
        min_value=Decimal("0.01"),
        help_text="The whole surplus unless you have agreed to recover less",
        error_messages={"required": "Enter the amount to recover", "invalid": "Enter an amount like 259.30"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.text("amount", field_width=10), button="Issue the notice")


class SurplusNoticeWithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why is the notice withdrawn?",
        max_length=200,
        error_messages={"required": "Enter why the notice is withdrawn"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.text("reason"), button="Withdraw the notice", warning=True)
        self.helper.form_tag = False  # the page wraps it in a form posting to the withdraw URL
