"""Form pieces shared by every app: GOV.UK date input that says clearly what is wrong."""

from datetime import date

from crispy_forms_gds.fields import DateInputField
from django.core.exceptions import ValidationError
from django.utils import timezone


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
