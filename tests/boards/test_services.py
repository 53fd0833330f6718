from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from boards import services
from boards.forms import AgendaItemForm
from boards.issue_targets import issue_target_date
from boards.models import Attendance, Board, BoardMember, Issue, IssueEscalation, Meeting
from boards.selectors import board_list_with_compliance, issue_contacts_for_resolution
from core.models import Notification
from partnerships.models import Role
from tests.boards.factories import AgendaItemFactory, BoardFactory, IssueFactory, MeetingFactory
from tests.partnerships.factories import ContactFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


# --- Boards ------------------------------------------------------------------------------------


def test_board_create_with_co_chairs_from_two_organisations(secretary, la_chair, council, user_with_roles):
    jcp = OrganisationFactory(name="Northshire Jobcentre Plus", kind="jobcentre_plus")
    jcp_chair = user_with_roles(jcp, Role.PARTNERSHIP_MANAGER)
    # when
    board = services.board_create(
        by=secretary,
        organisations=[jcp, council],
        co_chair_a=jcp_chair,
        co_chair_b=la_chair,
        title="Northshire Joint Board",
        kind=Board.Kind.JCP_LA,
        district="Northshire",
        scope=Board.Scope.JOINT,
        established_on=date(2025, 4, 1),
    )
    # then
    assert board.meeting_rule == Board.MeetingRule.TWO_IN_12_MONTHS
    assert set(board.organisations.all()) == {jcp, council}
    assert set(board.members.values_list("role", flat=True)) == {BoardMember.Role.CO_CHAIR}
    assert board.history.first().history_user == secretary


def test_management_board_defaults_to_quarterly(secretary, la_chair, council, user_with_roles):
    nhs = OrganisationFactory(name="Northshire NHS Trust", kind="nhs")
    board = services.board_create(
        by=secretary,
        organisations=[nhs, council],
        co_chair_a=user_with_roles(nhs),
        co_chair_b=la_chair,
        title="Joint team Strategic Management Board",
        kind=Board.Kind.MANAGEMENT,
        district="Northshire",
        scope=Board.Scope.JOINT,
        established_on=date(2025, 4, 1),
    )
    assert board.meeting_rule == Board.MeetingRule.QUARTERLY


def test_co_chairs_from_the_same_organisation_are_refused(secretary, la_chair, council, user_with_roles):
    with pytest.raises(ValidationError, match="different lead organisations"):
        services.board_create(
            by=secretary,
            organisations=[council],
            co_chair_a=user_with_roles(council),
            co_chair_b=la_chair,
            title="One-sided board",
            kind=Board.Kind.JCP_LA,
            district="Northshire",
            scope=Board.Scope.JOINT,
            established_on=date(2025, 4, 1),
        )
    assert not Board.objects.exists()


def test_a_person_is_a_member_of_a_board_once(board, secretary, la_chair):
    with pytest.raises(ValidationError, match="already a member"):
        services.board_member_add(board=board, person=la_chair, role=BoardMember.Role.MEMBER, by=secretary)
    with pytest.raises(IntegrityError), transaction.atomic():
        BoardMember.objects.create(board=board, person=la_chair, organisation=la_chair.membership.organisation)


def test_cancelled_and_planned_meetings_do_not_count_towards_the_rule(board, la_chair):
    # given one held meeting in the last 12 months, plus a cancelled and a planned one
    MeetingFactory(board=board, date=date(2025, 9, 1), status=Meeting.Status.HELD)
    MeetingFactory(board=board, date=date(2025, 12, 1), status=Meeting.Status.CANCELLED)
    MeetingFactory(board=board, date=date(2026, 2, 1), status=Meeting.Status.PLANNED)
    # when
    [listed] = board_list_with_compliance(user=la_chair, today=date(2026, 3, 1))
    # then
    assert listed.compliance.falling_short
    MeetingFactory(board=board, date=date(2026, 1, 20), status=Meeting.Status.HELD)
    [listed] = board_list_with_compliance(user=la_chair, today=date(2026, 3, 1))
    assert not listed.compliance.falling_short


# --- Meetings ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "to", "allowed"),
    [
        ("planned", "held", True),
        ("planned", "cancelled", True),
        ("cancelled", "planned", True),
        ("cancelled", "held", False),
        ("held", "cancelled", False),
        ("held", "planned", False),
        ("planned", "planned", False),
    ],
)
def test_meeting_status_transitions(board, secretary, start, to, allowed):
    meeting = MeetingFactory(board=board, date=date(2026, 3, 10), status=start)
    if allowed:
        services.meeting_status_set(meeting_id=meeting.pk, to=to, by=secretary, today=date(2026, 3, 10))
        meeting.refresh_from_db()
        assert meeting.status == to
    else:
        with pytest.raises(services.InvalidTransition):
            services.meeting_status_set(meeting_id=meeting.pk, to=to, by=secretary, today=date(2026, 3, 10))


