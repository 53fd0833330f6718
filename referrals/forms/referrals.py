"""Forms for referrals: refer a client, filter the inbox and outbox, reject, assign, record the outcome."""

from decimal import Decimal

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Div, Field, Fieldset, Layout, Size, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse

from core.access import membership_of
from core.forms import GovDateField, money_field
from partnerships.models import ReferralType, Team

from ..models import BenefitOutcome, Referral
from ..selectors.referrals import OPEN

BENEFIT_ROWS = 3
FIND_CONSENT = ""


def _consent_label(consent) -> str:
    organisations = ", ".join(organisation.display_name for organisation in consent.organisations.all())
    purposes = ", ".join(consent.purpose_labels).lower()
    return f"Given {consent.given_on.day} {consent.given_on:%B %Y}: share with {organisations} for {purposes}"


class ReferralForm(forms.Form):
    """Refer a client: where to, what for, how urgent, why, and under which consent."""

    to_organisation = forms.ChoiceField(
        widget=forms.RadioSelect,
        label="Which organisation are you referring to?",
        error_messages={
            "required": "Select the organisation you are referring to",
            "invalid_choice": "Select one of the organisations offered",
        },
    )
    to_team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        required=False,
        label="Team (optional)",
        empty_label="Any team",
        help_text="Leave as 'Any team' if you do not know which team deals with this",
    )
    referral_type = forms.ChoiceField(
        label="What are you referring them for?",
        choices=[("", "Choose a type"), *ReferralType.choices],
        error_messages={"required": "Select what you are referring them for"},
    )
    priority = forms.ChoiceField(
        widget=forms.RadioSelect,
        label="How urgent is it?",
        choices=Referral.Priority.choices,
        initial=Referral.Priority.ROUTINE,
        error_messages={"required": "Select how urgent it is"},
    )
    reason = forms.CharField(
        label="Why are you referring them?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Say what you need the other team to do and anything they should know before contacting the client",
        error_messages={"required": "Enter the reason for the referral"},
    )
    consent = forms.ChoiceField(
        widget=forms.RadioSelect,
        label="Which consent covers this referral?",
        required=False,
        error_messages={"invalid_choice": "Select a consent that is in force, or let JointCase find one"},
        help_text="Not needed when referring within your own organisation",
    )
    legal_basis = forms.CharField(
        label="Legal basis for sharing without consent (safeguarding alerts only)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only for an urgent safeguarding alert sent without the client's consent. "
        "For example, Care Act 2014 section 42 enquiry",
    )

    def __init__(self, *args, organisations, track_records: dict, consents, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(organisation.pk): organisation for organisation in organisations}
        self.consents = {str(consent.pk): consent for consent in consents}
        self.fields["to_organisation"].choices = [
            Choice(
                key,
                organisation.name,
                hint=track_records[organisation.pk].summary if organisation.pk in track_records else "",
            )
            for key, organisation in self.organisations.items()
        ]
        self.fields["to_team"].queryset = (
            Team.objects.filter(is_active=True, organisation__in=organisations)
            .select_related("organisation")
            .order_by("organisation__name", "name")
        )
        self.fields["consent"].choices = [
            *(Choice(key, _consent_label(consent)) for key, consent in self.consents.items()),
            Choice(FIND_CONSENT, "Find one that covers it for me", hint="JointCase looks for a consent in force"),
        ]
        if not self.is_bound:
            self.initial.setdefault("consent", FIND_CONSENT)
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(
            Field.radios("to_organisation"),
            Field.select("to_team"),
            Field.select("referral_type"),
            Field.radios("priority", inline=True),
            Field.textarea("reason", rows=4),
            Field.radios("consent"),
            Field.textarea("legal_basis", rows=3),
            Submit("submit", "Send referral"),
        )

    def clean_to_organisation(self):
        organisation = self.organisations.get(self.cleaned_data["to_organisation"])
        if organisation is None:
            raise forms.ValidationError("Select the organisation you are referring to")
        return organisation

    def clean_consent(self):
        key = self.cleaned_data.get("consent") or FIND_CONSENT
        if key == FIND_CONSENT:
            return None
        consent = self.consents.get(key)
        if consent is None:
            raise forms.ValidationError("Select a consent that is in force, or let JointCase find one")
        return consent

    def clean(self):
        cleaned = super().clean()
        organisation, team = cleaned.get("to_organisation"), cleaned.get("to_team")
        if organisation is not None and team is not None and team.organisation_id != organisation.pk:
            self.add_error("to_team", f"Choose a team of {organisation.name}, or 'Any team'")
        legal_basis = cleaned.get("legal_basis", "").strip()
        if legal_basis and cleaned.get("referral_type") and cleaned["referral_type"] != ReferralType.SAFEGUARDING:
            self.add_error("legal_basis", "Only record a legal basis for a safeguarding alert sent without consent")
        return cleaned


