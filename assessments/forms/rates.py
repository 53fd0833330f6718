"""Forms for a financial year's rates: start a year by uprating, change figures one by one, confirm."""

from decimal import Decimal

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms
from django.utils.text import capfirst

from core.forms import decimal_input, money_field

from .. import charging, rate_cells
from ..services.uprating import ROUNDING_WORDS
from .layout import form_helper


def percent_field(group: str) -> forms.DecimalField:
    what = rate_cells.GROUP_NOUNS[group]
    return forms.DecimalField(
        label=f"{rate_cells.GROUPS[group]} (%)",
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        widget=decimal_input(),
        error_messages={
            "invalid": f"Enter the uprating for {what} as a number, like 3.8",
            "min_value": f"The uprating for {what} must be 0 or more",
            "max_value": f"The uprating for {what} must be 100 or less",
            "max_decimal_places": f"Enter the uprating for {what} to 2 decimal places at most, like 3.85",
            "max_digits": f"The uprating for {what} must be 100 or less",
        },
    )


class RatesYearStartForm(forms.Form):
    """Start a year: which year, the published uprating for each group of cells, rounding and source."""

    start_year = forms.TypedChoiceField(
        label="Which financial year?", coerce=int, error_messages={"required": "Select the financial year"}
    )
    rounding = forms.ChoiceField(
        label="Round each new figure to",
        choices=[(key, capfirst(words)) for key, words in ROUNDING_WORDS.items()],
        initial="penny",
        widget=forms.RadioSelect,
        error_messages={"required": "Select how to round the new figures"},
    )
    source = forms.CharField(
        label="Where the uprating comes from",
        help_text="For example: DWP, Benefit and pension rates 2027 to 2028; DHSC local authority circular.",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter where the uprating comes from"},
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_year"].choices = [
            (year, f"{charging.financial_year_label(year)} (6 April {year} to 5 April {year + 1})") for year in years
        ]
        if len(years) == 1:
            self.fields["start_year"].initial = years[0]
        for group in rate_cells.GROUPS:
            self.fields[f"percent_{group}"] = percent_field(group)
        self.helper = form_helper(
            Field.radios("start_year", legend_size=Size.MEDIUM),
            Fieldset(
                *[Field.text(f"percent_{group}", field_width=4) for group in rate_cells.GROUPS],
                legend="Uprating for each group of figures, in per cent",
                legend_size=Size.MEDIUM,
            ),
            Field.radios("rounding", legend_size=Size.SMALL, inline=True),
            Field.textarea("source", rows=3),
            button="Start the year",
        )

    def percentages(self) -> dict[str, Decimal | None]:
        return {group: self.cleaned_data.get(f"percent_{group}") for group in rate_cells.GROUPS}


def _source_key(name: str) -> str:
    return f"{name}__source"


class RatesFiguresForm(forms.Form):
    """Every figure of a draft year with where it comes from; rendered as a table by its template."""

    pension_credit_age = forms.IntegerField(
        label="State Pension age",
        min_value=60,
        max_value=75,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the State Pension age",
            "invalid": "Enter the State Pension age as a whole number, like 66",
            "min_value": "State Pension age must be 60 or more",
            "max_value": "State Pension age must be 75 or less",
        },
    )

    def __init__(self, *args, rates, **kwargs):
        initial = {"pension_credit_age": rates.pension_credit_age}
        for name in rate_cells.CELLS:
            initial[name] = getattr(rates, name)
            initial[_source_key(name)] = rates.cell_sources.get(name, "")
        super().__init__(*args, initial=initial, **kwargs)
        for name in rate_cells.CELLS:
            what = rate_cells.label(name)
            self.fields[name] = money_field(
                rate_cells.title(name),
                required=False,
                error_messages={
                    "invalid": f"Enter the {what} as a number, like 112.50",
                    "min_value": f"The {what} must be £0 or more",
                    "max_decimal_places": f"Enter the {what} to the nearest penny",
                },
            )
            self.fields[_source_key(name)] = forms.CharField(
                label=f"Source of the {what}", required=False, max_length=500
            )

    def rows(self):
        """(group title, [(figure field, source field)]) for the template."""
        return [
            (
                title,
                [(self[name], self[_source_key(name)]) for name in rate_cells.cells_in(group)],
            )
            for group, title in rate_cells.GROUPS.items()
        ]

    def figures(self) -> dict:
        return {name: self.cleaned_data[name] for name in rate_cells.CELLS} | {
            "pension_credit_age": self.cleaned_data["pension_credit_age"]
        }

    def sources(self) -> dict[str, str]:
        return {name: self.cleaned_data[_source_key(name)] for name in rate_cells.CELLS}

    def clean(self):
        data = super().clean()
        for name in rate_cells.CELLS:
            # A figure changed by hand needs its own source: the one copied with the old figure no longer fits.
            source_key = _source_key(name)
            new_source = source_key in self.changed_data and (data.get(source_key) or "").strip()
            if name in self.changed_data and data.get(name) is not None and not new_source:
                self.add_error(source_key, f"Enter where the new {rate_cells.label(name)} comes from")
        return data


class RatesConfirmForm(forms.Form):
    checked = forms.BooleanField(
        label="I have checked every figure and its source against the published rates",
        error_messages={"required": "Confirm that you have checked every figure and its source"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field("checked"), button="Confirm these rates")
