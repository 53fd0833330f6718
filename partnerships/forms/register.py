"""Forms: the partnerships register (partnerships, outcomes, agreements, service levels, routing rules)."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Div, Field, Fieldset, Layout, Size, Submit
from django import forms
from django.utils import timezone

from core.forms import GovDateField, filter_form_helper, grid_row, numeric_input

from ..models import Agreement, Contact, CustomerGroup, Organisation, Partnership, ReferralType
from ..services import PARTNERSHIP_FIELDS

AGREEMENT_FIELDS = ["kind", "title", "version", "signed_on", "review_due_on", "is_current"]


class PartnershipFilterForm(forms.Form):
    """The filters above the partnerships list (a GET form)."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), required=False, label="Member organisation", empty_label="Any"
    )
    kind = forms.ChoiceField(label="Type", required=False, choices=[("", "Any"), *Partnership.Kind.choices])
    status = forms.ChoiceField(required=False, choices=[("", "Any"), *Partnership.Status.choices])
    review_due = forms.BooleanField(label="Review due", required=False)

    def __init__(self, *args, partnerships, **kwargs):
        super().__init__(*args, **kwargs)
        # Only organisations that appear in the user's own partnerships can be chosen.
        self.fields["organisation"].queryset = (
            Organisation.objects.filter(partnership_memberships__partnership__in=partnerships)
            .distinct()
            .order_by("name")
        )
        self.helper = filter_form_helper(
            grid_row(
                Field.select("organisation", css_class="govuk-!-width-full"),
                Field.select("kind", css_class="govuk-!-width-full"),
                Field.select("status", css_class="govuk-!-width-full"),
                Div(Field.checkbox("review_due", small=True), css_class="govuk-!-padding-top-6"),
                column="one-quarter",
            )
        )


class PartnershipForm(forms.ModelForm):
    organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Which organisations are in the partnership?",
        help_text="Select your own organisation and at least one other",
        error_messages={"required": "Select the organisations in the partnership"},
    )
    key_contacts = forms.ModelMultipleChoiceField(
        queryset=Contact.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Key contacts",
        help_text="At most one for each organisation. Contacts come from the contacts directory",
    )
    customer_groups = forms.MultipleChoiceField(
        choices=CustomerGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Which customer groups does it reach?",
    )
    start_date = GovDateField(what="Start date", help_text="For example, 1 4 2025")
    next_review_date = GovDateField(
        what="Next review date", required=False, help_text="Leave blank if no review is planned"
    )

    class Meta:
        model = Partnership
        fields = PARTNERSHIP_FIELDS
        widgets = {
            "scope": forms.RadioSelect,
            "level": forms.RadioSelect,
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "objectives": forms.Textarea(attrs={"rows": 3}),
            "activities": forms.Textarea(attrs={"rows": 3}),
            "risks": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"is_formal": "This is a formal partnership", "scope": "Strategic or operational?"}
        error_messages = {
            "name": {"required": "Enter the name of the partnership"},
            "kind": {"required": "Select the type of partnership"},
            "purpose": {"required": "Enter the purpose of the partnership"},
            "scope": {"required": "Select whether the partnership is strategic or operational"},
            "level": {"required": "Select the level of the partnership"},
            "status": {"required": "Select the status of the partnership"},
        }

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.own_organisation = organisation
        self.fields["organisations"].queryset = Organisation.objects.filter(is_active=True).order_by("name")
        self.fields["key_contacts"].queryset = (
            Contact.objects.filter(is_active=True, organisation__is_active=True)
            .select_related("organisation")
            .order_by("organisation__name", "name")
        )
        self.fields["kind"].choices = [("", "Select a type"), *Partnership.Kind.choices]
        self.fields["scope"].choices = Partnership.Scope.choices
        self.fields["level"].choices = Partnership.Level.choices
        self.fields["status"].choices = Partnership.Status.choices
        if self.instance.pk and not self.is_bound:
            members = list(self.instance.members.all())
            self.initial["organisations"] = [member.organisation_id for member in members]
            self.initial["key_contacts"] = [member.key_contact_id for member in members if member.key_contact_id]
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Fieldset(
                Field.text("name"),
                Field.select("kind"),
                Field.checkbox("is_formal"),
                Field.radios("scope", legend_size=Size.SMALL, inline=True),
                Field.radios("level", legend_size=Size.SMALL, inline=True),
                Field.text("district", field_width=20),
                Field.select("status"),
                legend="About the partnership",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.checkboxes("organisations", legend_size=Size.SMALL, small=True),
                Field.checkboxes("key_contacts", legend_size=Size.SMALL, small=True),
                legend="Members",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.textarea("purpose", rows=3),
                Field.textarea("objectives", rows=3),
                Field.textarea("activities", rows=3),
                Field.checkboxes("customer_groups", legend_size=Size.SMALL, small=True),
                Field.textarea("risks", rows=3),
                legend="Purpose and customers",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field("start_date"),
                Field("next_review_date"),
                legend="Dates",
                legend_size=Size.MEDIUM,
            ),
            Submit("submit", "Save partnership"),
        )

    def clean_organisations(self):
        organisations = self.cleaned_data["organisations"]
        if self.own_organisation not in organisations:
            raise forms.ValidationError(
                f"Your own organisation ({self.own_organisation.name}) must be one of the organisations"
            )
        return organisations

    def clean(self):
        cleaned = super().clean()
        start, review = cleaned.get("start_date"), cleaned.get("next_review_date")
        if start and review and review < start:
            self.add_error("next_review_date", "The next review date must be on or after the start date")
        organisations = cleaned.get("organisations")
        contacts = cleaned.get("key_contacts") or []
        if organisations is not None:
            chosen = {organisation.pk for organisation in organisations}
            seen = set()
            for contact in contacts:
                if contact.organisation_id not in chosen:
                    self.add_error(
                        "key_contacts",
                        f"{contact.name} works for {contact.organisation.name}, which is not in the partnership",
                    )
                elif contact.organisation_id in seen:
                    self.add_error("key_contacts", f"Choose only one key contact for {contact.organisation.name}")
                seen.add(contact.organisation_id)
        return cleaned

    def key_contact_map(self) -> dict:
        """{organisation pk: contact or None} for every chosen organisation (None clears a key contact)."""
        contacts = {contact.organisation_id: contact for contact in self.cleaned_data.get("key_contacts") or []}
        return {organisation.pk: contacts.get(organisation.pk) for organisation in self.cleaned_data["organisations"]}


