"""What every Joint Boards form uses: a select of staff named with their organisation, and the GOV.UK layout
(small labels, one submit button)."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Size, Submit
from django import forms
from django.contrib.auth import get_user_model


def active_staff():
    """Active staff of any organisation, for a co-chair, secretariat or member select."""
    return (
        get_user_model()
        .objects.filter(is_active=True, membership__is_active=True)
        .select_related("membership__organisation")
        .order_by("last_name", "first_name")
    )


def board_people(board):
    """The board's members, for an action owner select."""
    return get_user_model().objects.filter(board_memberships__board=board).select_related("membership__organisation")


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name() or obj.username} ({obj.membership.organisation.display_name})"


def form_helper(*fields, submit: str) -> FormHelper:
    """A GOV.UK form: small labels, the fields in order, then one submit button."""
    helper = FormHelper()
    helper.label_size = Size.SMALL
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper
