"""Forms: meetings, agenda items and their papers, attendance, minutes and actions."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from core.forms import GovDateField

from ..models import PAPER_EXTENSIONS, Action, Attendance
from ..papers import extension_of
from .common import StaffChoiceField, board_people, form_helper


class MeetingForm(forms.Form):
    date = GovDateField(what="Meeting date", not_before_year=2000)
    time = forms.TimeField(required=False, help_text="For example, 14:30")
    place = forms.CharField(max_length=200, required=False)
    video_link = forms.URLField(required=False, label="Video link", assume_scheme="https")

    def __init__(self, *args, submit: str = "Plan meeting", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
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
        self.helper = form_helper(
            Field.text("title"), Field.text("presenter"), Field("papers"), Field.select("issue"), submit="Add item"
        )

    def clean_papers(self):
        papers = self.cleaned_data.get("papers")
        if papers and extension_of(papers.name) not in PAPER_EXTENSIONS:
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
        self.helper = form_helper(
            Field.text("title"),
            Field.text("presenter"),
            Field("papers"),
            Field.checkbox("remove_papers"),
            submit="Save changes",
        )

    clean_papers = AgendaItemForm.clean_papers


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), error_messages={"required": "Enter the minutes"}
    )
    decisions = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.textarea("minutes"), Field.textarea("decisions"), submit="Save minutes")


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
        self.helper = form_helper(*layout, submit="Save the register")

    def statuses(self) -> list:
        """(person, status) for every member given a status."""
        return [(self.people[name], status) for name, status in self.cleaned_data.items() if status]


class ActionForm(forms.Form):
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Action")
    owner = StaffChoiceField(queryset=None)
    due_on = GovDateField(what="Due date", not_before_year=2000)

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = board_people(board)
        self.helper = form_helper(
            Field.textarea("description"), Field.select("owner"), Field("due_on"), submit="Add action"
        )


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Action.Status.choices)