def test_a_meeting_cannot_be_held_before_its_date(board, secretary):
    meeting = MeetingFactory(board=board, date=date(2026, 3, 10))
    with pytest.raises(services.InvalidTransition, match="before its date"):
        services.meeting_status_set(meeting_id=meeting.pk, to="held", by=secretary, today=date(2026, 3, 9))


def test_agenda_items_are_numbered_in_the_order_added(board, secretary):
    meeting = MeetingFactory(board=board)
    for title in ["Apologies and minutes", "Performance", "Any other business"]:
        services.agenda_item_add(meeting=meeting, by=secretary, title=title)
    assert [(i.position, i.title) for i in meeting.agenda_items.all()] == [
        (1, "Apologies and minutes"),
        (2, "Performance"),
        (3, "Any other business"),
    ]


def test_papers_of_the_wrong_type_are_rejected_by_the_form(board):
    upload = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    form = AgendaItemForm(data={"title": "Papers"}, files={"papers": upload}, board=board)
    assert not form.is_valid()
    assert "papers" in form.errors


def test_papers_over_10_mb_are_rejected(board, secretary):
    meeting = MeetingFactory(board=board)
    upload = SimpleUploadedFile("big.pdf", b"x" * (10 * 1024 * 1024 + 1), content_type="application/pdf")
    with pytest.raises(ValidationError, match="10 MB"):
        services.agenda_item_add(meeting=meeting, by=secretary, title="Big papers", papers=upload)


def test_attendance_and_minutes_are_recorded(board, secretary, la_chair):
    meeting = MeetingFactory(board=board)
    item = AgendaItemFactory(meeting=meeting, position=1)
    services.attendance_record(meeting=meeting, person=la_chair, status="apologies", by=secretary)
    services.attendance_record(meeting=meeting, person=la_chair, status="present", by=secretary)
    services.agenda_item_minutes_record(
        item=item, by=secretary, minutes="Clearance times improved.", decisions="Keep the weekly call."
    )
    assert Attendance.objects.get(meeting=meeting, person=la_chair).status == "present"
    item.refresh_from_db()
    assert item.minutes == "Clearance times improved." and item.decisions == "Keep the weekly call."
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(meeting=meeting, person=la_chair, status="absent")


def test_an_action_owner_must_be_a_board_member(board, secretary, outsider):
    item = AgendaItemFactory(meeting=MeetingFactory(board=board), position=1)
    with pytest.raises(ValidationError, match="member of the board"):
        services.action_add(item=item, by=secretary, description="x", owner=outsider, due_on=date(2026, 4, 1))
    action = services.action_add(
        item=item, by=secretary, description="Send figures", owner=board.co_chair_b, due_on=date(2026, 4, 1)
    )
    assert action.is_overdue(date(2026, 4, 2)) and not action.is_overdue(date(2026, 4, 1))


# --- Issues log --------------------------------------------------------------------------------


def test_an_issue_starts_at_level_1(board, la_chair):
    issue = services.issue_raise(
        board=board,
        by=la_chair,
        title="CoC not received",
        category="coc_not_received",
        description="d",
        lowest_level_attempt="Phoned the BDC",
        today=date(2026, 3, 2),
    )
    assert issue.level == 1 and issue.level_since == date(2026, 3, 2)
    assert issue.raised_by_organisation == la_chair.membership.organisation


def test_escalation_goes_one_level_at_a_time_recording_who_and_why(board, secretary):
    issue = IssueFactory(board=board)
    for to_level in (2, 3, 4, 5):
        services.issue_escalate(
            issue_id=issue.pk,
            to_level=to_level,
            reason=f"Unresolved at {to_level - 1}",
            lower_level_attempt="Tried",
            by=secretary,
            today=date(2026, 3, 20),
        )
    issue.refresh_from_db()
    assert issue.level == 5 and issue.level_since == date(2026, 3, 20)
    steps = list(issue.escalations.values_list("from_level", "to_level", "escalated_by"))
    assert steps == [(1, 2, secretary.pk), (2, 3, secretary.pk), (3, 4, secretary.pk), (4, 5, secretary.pk)]
    with pytest.raises(services.InvalidTransition):
        services.issue_escalate(issue_id=issue.pk, to_level=6, reason="r", lower_level_attempt="t", by=secretary)


def test_escalation_that_skips_a_level_is_refused(board, secretary):
    issue = IssueFactory(board=board)
    with pytest.raises(services.InvalidTransition, match="one level at a time"):
        services.issue_escalate(issue_id=issue.pk, to_level=3, reason="Urgent", lower_level_attempt="t", by=secretary)
    issue.refresh_from_db()
    assert issue.level == 1 and not IssueEscalation.objects.exists()