class OutcomeForm(forms.Form):
    description = forms.CharField(
        label="What did the partnership achieve?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Describe the outcome"},
    )
    recorded_on = GovDateField(what="Date of the outcome", past_only=True, help_text="For example, 27 3 2026")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("recorded_on", timezone.localdate())
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.textarea("description", rows=4),
            Field("recorded_on"),
            Submit("submit", "Save outcome"),
        )


class AgreementForm(forms.ModelForm):
    signed_on = GovDateField(
        what="Date signed", past_only=True, required=False, help_text="Leave blank while it is still a draft"
    )
    review_due_on = GovDateField(what="Review date", required=False)
    # Not a model field on the form: the service checks the type and size and says what is wrong.
    document = forms.FileField(
        required=False,
        widget=forms.FileInput,
        label="Signed document",
        help_text="PDF, Word (.doc, .docx), OpenDocument (.odt) or RTF, smaller than 10 MB",
    )

    class Meta:
        model = Agreement
        fields = AGREEMENT_FIELDS
        labels = {"kind": "Type of agreement", "is_current": "This is the current version"}
        error_messages = {
            "kind": {"required": "Select the type of agreement"},
            "title": {"required": "Enter the title of the agreement"},
            "version": {"required": "Enter the version, for example 1.0"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Select a type"), *Agreement.Kind.choices]
        if self.instance.pk and self.instance.document:
            self.fields["document"].help_text = (
                f"A new file replaces the current one ({self.instance.document.name.rsplit('/', 1)[-1]}). "
                + self.fields["document"].help_text
            )
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.select("kind"),
            Field.text("title"),
            Field.text("version", field_width=5),
            Field("signed_on"),
            Field("review_due_on"),
            Field.checkbox("is_current"),
            Field("document"),
            Submit("submit", "Save agreement"),
        )

    def clean(self):
        cleaned = super().clean()
        signed, review = cleaned.get("signed_on"), cleaned.get("review_due_on")
        if signed and review and review < signed:
            self.add_error("review_due_on", "The review date must be on or after the date signed")
        return cleaned


class ServiceLevelForm(forms.Form):
    referral_type = forms.ChoiceField(
        label="Referral type",
        choices=[("", "Select a referral type"), *ReferralType.choices],
        error_messages={"required": "Select the referral type"},
        help_text="Setting a referral type that already has a service level replaces it",
    )
    acknowledge_working_days = forms.IntegerField(
        widget=numeric_input(),
        label="Working days to acknowledge",
        min_value=0,
        max_value=60,
        error_messages={"required": "Enter the working days to acknowledge"},
    )
    complete_working_days = forms.IntegerField(
        widget=numeric_input(),
        label="Working days to complete",
        min_value=1,
        max_value=260,
        error_messages={"required": "Enter the working days to complete"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.select("referral_type"),
            Field.text("acknowledge_working_days", field_width=3),
            Field.text("complete_working_days", field_width=3),
            Submit("submit", "Save service level"),
        )


class RoutingRuleForm(forms.Form):
    receiving_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="Receiving organisation",
        empty_label="Select an organisation",
        error_messages={"required": "Select the receiving organisation"},
    )
    referral_types = forms.MultipleChoiceField(
        choices=ReferralType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Which referral types does it accept?",
        help_text="Select none if it accepts any type",
    )
    minimum_age = forms.IntegerField(
        label="Minimum age", widget=numeric_input(), required=False, min_value=0, max_value=130
    )
    maximum_age = forms.IntegerField(
        label="Maximum age", widget=numeric_input(), required=False, min_value=0, max_value=130
    )

    def __init__(self, *args, agreement: Agreement, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the partnership's members can receive referrals under its agreements.
        self.fields["receiving_organisation"].queryset = Organisation.objects.filter(
            partnership_memberships__partnership=agreement.partnership_id
        ).order_by("name")
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.select("receiving_organisation"),
            Field.checkboxes("referral_types", legend_size=Size.SMALL, small=True),
            Field.text("minimum_age", field_width=3),
            Field.text("maximum_age", field_width=3),
            Submit("submit", "Save routing rule"),
        )
