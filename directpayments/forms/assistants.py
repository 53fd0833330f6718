"""The form for the register of personal assistants."""

from crispy_forms_gds.layout import Field
from django import forms

from core.forms import GovDateField, gov_formfield

from ..models import PersonalAssistant
from .layout import form_helper


class PersonalAssistantForm(forms.ModelForm):
    dbs_checked_on = GovDateField(
        what="Date of the DBS check", past_only=True, required=False, help_text="Leave blank if not checked yet"
    )

    class Meta:
        model = PersonalAssistant
        formfield_callback = gov_formfield
        fields = ["name", "employment", "dbs_checked_on", "hourly_rate", "is_active"]
        widgets = {"employment": forms.RadioSelect}
        labels = {"hourly_rate": "Hourly rate"}
        error_messages = {
            "name": {"required": "Enter the personal assistant's name"},
            "employment": {"required": "Choose employed or self-employed"},
            "hourly_rate": {"required": "Enter the hourly rate", "invalid": "Enter an hourly rate like 12.50"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["is_active"].help_text = "Untick when they no longer work under direct payments"
        self.helper = form_helper(
            Field.text("name"),
            Field.radios("employment"),
            Field("dbs_checked_on"),
            Field.text("hourly_rate", field_width=5),
            Field.checkbox("is_active"),
            button="Save personal assistant",
        )
