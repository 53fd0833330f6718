import pytest

from partnerships.models import Role
from tests.boards.factories import BoardFactory


@pytest.fixture
def secretary(council, user_with_roles):
    return user_with_roles(council, Role.BOARD_SECRETARY)


@pytest.fixture
def la_chair(council, user_with_roles):
    return user_with_roles(council, Role.PARTNERSHIP_MANAGER)


@pytest.fixture
def board(la_chair):
    """A JCP/LA Joint Board of Northshire Jobcentre Plus and the council (co-chaired by la_chair)."""
    return BoardFactory(title="Northshire JCP/LA Joint Board", co_chair_b=la_chair)
