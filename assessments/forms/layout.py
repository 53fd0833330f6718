"""The layout every assessments form shares: small labels and legends, then one button."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Size, Submit


def form_helper(*fields, button: str) -> FormHelper:
    """A GOV.UK form helper laying out `fields` with small labels and legends, then a `button`."""
    form_helper = FormHelper()
    form_helper.label_size = Size.SMALL
    form_helper.legend_size = Size.SMALL
    form_helper.layout = Layout(*fields, Submit("submit", button))
    return form_helper