class ReferralFilterForm(forms.Form):
    """Filters for the inbox and the outbox. The home page's counts link here with the same filters."""

    OPEN = OPEN

    status = forms.ChoiceField(
        required=False,
        choices=[("", "Any status"), (OPEN, "Open (sent, accepted or in progress)"), *Referral.Status.choices],
    )
    referral_type = forms.ChoiceField(required=False, label="Type", choices=[("", "Any type"), *ReferralType.choices])
    priority = forms.ChoiceField(required=False, choices=[("", "Any priority"), *Referral.Priority.choices])
    due = forms.ChoiceField(
        required=False,
        label="Due",
        choices=[
            ("", "Any time"),
            ("overdue", "Overdue"),
            ("today", "Due today"),
            ("week", "Due this week (today to Sunday)"),
        ],
    )
    officer = forms.ChoiceField(required=False, label="Officer")
    team = forms.ChoiceField(required=False, label="Team")

    def __init__(self, *args, box: str, user, **kwargs):
        super().__init__(*args, **kwargs)
        if box == "inbox":
            self.fields["officer"].choices = [("", "Anyone"), ("me", "Assigned to me"), ("none", "Not assigned")]
        else:
            self.fields["officer"].choices = [("", "Anyone"), ("me", "Sent by me")]
        membership = membership_of(user)
        if membership is None or membership.team_id is None:
            del self.fields["team"]
        else:
            mine = "My team, or no particular team" if box == "inbox" else "My team"
            self.fields["team"].choices = [("", "Whole organisation"), ("mine", mine)]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.attrs = {"class": "govuk-!-margin-bottom-6", "data-testid": "referral-filters"}
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Div(
                *(
                    Div(Field.select(name, css_class="govuk-!-width-full"), css_class="govuk-grid-column-one-third")
                    for name in self.fields
                ),
                css_class="govuk-grid-row",
            ),
            # A plain button: no name, so applying the filters adds nothing else to the address.
            HTML(
                '<div class="govuk-button-group"><button type="submit" class="govuk-button govuk-button--secondary" '
                'data-module="govuk-button">Apply filters</button>'
                '{% if is_filtered %}<a class="govuk-link" href="?">Clear filters</a>{% endif %}</div>'
            ),
        )


class ReferralRejectForm(forms.Form):
    reason = forms.CharField(
        label="Why are you rejecting this referral?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The organisation that sent it will see this",
        error_messages={"required": "Enter why the referral is rejected"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.label_size = Size.MEDIUM
        self.helper.layout = Layout(
            Field.textarea("reason", rows=4), Submit("submit", "Reject referral", css_class="govuk-button--warning")
        )


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class ReferralAssignForm(forms.Form):
    officer = OfficerChoiceField(
        queryset=get_user_model().objects.none(),
        label="Who will deal with this referral?",
        empty_label="Choose an officer",
        error_messages={"required": "Choose an officer"},
    )

    def __init__(self, *args, referral: Referral, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = (
            get_user_model()
            .objects.filter(
                is_active=True, membership__is_active=True, membership__organisation_id=referral.to_organisation_id
            )
            .order_by("first_name", "last_name", "username")
        )
        if referral.assigned_officer_id:
            self.initial.setdefault("officer", referral.assigned_officer_id)
        self.helper = FormHelper()
        self.helper.label_size = Size.MEDIUM
        self.helper.layout = Layout(Field.select("officer"), Submit("submit", "Assign"))


class ReferralOutcomeForm(forms.Form):
    """The outcome: did it succeed (if not, why) and the decision on each benefit claimed."""

    successful = forms.TypedChoiceField(
        widget=forms.RadioSelect,
        label="Did the referral succeed?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        error_messages={"required": "Select yes if the referral succeeded"},
    )
    outcome_reason = forms.ChoiceField(
        label="If not, why not?",
        required=False,
        choices=[("", "Choose a reason"), *Referral.OutcomeReason.choices],
    )
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rows = []
        for number in range(1, BENEFIT_ROWS + 1):
            self.fields[f"benefit_{number}"] = forms.ChoiceField(
                label="Benefit", required=False, choices=[("", "None"), *ReferralType.choices]
            )
            self.fields[f"decision_{number}"] = forms.ChoiceField(
                label="Decision", required=False, choices=[("", "Choose a decision"), *BenefitOutcome.Decision.choices]
            )
            self.fields[f"weekly_amount_{number}"] = money_field(
                "£ a week",
                required=False,
                error_messages={"invalid": "Enter the amount a week in pounds and pence, like 67.45"},
            )
            self.fields[f"effective_date_{number}"] = GovDateField(
                what="Effective date", label="Date the award starts", required=False, help_text="For example, 1 12 2026"
            )
            self.fields[f"arrears_{number}"] = money_field(
                "Arrears (£)",
                required=False,
                error_messages={"invalid": "Enter the arrears in pounds and pence, like 134.90"},
            )
            rows.append(
                Fieldset(
                    Field.select(f"benefit_{number}"),
                    Field.select(f"decision_{number}"),
                    Field.text(f"weekly_amount_{number}", field_width=5),
                    Field(f"effective_date_{number}"),
                    Field.text(f"arrears_{number}", field_width=5),
                    legend=f"Benefit claimed {number} (optional)",
                    legend_size=Size.SMALL,
                )
            )
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(
            Field.radios("successful", inline=True, legend_size=Size.MEDIUM),
            Field.select("outcome_reason"),
            Field.textarea("notes", rows=3),
            *rows,
            Submit("submit", "Record outcome"),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("successful") is False and not cleaned.get("outcome_reason"):
            self.add_error("outcome_reason", "Choose why the referral did not succeed")
        for number in range(1, BENEFIT_ROWS + 1):
            benefit, decision = cleaned.get(f"benefit_{number}"), cleaned.get(f"decision_{number}")
            amounts = [cleaned.get(f"weekly_amount_{number}"), cleaned.get(f"arrears_{number}")]
            if not benefit:
                if decision or any(amount is not None for amount in amounts):
                    self.add_error(f"benefit_{number}", "Choose the benefit claimed")
                continue
            if not decision:
                self.add_error(f"decision_{number}", "Choose the decision on the claim")
            elif decision == BenefitOutcome.Decision.AWARDED:
                if not cleaned.get(f"effective_date_{number}") and f"effective_date_{number}" not in self.errors:
                    self.add_error(f"effective_date_{number}", "Enter the date the award starts")
                if not cleaned.get(f"weekly_amount_{number}"):
                    self.add_error(f"weekly_amount_{number}", "Enter the amount awarded a week")
        return cleaned

    def benefit_rows(self) -> list[dict]:
        """The filled-in benefit rows, as keyword arguments for `BenefitResult`."""
        rows = []
        for number in range(1, BENEFIT_ROWS + 1):
            if not self.cleaned_data.get(f"benefit_{number}"):
                continue
            rows.append(
                {
                    "benefit": self.cleaned_data[f"benefit_{number}"],
                    "decision": self.cleaned_data[f"decision_{number}"],
                    "weekly_amount": self.cleaned_data.get(f"weekly_amount_{number}") or Decimal("0.00"),
                    "effective_date": self.cleaned_data.get(f"effective_date_{number}"),
                    "arrears": self.cleaned_data.get(f"arrears_{number}") or Decimal("0.00"),
                }
            )
        return rows


class ReferralWithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why are you withdrawing it? (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, referral: Referral | None = None, **kwargs):
        kwargs.setdefault("auto_id", "id_withdraw_%s")
        super().__init__(*args, **kwargs)
        if referral is None:
            return
        self.fields["reason"].help_text = f"{referral.to_organisation.name} will be told."
        self.helper = FormHelper()
        self.helper.form_action = reverse("referrals:referral-withdraw", args=[referral.pk])
        self.helper.layout = Layout(
            Field.textarea("reason", rows=3),
            Submit("submit", "Withdraw referral", css_class="govuk-button--warning"),
        )