@pytest.mark.parametrize(("reason", "attempt"), [("", "Tried"), ("Stuck", "  ")])
def test_escalation_without_a_reason_or_lower_level_attempt_is_refused(board, secretary, reason, attempt):
    issue = IssueFactory(board=board)
    with pytest.raises(ValidationError):
        services.issue_escalate(issue_id=issue.pk, to_level=2, reason=reason, lower_level_attempt=attempt, by=secretary)


def test_a_resolved_issue_cannot_be_escalated_or_resolved_again(board, secretary):
    issue = IssueFactory(board=board)
    services.issue_resolve(issue_id=issue.pk, outcome="Fixed", by=secretary)
    with pytest.raises(services.InvalidTransition, match="resolved issue"):
        services.issue_escalate(issue_id=issue.pk, to_level=2, reason="r", lower_level_attempt="t", by=secretary)
    with pytest.raises(services.InvalidTransition):
        services.issue_resolve(issue_id=issue.pk, outcome="Again", by=secretary)


def test_level_outside_1_to_5_is_impossible_in_the_database(board):
    issue = IssueFactory(board=board)
    with pytest.raises(IntegrityError), transaction.atomic():
        Issue.objects.filter(pk=issue.pk).update(level=6)


def test_resolution_records_the_outcome_and_the_contacts_told_and_tells_the_originator(
    board, secretary, la_chair, mailoutbox, django_capture_on_commit_callbacks
):
    # given a Jobcentre Plus Benefit Processing Manager in the contacts directory (JCP is on the board)
    jcp = board.co_chair_a.membership.organisation
    bpm = ContactFactory(organisation=jcp, name="Robin Shaw", function="benefit_processing_manager")
    issue = IssueFactory(board=board, raised_by=la_chair)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_resolve(
            issue_id=issue.pk,
            outcome="The BDC now sends CoC daily.",
            communicated_contacts=[bpm],
            communication_notes="Told at the weekly call.",
            by=secretary,
            today=date(2026, 3, 9),
        )
    # then
    issue.refresh_from_db()
    assert issue.status == Issue.Status.RESOLVED and issue.resolved_on == date(2026, 3, 9)
    assert issue.resolved_by == secretary and issue.communication_notes == "Told at the weekly call."
    assert list(issue.communicated_contacts.all()) == [bpm]
    latest = issue.history.first()
    assert latest.history_user == secretary and [c.contact_id for c in latest.communicated_contacts.all()] == [bpm.pk]
    note = Notification.objects.get(recipient=la_chair)
    assert note.title == "Issue resolved: New claims delayed"
    assert "The BDC now sends CoC daily." in note.body and "Robin Shaw" in note.body
    assert [m.to for m in mailoutbox] == [[la_chair.email]]


def test_resolution_refuses_a_contact_of_an_organisation_not_on_the_board(board, secretary, other_organisation):
    stranger = ContactFactory(organisation=other_organisation, name="Alex Far")
    issue = IssueFactory(board=board)
    with pytest.raises(ValidationError, match="board's organisations"):
        services.issue_resolve(issue_id=issue.pk, outcome="Fixed", communicated_contacts=[stranger], by=secretary)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.OPEN and not Notification.objects.exists()


def test_the_contact_it_was_referred_to_can_be_told_even_from_another_organisation(
    board, secretary, other_organisation
):
    national = ContactFactory(organisation=other_organisation, name="Chris Bullen")
    issue = IssueFactory(board=board, referred_to=national)
    offered = list(issue_contacts_for_resolution(issue=issue))
    assert national in offered
    services.issue_resolve(issue_id=issue.pk, outcome="Fixed", communicated_contacts=[national], by=secretary)
    assert list(issue.communicated_contacts.all()) == [national]


def test_resolution_needs_an_outcome(board, secretary):
    issue = IssueFactory(board=board)
    with pytest.raises(ValidationError):
        services.issue_resolve(issue_id=issue.pk, outcome=" ", by=secretary)


def test_issue_target_date_counts_working_days_per_level(board):
    # Friday 6 March 2026 + 5 working days (level 1 target) = Friday 13 March 2026
    issue = IssueFactory(board=board, level_since=date(2026, 3, 6))
    assert issue_target_date(issue) == date(2026, 3, 13)


def test_issue_level_targets_are_configurable(board, settings):
    settings.BOARDS_ISSUE_LEVEL_TARGET_DAYS = {1: 1, 2: 2, 3: 3, 4: 4, 5: 5}
    issue = IssueFactory(board=board, level_since=date(2026, 3, 6))
    assert issue_target_date(issue) == date(2026, 3, 9)


def test_other_board_factory_works():
    assert BoardFactory().members.count() == 2
