"""Forms for direct payment agreements: setting one up or changing it, suspending, resuming or ending it,
correcting a suspension, and a one-off payment."""

from crispy_forms_gds.layout import HTML, Field, Fieldset
from django import forms
from django.utils import timezone
from django.utils.html import format_html

from assessments.selectors import current_charge_for_client
from core.forms import GovDateField, gov_formfield
from core.money import format_money

from ..models import Adjustment, Agreement
from .layout import form_helper


def contribution_source_html(assessment, *, link: bool) -> str:
    """Where a contribution comes from, as users read it: "£38.50 a week, from the financial assessment
    completed on 3 September 2026" (the assessment linked when the user may see it), or "entered by hand"
    when `assessment` is None."""
    if assessment is None:
        return format_html("{}", "Entered by hand")
    completed = timezone.localdate(assessment.completed_at) if assessment.completed_at else assessment.effective_date
    words = f"the financial assessment completed on {completed:%-d %B %Y}"
    if link:
        words = format_html('<a class="govuk-link" href="{}">{}</a>', assessment.get_absolute_url(), words)
    return format_html("{} a week, from {}", format_money(assessment.weekly_charge), words)


class AgreementForm(forms.ModelForm):
    start_date = GovDateField(what="Start date", help_text="For example, 1 4 2026")
    end_date = GovDateField(what="End date", required=False, help_text="Leave blank if it has no end date")
    contribution_by_hand = forms.BooleanField(
        label="Enter the contribution by hand instead",
        required=False,
        help_text="Only if the financial assessment's charge must not be used; give the reason below",
    )

    class Meta:
        model = Agreement
        formfield_callback = gov_formfield
        fields = [
            "client",
            "nominated_person",
            "start_date",
            "end_date",
            "weekly_budget",
            "weekly_contribution",
            "contribution_by_hand_reason",
            "account_type",
            "card_reference",
            "provider",
            "sort_code",
            "account_number",
            "account_name",
            "supplier_number",
            "contingency_weeks",
            "personal_assistants",
        ]
        widgets = {"account_type": forms.RadioSelect, "personal_assistants": forms.CheckboxSelectMultiple}
        labels = {"contribution_by_hand_reason": "Why it is entered by hand"}

    def __init__(
        self,
        *args,
        clients=None,
        assistants=None,
        contribution_known: bool = False,
        contribution_from=None,
        contribution_link: bool = False,
        **kwargs,
    ):
        """`clients` to choose from when setting up; None when editing (the client never changes).
        `assistants`: the organisation's personal assistant register. `contribution_known`: the client is
        known (editing, or set up from the client's page), so `contribution_from` is their current complete
        financial assessment or None; `contribution_link`: the user may open that assessment."""
        super().__init__(*args, **kwargs)
        self.contribution_from = contribution_from
        if clients is None:
            del self.fields["client"]
        else:
            self.fields["client"].queryset = clients
            self.fields["client"].label_from_instance = lambda client: (
                f"{client.full_name} ({client.date_of_birth:%d/%m/%Y})"
            )
        self.fields["personal_assistants"].queryset = (
            assistants if assistants is not None else self.fields["personal_assistants"].queryset.none()
        )
        self.fields["personal_assistants"].label_from_instance = lambda pa: (
            f"{pa.name}, {pa.get_employment_display().lower()}, £{pa.hourly_rate:,.2f} an hour"
        )
        self.fields["personal_assistants"].help_text = "From your register of personal assistants"
        self.fields["sort_code"].max_length = 8
        self.fields["sort_code"].widget.attrs["maxlength"] = 8
        self.fields["sort_code"].validators = []
        if reason := self.fields.get("contribution_by_hand_reason"):
            reason.help_text = (
                'Needed when you tick it and the client has a financial assessment, for example "charge under review"'
            )
        contribution = self.fields["weekly_contribution"]
        contribution.required = False  # the service asks for it when it does not come from an assessment
        contribution.label = "Weekly assessed contribution"
        by_hand_now = bool(self.instance.pk and self.instance.contribution_by_hand_reason)
        if not contribution_known:
            contribution.help_text = (
                "Taken from the client's latest complete financial assessment if there is one: leave blank. "
                "Otherwise enter it"
            )
            if not self.instance.pk:
                self.initial["weekly_contribution"] = None
        elif contribution_from is not None:
            contribution.help_text = (
                "From the financial assessment. A different figure needs 'Enter the contribution by hand' and a reason"
            )
            self.initial["contribution_by_hand"] = by_hand_now
            if not by_hand_now:
                self.initial["weekly_contribution"] = contribution_from.weekly_charge
        else:
            contribution.help_text = "No complete financial assessment: entered by hand"
        contribution_layout = [Field.text("weekly_contribution", field_width=10)]
        if contribution_known and contribution_from is not None:
            summary = contribution_source_html(contribution_from, link=contribution_link)
            contribution_layout = [
                HTML(
                    format_html(
                        '<div class="govuk-inset-text" data-testid="contribution-source">'
                        "Contribution from the client's financial assessment: {}</div>",
                        summary,
                    )
                ),
                *contribution_layout,
                Field.checkbox("contribution_by_hand", small=True),
                Field.text("contribution_by_hand_reason"),
            ]
        elif contribution_known:
            del self.fields["contribution_by_hand"]
            del self.fields["contribution_by_hand_reason"]
        else:
            contribution_layout += [
                Field.checkbox("contribution_by_hand", small=True),
                Field.text("contribution_by_hand_reason"),
            ]
        self.helper = form_helper(
            *([Field.select("client")] if clients is not None else []),
            Field.text("nominated_person"),
            Field("start_date"),
            Field("end_date"),
            Field.text("weekly_budget", field_width=10),
            *contribution_layout,
            Field.radios("account_type"),
            Fieldset(
                Field.text("card_reference", field_width=20),
                Field.text("provider"),
                Field.text("sort_code", field_width=5),
                Field.text("account_number", field_width=10),
                Field.text("account_name"),
                legend="Account details (only those for the account type chosen)",
            ),
            Field.text("supplier_number", field_width=20),
            Field.text("contingency_weeks", field_width=2),
            Field.checkboxes("personal_assistants", small=True),
            button="Save agreement",
        )

    def clean_sort_code(self):
        return self.cleaned_data["sort_code"].replace("-", "").replace(" ", "")

    def clean(self):
        """The contribution may be left blank only when it comes from the client's financial assessment."""
        cleaned = super().clean()
        if cleaned.get("weekly_contribution") is not None:
            return cleaned
        client = cleaned.get("client") if "client" in self.fields else self.instance.client
        if client is None:
            return cleaned
        source = self.contribution_from
        if "client" in self.fields:  # chosen on this page: look its assessment up
            source = current_charge_for_client(client=client, organisation=client.organisation_id)
        if source is None:
            self.add_error("weekly_contribution", "Enter the weekly assessed contribution")
        elif cleaned.get("contribution_by_hand"):
            self.add_error("weekly_contribution", "Enter the weekly assessed contribution to use instead")
        return cleaned


