"""Forms: gap analysis filter, local action plans and interim/annual reviews."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from core.forms import GovDateField, filter_form_helper, gov_formfield, money_field
from partnerships.models import ActionPlanItem, Partnership, PartnershipReview

from .directory import OfficerChoiceField

ACTION_PLAN_FIELDS = ["partnership", "district", "action", "owner", "milestone_date", "indicator", "status"]
REVIEW_FIELDS = [
    "kind",
    "period_start",
    "period_end",
    "reviewed_on",
    "referrals_sent",
    "referrals_received",
    "awards",
    "weekly_amount_gained",
    "what_worked",
    "what_did_not",
    "next_steps",
]


class GapFilterForm(forms.Form):
    district = forms.CharField(
        label="District",
        required=False,
        max_length=120,
        help_text="Only count partner organisations in this district, for example Northshire. Leave blank for all",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = filter_form_helper(Field.text("district", field_width=20))


class ActionPlanFilterForm(forms.Form):
    status = forms.ChoiceField(label="Status", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "All statuses"), *ActionPlanItem.Status.choices]
        self.helper = filter_form_helper(Field.select("status"))


class ActionPlanItemForm(forms.ModelForm):
    """The service refuses an action with neither a partnership nor a district; its message shows here."""

    partnership = forms.ModelChoiceField(
        queryset=Partnership.objects.none(),
        required=False,
        empty_label="None – this action is for a district",
        label="Partnership (optional)",
    )
    owner = OfficerChoiceField(
        queryset=get_user_model().objects.none(),
        empty_label="Select who owns the action",
        error_messages={"required": "Select who owns the action"},
    )
    milestone_date = GovDateField(what="Milestone date", help_text="When it should be done by. For example, 31 1 2027")

    class Meta:
        model = ActionPlanItem
        fields = ACTION_PLAN_FIELDS
        labels = {"district": "District (if not for a partnership)", "action": "What will be done"}
        widgets = {"action": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"indicator": "How you will know it worked, for example 'referrals from the ward each month'"}
        error_messages = {
            "action": {"required": "Enter what will be done"},
            "indicator": {"required": "Enter how you will know it worked"},
        }

    def __init__(self, *args, partnerships, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships
        self.fields["owner"].queryset = owners
        self.fields["status"].choices = ActionPlanItem.Status.choices
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(
            Fieldset(
                Field.select("partnership"),
                Field.text("district", field_width=20),
                legend="Who the action is for",
                legend_size=Size.MEDIUM,
            ),
            Field.textarea("action", rows=3),
            Field.select("owner"),
            Field("milestone_date"),
            Field.text("indicator"),
            Field.radios("status", inline=True),
            Submit("submit", "Save action"),
        )

    def _get_validation_exclusions(self):
        # 'A partnership or a district' is the service's rule, and it says so in plain English; leave the
        # model's constraint out of the form's checks so the constraint's name is never shown instead.
        exclude = super()._get_validation_exclusions()
        if not self.cleaned_data.get("partnership") and not self.cleaned_data.get("district"):
            exclude.update({"partnership", "district"})
        return exclude


class PartnershipReviewForm(forms.ModelForm):
    period_start = GovDateField(what="Start of the period", past_only=True, help_text="For example, 1 4 2026")
    period_end = GovDateField(what="End of the period", past_only=True, help_text="For example, 30 9 2026")
    reviewed_on = GovDateField(what="Date of the review", past_only=True)
    weekly_amount_gained = money_field(
        "£ a week gained",
        help_text="Extra benefit a week for the people referred, in pounds and pence, for example 412.35",
        error_messages={
            "required": "Enter the amount gained a week, or 0",
            "invalid": "Amount gained a week must be a number, like 412.35",
            "min_value": "Amount gained a week cannot be negative",
            "max_decimal_places": "Amount gained a week must be in pounds and pence, like 412.35",
        },
    )

    class Meta:
        model = PartnershipReview
        formfield_callback = gov_formfield
        fields = REVIEW_FIELDS
        labels = {
            "kind": "Type of review",
            "referrals_sent": "Referrals sent",
            "referrals_received": "Referrals received",
            "awards": "Benefit awards",
            "what_worked": "What worked",
            "what_did_not": "What did not work",
            "next_steps": "Next steps",
        }
        widgets = {
            "kind": forms.RadioSelect,
            "what_worked": forms.Textarea(attrs={"rows": 4}),
            "what_did_not": forms.Textarea(attrs={"rows": 4}),
            "next_steps": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "kind": {"required": "Select the type of review"},
            "referrals_sent": {"min_value": "Referrals sent cannot be negative"},
            "referrals_received": {"min_value": "Referrals received cannot be negative"},
            "awards": {"min_value": "Benefit awards cannot be negative"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = PartnershipReview.Kind.choices
        if not self.is_bound:
            self.initial.setdefault("reviewed_on", timezone.localdate())
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(
            Field.radios("kind", inline=True),
            Fieldset(
                Field("period_start"),
                Field("period_end"),
                Field("reviewed_on"),
                legend="Period reviewed",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.text("referrals_sent", field_width=5),
                Field.text("referrals_received", field_width=5),
                Field.text("awards", field_width=5),
                Field.text("weekly_amount_gained", field_width=10),
                legend="Key indicators",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.textarea("what_worked", rows=4),
                Field.textarea("what_did_not", rows=4),
                Field.textarea("next_steps", rows=4),
                legend="What the partners said",
                legend_size=Size.MEDIUM,
            ),
            Submit("submit", "Save review"),
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "End of the period must be on or after the start")
        return cleaned
