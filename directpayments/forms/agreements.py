"""Forms for direct payment agreements."""

from datetime import datetime
from decimal import Decimal

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size, Submit
from django import forms
from django.utils import timezone
from django.utils.html import format_html

from assessments.selectors import current_charge_for_client
from core.forms import GovDateField, gov_formfield, money_field
from core.money import format_money

from .models import Adjustment, Agreement, PersonalAssistant


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
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(
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
            Submit("submit", "Save agreement"),
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


class RunPrepareForm(forms.Form):
    month = forms.DateField(widget=forms.HiddenInput)


class AdjustmentForm(forms.ModelForm):
    """A one-off payment only: a surplus is recovered through a written notice (notices.py), never by
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
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(
            Field.text("amount", field_width=10),
            Field.text("reason"),
            Field("takes_effect_on"),
            Submit("submit", "Add one-off payment"),
        )


class BalanceImportForm(forms.Form):
    file = forms.FileField(
        label="Card balances file (CSV)",
        help_text="Columns card_reference,balance,date, with that header on the first line",
        error_messages={"required": "Choose a CSV file"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(Field("file"), Submit("submit", "Import balances"))


class ReviewCompleteForm(forms.Form):
    completed_on = GovDateField(what="Date of the review", past_only=True)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(Field("completed_on"), Field.textarea("notes"), Submit("submit", "Record review"))


class SurplusNoticeForm(forms.Form):
    amount = money_field(
        "Surplus to recover",
        min_value=Decimal("0.01"),
        help_text="The whole surplus unless you have agreed to recover less",
        error_messages={"required": "Enter the amount to recover", "invalid": "Enter an amount like 259.30"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(Field.text("amount", field_width=10), Submit("submit", "Issue the notice"))


class SurplusNoticeWithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why is the notice withdrawn?",
        max_length=200,
        error_messages={"required": "Enter why the notice is withdrawn"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page wraps it in a form posting to the withdraw URL
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.text("reason"), Submit("submit", "Withdraw the notice", css_class="govuk-button--warning")
        )


def _quarter_label(start) -> str:
    end = start.replace(month=start.month + 2)
    return f"{start:%B} to {end:%B %Y}"


class QuarterlyReturnForm(forms.Form):
    quarter = forms.TypedChoiceField(label="Quarter", coerce=lambda value: datetime.strptime(value, "%Y-%m-%d").date())
    balance = money_field(
        "Balance at the end of the quarter",
        min_value=None,  # an overdrawn account is reported as it is
        error_messages={
            "required": "Enter the balance at the end of the quarter",
            "invalid": "Enter an amount like 1250.00",
        },
    )
    amount_spent = money_field(
        "Spent in the quarter",
        error_messages={"required": "Enter the amount spent in the quarter", "invalid": "Enter an amount like 980.50"},
    )
    evidence_received = forms.BooleanField(
        label="Evidence received (bank statements, receipts, timesheets)", required=False
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, quarters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [(start.isoformat(), _quarter_label(start)) for start in quarters]
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(
            Field.select("quarter"),
            Field.text("balance", field_width=10),
            Field.text("amount_spent", field_width=10),
            Field.checkbox("evidence_received"),
            Field.textarea("notes"),
            Submit("submit", "Record the return"),
        )


# --- agreement changes, the personal assistant register and reconciliation (helper dpa) ----------


def _helper(*fields, submit: str, warning: bool = False) -> FormHelper:
    helper = FormHelper()
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    button = Submit("submit", submit, css_class="govuk-button--warning") if warning else Submit("submit", submit)
    helper.layout = Layout(*fields, button)
    return helper


class AgreementSuspendForm(forms.Form):
    starts_on = GovDateField(what="First day not paid", help_text="For example, 15 4 2026")
    reason = forms.CharField(
        label="Reason for the suspension",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for the suspension"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("starts_on"), Field.textarea("reason"), submit="Suspend payments", warning=True)


class AgreementResumeForm(forms.Form):
    resumes_on = GovDateField(
        what="First day paid again", help_text="The suspension ends the day before. For example, 1 5 2026"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("resumes_on"), submit="Resume payments")


class AgreementEndForm(forms.Form):
    end_date = GovDateField(what="Last day paid", help_text="For example, 30 6 2026")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("end_date"), submit="End the agreement", warning=True)


class SuspensionCancelForm(forms.Form):
    reason = forms.CharField(
        label="Why is the suspension cancelled?",
        max_length=100,
        help_text="For example, recorded for the wrong client. Days of months already paid are paid as arrears.",
        error_messages={"required": "Enter why the suspension is cancelled"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.text("reason"), submit="Cancel the suspension", warning=True)


class SuspensionShortenForm(forms.Form):
    ends_on = GovDateField(
        what="New last day not paid",
        help_text="Earlier than now recorded. Days after it in months already paid are paid as arrears.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("ends_on"), submit="Change the last day")


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
        self.helper = _helper(
            Field.text("name"),
            Field.radios("employment"),
            Field("dbs_checked_on"),
            Field.text("hourly_rate", field_width=5),
            Field.checkbox("is_active"),
            submit="Save personal assistant",
        )


class ReturnedPaymentForm(forms.Form):
    reason = forms.CharField(
        label="Reason the bank gave",
        max_length=200,
        help_text="For example, account closed",
        error_messages={"required": "Enter the reason the bank gave for returning the payment"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.text("reason"), submit="Record as returned", warning=True)


class ReturnsImportForm(forms.Form):
    file = forms.FileField(
        label="Bank returns file (CSV)",
        help_text="A header line, then one row per returned payment: reference (or agreement, or "
        "vendor_number), amount, reason",
        error_messages={"required": "Choose a CSV file"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("file"), submit="Import returns")
