"""Forms for Joint Boards: parse and validate input; the services apply the business rules."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.contrib.auth import get_user_model

from core.forms import GovDateField
from partnerships.models import Contact, Organisation

from .models import PAPER_EXTENSIONS, Action, Attendance, Board, BoardMember, IssueCategory


def _staff():
    return (
        get_user_model()
        .objects.filter(is_active=True, membership__is_active=True)
        .select_related("membership__organisation")
        .order_by("last_name", "first_name")
    )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name() or obj.username} ({obj.membership.organisation.display_name})"


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.label_size = Size.SMALL
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


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
        self.fields["co_chair_a"].queryset = _staff()
        self.fields["co_chair_b"].queryset = _staff()
        self.fields["secretariat"].queryset = _staff()
        self.fields["kind"].choices = [("", "Select a type"), *Board.Kind.choices]
        self.fields["scope"].choices = Board.Scope.choices
        self.fields["erm_contact"].queryset = Contact.objects.filter(is_active=True).select_related("organisation")
        self.fields["comments"].widget = forms.Textarea(attrs={"rows": 3})
        self.helper = _helper(
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
        self.fields["person"].queryset = _staff()
        self.helper = _helper(Field.select("person"), Field.radios("role", legend_size=Size.SMALL), submit="Add member")


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
        self.fields["co_chair_a"].queryset = _staff()
        self.fields["co_chair_b"].queryset = _staff()
        self.fields["scope"].choices = Board.Scope.choices
        self.fields["meeting_rule"].choices = Board.MeetingRule.choices
        self.fields["erm_contact"].queryset = Contact.objects.filter(is_active=True).select_related("organisation")
        self.fields["comments"].widget = forms.Textarea(attrs={"rows": 3})
        self.helper = _helper(
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


class MeetingForm(forms.Form):
    date = GovDateField(what="Meeting date", not_before_year=2000)
    time = forms.TimeField(required=False, help_text="For example, 14:30")
    place = forms.CharField(max_length=200, required=False)
    video_link = forms.URLField(required=False, label="Video link", assume_scheme="https")

    def __init__(self, *args, submit: str = "Plan meeting", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field("date"),
            Field.text("time", field_width=5),
            Field.text("place"),
            Field.text("video_link"),
            submit=submit,
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("place") and not cleaned.get("video_link"):
            raise forms.ValidationError("Enter a place or a video link")
        return cleaned


class AgendaItemForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Enter the item's title"})
    presenter = forms.CharField(max_length=200, required=False)
    papers = forms.FileField(
        required=False,
        help_text=f"{', '.join(PAPER_EXTENSIONS).upper()}, smaller than 10 MB",
    )
    issue = forms.ModelChoiceField(queryset=None, required=False, label="Issue from the log (optional)")

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issue"].queryset = board.issues.filter(status="open")
        self.helper = _helper(
            Field.text("title"), Field.text("presenter"), Field("papers"), Field.select("issue"), submit="Add item"
        )

    def clean_papers(self):
        papers = self.cleaned_data.get("papers")
        if papers:
            extension = papers.name.rsplit(".", 1)[-1].lower() if "." in papers.name else ""
            if extension not in PAPER_EXTENSIONS:
                raise forms.ValidationError("The papers must be a PDF, Word, spreadsheet or text file")
        return papers


class AgendaItemEditForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Enter the item's title"})
    presenter = forms.CharField(max_length=200, required=False)
    papers = forms.FileField(
        required=False,
        label="Replace the papers",
        help_text=f"{', '.join(PAPER_EXTENSIONS).upper()}, smaller than 10 MB",
    )
    remove_papers = forms.BooleanField(required=False, label="Remove the attached papers")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("title"),
            Field.text("presenter"),
            Field("papers"),
            Field.checkbox("remove_papers"),
            submit="Save changes",
        )

    clean_papers = AgendaItemForm.clean_papers


class IssueAgendaForm(forms.Form):
    meeting = forms.ModelChoiceField(
        queryset=None,
        label="Which planned meeting?",
        error_messages={"required": "Select a planned meeting", "invalid_choice": "Select a planned meeting"},
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda m: f"{m.date.day} {m.date:%B %Y}, {m.place or 'video call'}"


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), error_messages={"required": "Enter the minutes"}
    )
    decisions = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("minutes"), Field.textarea("decisions"), submit="Save minutes")


def _board_people(board):
    return get_user_model().objects.filter(board_memberships__board=board).select_related("membership__organisation")


class AttendanceRegisterForm(forms.Form):
    """The meeting's register: one present / apologies / absent choice per board member."""

    def __init__(self, *args, members, recorded: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {}
        layout = []
        for member in members:
            name = f"person_{member.person_id}"
            self.people[name] = member.person
            self.fields[name] = forms.ChoiceField(
                choices=Attendance.Status.choices,
                widget=forms.RadioSelect,
                required=False,
                label=f"{member.person.get_full_name() or member.person.username} ({member.organisation.display_name})",
                initial=recorded.get(member.person_id),
            )
            layout.append(Field.radios(name, legend_size=Size.SMALL, inline=True, small=True))
        self.helper = _helper(*layout, submit="Save the register")

    def statuses(self) -> list:
        """(person, status) for every member given a status."""
        return [(self.people[name], status) for name, status in self.cleaned_data.items() if status]


class ActionForm(forms.Form):
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Action")
    owner = StaffChoiceField(queryset=None)
    due_on = GovDateField(what="Due date", not_before_year=2000)

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _board_people(board)
        self.helper = _helper(
            Field.textarea("description"), Field.select("owner"), Field("due_on"), submit="Add action"
        )


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Action.Status.choices)


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
        self.helper = _helper(
            Field.text("title"),
            Field.radios("category", legend_size=Size.SMALL),
            Field.textarea("description"),
            Field.textarea("lowest_level_attempt"),
            Field.select("referred_to"),
            submit="Raise issue",
        )


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
        self.helper = _helper(
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
        self.helper = _helper(
            Field.textarea("outcome"),
            Field.checkboxes("communicated_contacts", legend_size=Size.SMALL, small=True),
            Field.textarea("communication_notes"),
            Field.checkbox("confirmed"),
            submit="Resolve",
        )
