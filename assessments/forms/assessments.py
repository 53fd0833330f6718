"""Forms for a financial assessment: its details, its income, capital and expense lines, and the filters
of the list of assessments."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Div, Field, Layout, Size
from django import forms

from core.forms import GovDateField, money_field

from .. import charging
from ..models import Assessment, ExpenseLine
from .layout import form_helper


class AssessmentForm(forms.Form):
    effective_date = GovDateField(what="Date the charge starts", help_text="For example, 7 4 2025")
    weekly_care_cost = money_field("Weekly cost of the care (£)", help_text="The charge is never more than this.")
    is_couple = forms.BooleanField(label="Lives with a partner", required=False)
    partner_name = forms.CharField(label="Partner's name (optional)", required=False, max_length=200)
    night_care_provided = forms.BooleanField(label="Night care is provided", required=False)
    use_flat_rate_dre = forms.BooleanField(
        label="Use the council's flat rate for disability-related expenditure",
        required=False,
        help_text="Untick to list the expenses one by one.",
    )
    has_unpaid_carer = forms.BooleanField(label="An unpaid carer looks after them", required=False)
    receives_council_tax_support = forms.BooleanField(label="Gets Council Tax Support", required=False)

    def __init__(self, *args, button: str = "Save and continue", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field("effective_date"),
            Field.text("weekly_care_cost", field_width=10),
            Field("is_couple"),
            Field.text("partner_name"),
            Field("night_care_provided"),
            Field("use_flat_rate_dre"),
            Field("has_unpaid_carer"),
            Field("receives_council_tax_support"),
            button=button,
        )


class IncomeLineForm(forms.Form):
    prefix = "income"
    type = forms.ChoiceField(label="Type of income", choices=[("", "Choose"), *charging.INCOME_TYPES.items()])
    amount = money_field("Amount (£)")
    period = forms.ChoiceField(label="How often", choices=list(charging.PERIODS.items()), initial="week")
    description = forms.CharField(label="Notes (optional)", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].error_messages["required"] = "Select the type of income"
        self.helper = form_helper(
            Field("type"),
            Field.text("amount", field_width=10),
            Field("period"),
            Field.text("description"),
            button="Add income",
        )
        self.helper.form_action = f"?kind={self.prefix}#add-{self.prefix}"


class CapitalLineForm(forms.Form):
    prefix = "capital"
    type = forms.ChoiceField(label="Type of capital", choices=[("", "Choose"), *charging.CAPITAL_TYPES.items()])
    amount = money_field("Value (£)")
    jointly_owned = forms.BooleanField(label="Owned jointly with the partner (half counts)", required=False)
    description = forms.CharField(label="Notes (optional)", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].error_messages["required"] = "Select the type of capital"
        self.helper = form_helper(
            Field("type"),
            Field.text("amount", field_width=10),
            Field("jointly_owned"),
            Field.text("description"),
            button="Add capital",
        )
        self.helper.form_action = f"?kind={self.prefix}#add-{self.prefix}"


class HousingLineForm(forms.Form):
    prefix = "housing"
    type = forms.ChoiceField(label="Housing cost", choices=[("", "Choose"), *charging.HOUSING_TYPES.items()])
    weekly = money_field("Amount a week (£)", help_text="Net of Housing Benefit or Council Tax Support.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].error_messages["required"] = "Select the housing cost"
        self.helper = form_helper(Field("type"), Field.text("weekly", field_width=10), button="Add housing cost")
        self.helper.form_action = f"?kind={self.prefix}#add-{self.prefix}"

    kind = ExpenseLine.Kind.HOUSING


class DreLineForm(forms.Form):
    prefix = "dre"
    description = forms.CharField(label="Expense", max_length=200, error_messages={"required": "Describe the expense"})
    weekly = money_field("Amount a week (£)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.text("description"), Field.text("weekly", field_width=10), button="Add expense")
        self.helper.form_action = f"?kind={self.prefix}#add-{self.prefix}"

    kind = ExpenseLine.Kind.DRE


class ReassessForm(forms.Form):
    effective_date = GovDateField(what="Date the new charge starts", help_text="For example, 6 4 2025")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field("effective_date"), button="Start re-assessment")


class AssessmentFilterForm(forms.Form):
    """Filters for the list of assessments, sent by GET. The home page's count of draft assessments links here."""

    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *Assessment.Status.choices])
    assessor = forms.ChoiceField(required=False, label="Assessor", choices=[("", "Anyone"), ("me", "Me")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.attrs = {"class": "govuk-!-margin-bottom-6", "data-testid": "assessment-filters"}
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Div(
                *[
                    Div(Field.select(name, css_class="govuk-!-width-full"), css_class="govuk-grid-column-one-third")
                    for name in self.fields
                ],
                css_class="govuk-grid-row",
            ),
            # A plain button (no name), so the page address holds the filters and nothing else.
            HTML(
                '<div class="govuk-button-group"><button type="submit" class="govuk-button govuk-button--secondary" '
                'data-module="govuk-button">Apply filters</button>'
                '{% if is_filtered %}<a class="govuk-link" href="?">Clear filters</a>{% endif %}</div>'
            ),
        )
