from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Fluid, Layout, Size, Submit
from django import forms
from django.utils import timezone

from core.forms import GovDateField
from partnerships.models import Organisation

from ..models import Client, Consent
from ..validators import normalise_nhs_number, normalise_nino, normalise_postcode

CLIENT_FIELDS = [
    "title",
    "first_name",
    "middle_names",
    "last_name",
    "preferred_name",
    "date_of_birth",
    "nino",
    "nhs_number",
    "address_line_1",
    "address_line_2",
    "town",
    "county",
    "postcode",
    "phone",
    "email",
    "living_situation",
    "representative_kind",
    "representative_name",
    "representative_phone",
    "representative_address",
    "has_safeguarding_concern",
    "safeguarding_note",
    "date_of_death",
]


class ClientForm(forms.ModelForm):
    date_of_birth = GovDateField(what="Date of birth", past_only=True, help_text="For example, 27 3 1942")
    date_of_death = GovDateField(what="Date of death", past_only=True, required=False)
    # Typed with spaces or dashes as people read them off letters; normalised, then validated by the model.
    nino = forms.CharField(
        label="National Insurance number",
        required=False,
        max_length=20,
        help_text="It's on their National Insurance card, benefit letter, payslip or P60. For example, QQ 12 34 56 C",
    )
    nhs_number = forms.CharField(
        label="NHS number",
        required=False,
        max_length=20,
        help_text="10 digits, on any letter from the NHS or their GP. Leave blank if not known",
    )
    postcode = forms.CharField(max_length=10, error_messages={"required": "Enter the postcode"})
    confirm_not_duplicate = forms.BooleanField(
        required=False,
        widget=forms.HiddenInput,
        help_text="Set when the officer has seen the possible duplicates and still wants a new record.",
    )

    class Meta:
        model = Client
        fields = CLIENT_FIELDS
        widgets = {
            "representative_address": forms.Textarea(attrs={"rows": 3}),
            "safeguarding_note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "preferred_name": "The name they like to be called, if different",
            "has_safeguarding_concern": "Tick if there is a known safeguarding concern. Say what in the note",
        }
        error_messages = {
            "first_name": {"required": "Enter the client's first name"},
            "last_name": {"required": "Enter the client's last name"},
            "address_line_1": {"required": "Enter the first line of the address"},
            "town": {"required": "Enter the town or city"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["representative_kind"].choices = Client.RepresentativeKind.choices
        self.fields["living_situation"].choices = [("", "Not known"), *Client.LivingSituation.choices]
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Fieldset(
                Field.text("title", field_width=5),
                Field.text("first_name", field_width=20),
                Field.text("middle_names", field_width=20),
                Field.text("last_name", field_width=20),
                Field.text("preferred_name", field_width=20),
                Field("date_of_birth"),
                legend="Name and date of birth",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.text("nino", field_width=10),
                Field.text("nhs_number", field_width=10),
                legend="Reference numbers",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.text("address_line_1"),
                Field.text("address_line_2"),
                Field.text("town", field_width=20),
                Field.text("county", field_width=20),
                Field.text("postcode", field_width=10),
                Field.text("phone", field_width=20),
                Field.text("email", field_width=30),
                Field.select("living_situation"),
                legend="Address and contact",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.select("representative_kind"),
                Field.text("representative_name"),
                Field.text("representative_phone", field_width=20),
                Field.textarea("representative_address", rows=3),
                legend="Representative",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.checkbox("has_safeguarding_concern"),
                Field.textarea("safeguarding_note", rows=3),
                Field("date_of_death"),
                legend="Safeguarding and other details",
                legend_size=Size.MEDIUM,
            ),
            Field("confirm_not_duplicate"),
            Submit("submit", "Save client"),
        )

    def clean_nino(self):
        return normalise_nino(self.cleaned_data.get("nino", ""))

    def clean_nhs_number(self):
        return normalise_nhs_number(self.cleaned_data.get("nhs_number", ""))

    def clean_postcode(self):
        return normalise_postcode(self.cleaned_data.get("postcode", ""))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("representative_kind") and not cleaned.get("representative_name"):
            self.add_error("representative_name", "Enter the representative's name")
        if cleaned.get("has_safeguarding_concern") and not cleaned.get("safeguarding_note", "").strip():
            self.add_error("safeguarding_note", "Say what the safeguarding concern is")
        born, died = cleaned.get("date_of_birth"), cleaned.get("date_of_death")
        if born and died and died < born:
            self.add_error("date_of_death", "Date of death must be after the date of birth")
        return cleaned


class ClientSearchForm(forms.Form):
    q = forms.CharField(
        label="Search clients",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"input_type": "search"}),
        help_text="Name, National Insurance number, postcode or date of birth (for example, 27/3/1942)",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.attrs = {"role": "search", "class": "govuk-!-margin-bottom-6"}
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.text("q", field_width=Fluid.ONE_HALF),
            HTML(
                '<button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">'
                "Search</button>"
            ),
        )


class ConsentForm(forms.ModelForm):
    organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Which organisations may receive the client's information?",
        error_messages={"required": "Select at least one organisation"},
    )
    purposes = forms.MultipleChoiceField(
        choices=Consent.Purpose.choices,
        widget=forms.CheckboxSelectMultiple,
        label="For what purposes?",
        error_messages={"required": "Select at least one purpose"},
    )
    given_on = GovDateField(what="Date consent was given", past_only=True)
    expires_on = GovDateField(what="Expiry date", required=False, help_text="Leave blank if it does not expire")

    class Meta:
        model = Consent
        fields = ["organisations", "purposes", "method", "given_by", "given_by_name", "given_on", "expires_on", "notes"]
        widgets = {
            "method": forms.RadioSelect,
            "given_by": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "method": {"required": "Select how consent was given"},
            "given_by": {"required": "Select who gave consent"},
        }

    def __init__(self, *args, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client
        self.fields["organisations"].queryset = Organisation.objects.filter(is_active=True).order_by("name")
        self.fields["method"].choices = Consent.Method.choices
        self.fields["given_by"].choices = Consent.GivenBy.choices
        if not self.is_bound:
            self.initial.setdefault("given_on", timezone.localdate())
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(
            Field.checkboxes("organisations"),
            Field.checkboxes("purposes"),
            Field.radios("method", inline=True),
            Field.radios("given_by"),
            Field.text("given_by_name", field_width=20),
            Field("given_on"),
            Field("expires_on"),
            Field.textarea("notes", rows=3),
            Submit("submit", "Record consent"),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("given_by") == Consent.GivenBy.REPRESENTATIVE and not cleaned.get("given_by_name"):
            self.add_error("given_by_name", "Enter the name of the representative who gave consent")
        given, expires = cleaned.get("given_on"), cleaned.get("expires_on")
        if given and expires and expires < given:
            self.add_error("expires_on", "Expiry date must be on or after the date consent was given")
        return cleaned


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = GovDateField(what="Date consent was withdrawn", past_only=True)
    reason = forms.CharField(
        label="Why was consent withdrawn?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why consent was withdrawn"},
    )

    def __init__(self, *args, consent: Consent, **kwargs):
        super().__init__(*args, **kwargs)
        self.consent = consent
        if not self.is_bound:
            self.initial["withdrawn_on"] = timezone.localdate()
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field("withdrawn_on"),
            Field.textarea("reason", rows=3),
            HTML(
                '<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span>'
                '<strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>'
                "From this date, information cannot be shared under this consent.</strong></div>"
            ),
            Submit("submit", "Withdraw consent", css_class="govuk-button--warning"),
        )

    def clean_withdrawn_on(self):
        withdrawn_on = self.cleaned_data["withdrawn_on"]
        if withdrawn_on and withdrawn_on < self.consent.given_on:
            raise forms.ValidationError("Date withdrawn must be on or after the date consent was given")
        return withdrawn_on
