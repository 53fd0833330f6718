"""Forms for Joint Boards: parse and validate input; the services apply the business rules."""

from .boards import BoardEditForm, BoardForm, BoardMemberForm
from .common import StaffChoiceField
from .issues import EscalateForm, IssueAgendaForm, IssueForm, ResolveForm
from .meetings import (
    ActionForm,
    ActionStatusForm,
    AgendaItemEditForm,
    AgendaItemForm,
    AttendanceRegisterForm,
    MeetingForm,
    MinutesForm,
)

__all__ = [
    "ActionForm",
    "ActionStatusForm",
    "AgendaItemEditForm",
    "AgendaItemForm",
    "AttendanceRegisterForm",
    "BoardEditForm",
    "BoardForm",
    "BoardMemberForm",
    "EscalateForm",
    "IssueAgendaForm",
    "IssueForm",
    "MeetingForm",
    "MinutesForm",
    "ResolveForm",
    "StaffChoiceField",
]
