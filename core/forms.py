"""Form pieces shared by every app: GOV.UK date input that says clearly what is wrong, the layout of a list
page's filters, and number inputs as the Design System asks (a text input with `inputmode`, not
`type="number"`, which rounds, scrolls and is missed by some assistive technology; it also gets the
`govuk-input` style)."""

from datetime import date
from decimal import Decimal

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Div, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

MONEY_ERRORS = {
    "required": "Enter an amount",
    "invalid": "Enter an amount in pounds and pence, such as 12.50",
    "max_digits": "Enter a smaller amount",
    "max_decimal_places": "Enter the amount to the nearest penny",
    "min_value": "The amount cannot be negative",
}


def decimal_input() -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"})


def numeric_input() -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"})


def money_field(label: str, **kwargs) -> forms.DecimalField:
    """Pounds and pence, never negative unless `min_value` says otherwise (None: any sign); messages
    given here are added to the general money messages."""
    kwargs.setdefault("min_value", Decimal("0"))
    kwargs["error_messages"] = {**MONEY_ERRORS, **kwargs.get("error_messages", {})}
    return forms.DecimalField(label=label, max_digits=12, decimal_places=2, widget=decimal_input(), **kwargs)


def gov_formfield(db_field, **kwargs):
    """`Meta.formfield_callback` for model forms: numbers typed into a GOV.UK text input."""
    field = db_field.formfield(**kwargs)
    if field is not None and isinstance(field.widget, forms.NumberInput):
        field.widget = decimal_input() if isinstance(field, forms.DecimalField) else numeric_input()
    return field


class GovDateField(DateInputField):
    """GOV.UK date input (day, month, year boxes) returning a `date`.

    `what` names the date in messages ("Date of birth must be a real date");
    `past_only` refuses dates after today, `not_before` refuses dates before a year.
    """

    def __init__(self, *, what: str, past_only: bool = False, not_before_year: int = 1900, **kwargs):
        self.what = what
        self.past_only = past_only
        self.not_before_year = not_before_year
        super().__init__(**kwargs)
        self.error_messages["required"] = f"Enter the {what.lower()}"
        self.error_messages["incomplete"] = f"{what} must include a day, month and year"

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            value = date(day=int(day), month=int(month), year=int(year))
        except ValueError as exc:
            raise ValidationError(f"{self.what} must be a real date", code="invalid_date") from exc
        if value.year < self.not_before_year:
            raise ValidationError(f"{self.what} must be after {self.not_before_year}", code="too_early")
        if self.past_only and value > timezone.localdate():
            raise ValidationError(f"{self.what} must be today or in the past", code="in_future")
        return value


def apply_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field if the form has it, else at the top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def filter_form_helper(*fields) -> FormHelper:
    """The fields of a list page's filters, sent by GET: small labels, no CSRF token (nothing is written) and
    no form tag, so the page wraps them with its own buttons and "Clear filters" link."""
    helper = FormHelper()
    helper.form_tag = False
    helper.form_method = "get"
    helper.disable_csrf = True
    helper.label_size = Size.SMALL
    helper.layout = Layout(*fields)
    return helper


def grid_row(*fields, column: str = "one-third") -> Div:
    """Fields side by side, one GOV.UK grid column each (`column`: one-quarter, one-third, one-half)."""
    return Div(*(Div(field, css_class=f"govuk-grid-column-{column}") for field in fields), css_class="govuk-grid-row")
