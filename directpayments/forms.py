"""Forms for direct payment agreements."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms

from core.forms import GovDateField

from .models import Adjustment, Agreement


class AgreementForm(forms.ModelForm):
    start_date = GovDateField(what="Start date", help_text="For example, 1 4 2026")
    end_date = GovDateField(what="End date", required=False, help_text="Leave blank if it has no end date")

    class Meta:
        model = Agreement
        fields = [
            "client",
            "nominated_person",
            "start_date",
            "end_date",
            "weekly_budget",
            "weekly_contribution",
            "account_type",
            "card_reference",
            "provider",
            "sort_code",
            "account_number",
            "account_name",
            "supplier_number",
            "contingency_weeks",
        ]
        widgets = {"account_type": forms.RadioSelect}

    def __init__(self, *args, clients, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = clients
        self.fields["client"].label_from_instance = lambda client: (
            f"{client.full_name} ({client.date_of_birth:%d/%m/%Y})"
        )
        self.fields["sort_code"].max_length = 8
        self.fields["sort_code"].widget.attrs["maxlength"] = 8
        self.fields["sort_code"].validators = []
        self.fields["weekly_contribution"].help_text = "From the client's latest complete financial assessment"
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(
            Field.select("client"),
            Field.text("nominated_person"),
            Field("start_date"),
            Field("end_date"),
            Field.text("weekly_budget", field_width=10),
            Field.text("weekly_contribution", field_width=10),
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
            Submit("submit", "Save agreement"),
        )

    def clean_sort_code(self):
        return self.cleaned_data["sort_code"].replace("-", "").replace(" ", "")


class RunPrepareForm(forms.Form):
    month = forms.DateField(widget=forms.HiddenInput)


class AdjustmentForm(forms.ModelForm):
    takes_effect_on = GovDateField(
        what="Date it takes effect",
        help_text="Paid or recovered by the run for the first month starting on or after it. For a "
        "recovery, the end of the written notice period (28 days after the letter).",
    )

    class Meta:
        model = Adjustment
        fields = ["kind", "amount", "reason", "takes_effect_on"]
        widgets = {"kind": forms.RadioSelect}
        labels = {"kind": "Type of adjustment", "amount": "Amount"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(
            Field.radios("kind"),
            Field.text("amount", field_width=10),
            Field.text("reason"),
            Field("takes_effect_on"),
            Submit("submit", "Add adjustment"),
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
