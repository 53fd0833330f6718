from datetime import date

import pytest

from boards.models import BoardMember
from partnerships.models import Role
from tests.boards.factories import ActionFactory, AgendaItemFactory, BoardFactory, IssueFactory, MeetingFactory


@pytest.fixture
def secretary(council, user_with_roles):
    return user_with_roles(council, Role.BOARD_SECRETARY)


@pytest.fixture
def la_chair(council, user_with_roles):
    return user_with_roles(council, Role.PARTNERSHIP_MANAGER)


@pytest.fixture
def board(la_chair, secretary):
    """A JCP/LA Joint Board of Northshire Jobcentre Plus and the council (co-chaired by la_chair), run
    by `secretary` as its secretariat."""
    board = BoardFactory(title="Northshire JCP/LA Joint Board", co_chair_b=la_chair)
    BoardMember.objects.create(
        board=board, person=secretary, organisation=secretary.membership.organisation, role=BoardMember.Role.SECRETARIAT
    )
    return board


@pytest.fixture
def plain_member(board, council, user_with_roles):
    """A council partnership manager on the board as an ordinary member: reads, but does not run it."""
    person = user_with_roles(council, Role.PARTNERSHIP_MANAGER)
    BoardMember.objects.create(board=board, person=person, organisation=council, role=BoardMember.Role.MEMBER)
    return person


@pytest.fixture
def other_secretary(council, user_with_roles):
    """A board secretary of a member organisation who is not on this board's secretariat."""
    return user_with_roles(council, Role.BOARD_SECRETARY)


@pytest.fixture
def board_records(board, council, user_with_roles):
    """The board's records to change: a planned meeting with one agenda item and an open action (owned by the
    Jobcentre Plus co-chair), an ordinary member and an open issue at level 1."""
    meeting = MeetingFactory(board=board, date=date(2026, 6, 10))
    item = AgendaItemFactory(meeting=meeting, position=1)
    member = BoardMember.objects.create(
        board=board, person=user_with_roles(council, Role.PARTNERSHIP_MANAGER), organisation=council
    )
    return {
        "board": board,
        "meeting": meeting,
        "item": item,
        "action": ActionFactory(agenda_item=item),
        "member": member,
        "issue": IssueFactory(board=board),
    }
