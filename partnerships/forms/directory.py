"""Forms: the contacts directory and the accreditation register."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms
from django.contrib.auth import get_user_model

from core.forms import GovDateField, filter_form_helper, grid_row
from partnerships.models import Accreditation, Contact, Organisation

CONTACT_FIELDS = ["organisation", "name", "function", "job_title", "phone", "email", "is_single_point_of_contact"]
ACCREDITATION_FIELDS = ["officer", "accrediting_organisation", "kind", "agreement", "trained_on", "expires_on", "notes"]


class OfficerChoiceField(forms.ModelChoiceField):
    """Officers shown as 'Ann Smith (Northshire County Council)'."""

    def label_from_instance(self, user):
        name = user.get_full_name() or user.username
        membership = getattr(user, "membership", None)
        return f"{name} ({membership.organisation.display_name})" if membership else name


class ContactFilterForm(forms.Form):
    q = forms.CharField(
        label="Search the directory",
        required=False,
        max_length=100,
        help_text="Name, organisation, job, phone number or email address",
        widget=forms.SearchInput,
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), required=False, empty_label="All organisations"
    )
    function = forms.ChoiceField(label="Role", required=False)
    stale = forms.BooleanField(label="Only show contacts not confirmed for 6 months", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(is_active=True).order_by("name")
        self.fields["function"].choices = [("", "All roles"), *Contact.Function.choices]
        self.helper = filter_form_helper(
            # crispy-forms-gds gives only a TextInput its govuk-input class, so a search input names it
            Field("q", css_class="govuk-input govuk-!-width-one-half"),
            grid_row(Field.select("organisation"), Field.select("function")),
            Field.checkbox("stale", small=True),
        )


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = CONTACT_FIELDS
        labels = {"function": "Role", "name": "Full name"}
        help_texts = {
            "is_single_point_of_contact": "Tick if partners should go to this person first",
        }
        error_messages = {
            "organisation": {"required": "Select the organisation the contact works for"},
            "name": {"required": "Enter the contact's full name"},
            "function": {"required": "Select the contact's role"},
            "email": {"invalid": "Enter an email address in the correct format, like name@example.org"},
        }

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations.order_by("name")
        self.fields["organisation"].empty_label = "Select an organisation"
        self.fields["function"].choices = [("", "Select a role"), *Contact.Function.choices]
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.select("organisation"),
            Field.text("name", field_width=20),
            Field.select("function"),
            Field.text("job_title", field_width=20),
            Field.text("phone", field_width=20),
            Field.text("email", field_width=30),
            Field.checkbox("is_single_point_of_contact"),
            Submit("submit", "Save contact"),
        )


class AccreditationFilterForm(forms.Form):
    expired = forms.BooleanField(label="Only show expired accreditations", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = filter_form_helper(Field.checkbox("expired", small=True))


class AccreditationForm(forms.ModelForm):
    officer = OfficerChoiceField(
        queryset=get_user_model().objects.none(),
        empty_label="Select an officer",
        error_messages={"required": "Select the officer who is accredited"},
    )
    trained_on = GovDateField(what="Date trained", past_only=True, help_text="For example, 10 1 2026")
    expires_on = GovDateField(what="Expiry date", help_text="For example, 9 1 2027")

    class Meta:
        model = Accreditation
        fields = ACCREDITATION_FIELDS
        labels = {
            "accrediting_organisation": "Accredited to do work for",
            "kind": "What the officer is accredited to do",
            "agreement": "Agreement it is given under (optional)",
        }
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "accrediting_organisation": {"required": "Select the organisation whose work the officer may do"},
            "kind": {"required": "Select what the officer is accredited to do"},
        }

    def __init__(self, *args, officers, organisations, agreements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers
        self.fields["accrediting_organisation"].queryset = organisations.order_by("name")
        self.fields["accrediting_organisation"].empty_label = "Select an organisation"
        self.fields["kind"].choices = [("", "Select what they may do"), *Accreditation.Kind.choices]
        self.fields["agreement"].queryset = agreements.order_by("partnership__name", "title")
        self.fields["agreement"].empty_label = "None"
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(
            Fieldset(
                Field.select("officer"),
                Field.select("accrediting_organisation"),
                Field.select("kind"),
                Field.select("agreement"),
                legend="Who and what",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field("trained_on"),
                Field("expires_on"),
                Field.textarea("notes", rows=3),
                legend="Training and expiry",
                legend_size=Size.MEDIUM,
            ),
            Submit("submit", "Save accreditation"),
        )

    def clean(self):
        cleaned = super().clean()
        trained, expires = cleaned.get("trained_on"), cleaned.get("expires_on")
        if trained and expires and expires <= trained:
            self.add_error("expires_on", "Expiry date must be after the date trained")
        return cleaned
