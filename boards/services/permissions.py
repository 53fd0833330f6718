"""What the Joint Boards services share: the audited save, the refused-transition error, and the rules' constants."""

from core.access import organisation_of
from partnerships.models import Organisation

from ..models import (
    Board,
    Meeting,
)

BOARD_FIELDS = ["title", "kind", "district", "scope", "terms_of_reference", "established_on", "erm_contact", "comments"]
MEETING_FIELDS = ["date", "time", "place", "video_link"]
# Days an action may be overdue before the secretariat is told as well as the owner.
ACTION_SECRETARIAT_AFTER_DAYS = 7

MEETING_TRANSITIONS = {
    Meeting.Status.PLANNED: {Meeting.Status.HELD, Meeting.Status.CANCELLED},
    Meeting.Status.CANCELLED: {Meeting.Status.PLANNED},
    Meeting.Status.HELD: set(),
}
DEFAULT_RULE_FOR_KIND = {
    Board.Kind.JCP_LA: Board.MeetingRule.TWO_IN_12_MONTHS,
    Board.Kind.MANAGEMENT: Board.MeetingRule.QUARTERLY,
    Board.Kind.FORUM: Board.MeetingRule.NONE,
}


class InvalidTransition(Exception):
    """A status change the pipeline does not allow."""


def _save(instance, *, by, exclude=None):
    instance.full_clean(exclude=exclude)
    instance._history_user = by
    instance.save()
    return instance


def _person_organisation(person) -> Organisation | None:
    return organisation_of(person)
