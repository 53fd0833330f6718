"""Forms: boards and their members."""

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.contrib.auth import get_user_model

from core.forms import GovDateField
from partnerships.models import Contact, Organisation

from ..models import Board, BoardMember
from .common import StaffChoiceField, active_staff, form_helper


class BoardForm(forms.ModelForm):
    organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Which organisations are on the board?",
        error_messages={"required": "Select the organisations on the board"},
    )
    co_chair_a = StaffChoiceField(queryset=get_user_model().objects.none(), label="First co-chair")
    co_chair_b = StaffChoiceField(
        queryset=get_user_model().objects.none(),
        label="Second co-chair",
        help_text="From a different lead organisation to the first co-chair",
    )
    established_on = GovDateField(what="Date the board was set up", help_text="For example, 1 4 2025")
    secretariat = StaffChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        label="Secretariat",
        help_text="Who runs the board's meetings, papers and issues log with the co-chairs. "
        "Add more people later as members with the secretariat role.",
    )

    class Meta:
        model = Board
        fields = [
            "title",
            "kind",
            "district",
            "scope",
            "terms_of_reference",
            "established_on",
            "erm_contact",
            "comments",
        ]
        widgets = {"scope": forms.RadioSelect, "terms_of_reference": forms.Textarea(attrs={"rows": 5})}
        labels = {"kind": "Type of board", "erm_contact": "District ERM (from the contacts directory)"}
        error_messages = {
            "title": {"required": "Enter the board's title"},
            "kind": {"required": "Select the type of board"},
            "district": {"required": "Enter the district"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = Organisation.objects.filter(is_active=True).order_by("name")
        self.fields["co_chair_a"].queryset = active_staff()
        self.fields["co_chair_b"].queryset = active_staff()
        self.fields["secretariat"].queryset = active_staff()
        self.fields["kind"].choices = [("", "Select a type"), *Board.Kind.choices]
        self.fields["scope"].choices = Board.Scope.choices
        self.fields["erm_contact"].queryset = Contact.objects.filter(is_active=True).select_related("organisation")
        self.fields["comments"].widget = forms.Textarea(attrs={"rows": 3})
        self.helper = form_helper(
            Field.text("title"),
            Field.select("kind"),
            Field.text("district", field_width=20),
            Field.radios("scope", legend_size=Size.SMALL, inline=True),
            Field.checkboxes("organisations", legend_size=Size.SMALL, small=True),
            Field.select("co_chair_a"),
            Field.select("co_chair_b"),
            Field.select("secretariat"),
            Field("established_on"),
            Field.textarea("terms_of_reference", rows=5),
            Field.select("erm_contact"),
            Field.textarea("comments", rows=3),
            submit="Save board",
        )


class BoardMemberForm(forms.Form):
    person = StaffChoiceField(queryset=get_user_model().objects.none(), label="Person")
    role = forms.ChoiceField(choices=BoardMember.Role.choices, widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = active_staff()
        self.helper = form_helper(
            Field.select("person"), Field.radios("role", legend_size=Size.SMALL), submit="Add member"
        )


class BoardEditForm(forms.ModelForm):
    """Change a board's details and co-chairs (the co-chairs' organisations are checked by the service)."""

    co_chair_a = StaffChoiceField(queryset=get_user_model().objects.none(), label="First co-chair")
    co_chair_b = StaffChoiceField(
        queryset=get_user_model().objects.none(),
        label="Second co-chair",
        help_text="From a different lead organisation to the first co-chair",
    )

    class Meta:
        model = Board
        fields = ["title", "district", "scope", "terms_of_reference", "meeting_rule", "erm_contact", "comments"]
        widgets = {"scope": forms.RadioSelect, "meeting_rule": forms.RadioSelect}
        labels = {
            "meeting_rule": "How often must it meet?",
            "erm_contact": "District ERM (from the contacts directory)",
        }
        error_messages = {
            "title": {"required": "Enter the board's title"},
            "district": {"required": "Enter the district"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["co_chair_a"].queryset = active_staff()
        self.fields["co_chair_b"].queryset = active_staff()
        self.fields["scope"].choices = Board.Scope.choices
        self.fields["meeting_rule"].choices = Board.MeetingRule.choices
        self.fields["erm_contact"].queryset = Contact.objects.filter(is_active=True).select_related("organisation")
        self.fields["comments"].widget = forms.Textarea(attrs={"rows": 3})
        self.helper = form_helper(
            Field.text("title"),
            Field.text("district", field_width=20),
            Field.radios("scope", legend_size=Size.SMALL, inline=True),
            Field.select("co_chair_a"),
            Field.select("co_chair_b"),
            Field.textarea("terms_of_reference", rows=5),
            Field.radios("meeting_rule", legend_size=Size.SMALL),
            Field.select("erm_contact"),
            Field.textarea("comments", rows=3),
            submit="Save changes",
        )