class AgreementSuspendForm(forms.Form):
    starts_on = GovDateField(what="First day not paid", help_text="For example, 15 4 2026")
    reason = forms.CharField(
        label="Reason for the suspension",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for the suspension"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field("starts_on"), Field.textarea("reason"), button="Suspend payments", warning=True)


class AgreementResumeForm(forms.Form):
    resumes_on = GovDateField(
        what="First day paid again", help_text="The suspension ends the day before. For example, 1 5 2026"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field("resumes_on"), button="Resume payments")


class AgreementEndForm(forms.Form):
    end_date = GovDateField(what="Last day paid", help_text="For example, 30 6 2026")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field("end_date"), button="End the agreement", warning=True)


class SuspensionCancelForm(forms.Form):
    reason = forms.CharField(
        label="Why is the suspension cancelled?",
        max_length=100,
        help_text="For example, recorded for the wrong client. Days of months already paid are paid as arrears.",
        error_messages={"required": "Enter why the suspension is cancelled"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.text("reason"), button="Cancel the suspension", warning=True)


class SuspensionShortenForm(forms.Form):
    ends_on = GovDateField(
        what="New last day not paid",
        help_text="Earlier than now recorded. Days after it in months already paid are paid as arrears.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field("ends_on"), button="Change the last day")


class AdjustmentForm(forms.ModelForm):
    """A one-off payment only: a surplus is recovered through a written notice (services/notices.py), never by
    hand, so nobody's payment is cut before the notice period has passed."""

    takes_effect_on = GovDateField(
        what="Date it takes effect",
        help_text="Paid by the run for the first month starting on or after it.",
    )

    class Meta:
        model = Adjustment
        formfield_callback = gov_formfield
        fields = ["amount", "reason", "takes_effect_on"]
        labels = {"amount": "Amount"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("amount", field_width=10),
            Field.text("reason"),
            Field("takes_effect_on"),
            button="Add one-off payment",
        )
