"""The layout every direct payments form shares: small labels and legends, then one button."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Size, Submit


def form_helper(*fields, button: str, warning: bool = False) -> FormHelper:
    """A GOV.UK form helper laying out `fields` with small labels and legends, then a `button` (red with
    `warning`, for a change that stops or takes away money)."""
    helper = FormHelper()
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    submit = Submit("submit", button, css_class="govuk-button--warning") if warning else Submit("submit", button)
    helper.layout = Layout(*fields, submit)
    return helper
