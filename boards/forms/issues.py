"""Forms: the issues log (raise, put on an agenda, escalate, resolve)."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from partnerships.models import Contact

from ..models import IssueCategory
from .common import form_helper


class IssueForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Enter a short title"})
    category = forms.ChoiceField(choices=IssueCategory.choices, widget=forms.RadioSelect)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    lowest_level_attempt = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="What was tried at the lowest operational level?",
        error_messages={"required": "Say what was tried at the lowest operational level first"},
    )
    referred_to = forms.ModelChoiceField(
        queryset=Contact.objects.none(), required=False, label="Operational contact it was referred to"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referred_to"].queryset = Contact.objects.filter(is_active=True).select_related("organisation")
        self.helper = form_helper(
            Field.text("title"),
            Field.radios("category", legend_size=Size.SMALL),
            Field.textarea("description"),
            Field.textarea("lowest_level_attempt"),
            Field.select("referred_to"),
            submit="Raise issue",
        )


class IssueAgendaForm(forms.Form):
    """Put an issue on a planned meeting's agenda: a select on the issue's page (the page holds the form tag
    and its button)."""

    meeting = forms.ModelChoiceField(
        queryset=None,
        empty_label=None,
        label="Put it on a planned meeting's agenda",
        error_messages={"required": "Select a planned meeting", "invalid_choice": "Select a planned meeting"},
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda m: f"{m.date.day} {m.date:%B %Y}, {m.place or 'video call'}"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's form tag carries the token
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(Field.select("meeting"))


class EscalateForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Why does it need escalating?")
    lower_level_attempt = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label="What did the current level do to resolve it?"
    )
    confirmed = forms.BooleanField(
        label="Attempts have been made to resolve the issue at the current level",
        error_messages={"required": "Confirm the current level has tried to resolve the issue"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.textarea("reason"),
            Field.textarea("lower_level_attempt"),
            Field.checkbox("confirmed"),
            submit="Escalate",
        )


class ResolveForm(forms.Form):
    outcome = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), error_messages={"required": "Enter the outcome"}
    )
    communicated_contacts = forms.ModelMultipleChoiceField(
        queryset=Contact.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Which partner or Jobcentre Plus contacts were told?",
        help_text="From the contacts directory: the organisations on the board and the contact it was referred to.",
        error_messages={"invalid_choice": "Choose contacts from the list"},
    )
    communication_notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Notes on how it was communicated (optional)",
    )
    confirmed = forms.BooleanField(
        error_messages={"required": "Confirm the outcome has been communicated to the originator"},
    )

    def __init__(self, *args, contacts, originator: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communicated_contacts"].queryset = contacts
        self.fields["confirmed"].label = f"The outcome has been communicated to the originator, {originator}"
        self.helper = form_helper(
            Field.textarea("outcome"),
            Field.checkboxes("communicated_contacts", legend_size=Size.SMALL, small=True),
            Field.textarea("communication_notes"),
            Field.checkbox("confirmed"),
            submit="Resolve",
        )
