"""Fixtures shared by the referrals app's tests: the Pension Service as the partner receiving referrals,
its staff, a council client (Edith Wainwright, born 27 March 1938) and a referral of hers sent to it."""

from datetime import date

import pytest

from partnerships.models import Role
from tests.partnerships.factories import OrganisationFactory
from tests.referrals.factories import SENT_ON, ClientFactory, referral_sent


@pytest.fixture
def pension():
    return OrganisationFactory(name="The Pension Service", kind="pension_service")


@pytest.fixture
def pension_officer(pension, user_with_roles):
    return user_with_roles(pension, Role.VISITING_OFFICER)


@pytest.fixture
def pension_manager(pension, user_with_roles):
    return user_with_roles(pension, Role.TEAM_MANAGER)


@pytest.fixture
def edith(council):
    return ClientFactory(
        organisation=council, first_name="Edith", last_name="Wainwright", date_of_birth=date(1938, 3, 27)
    )


@pytest.fixture
def sent(edith, officer, pension):
    """Edith's Pension Credit referral from the council's officer to the Pension Service, sent on SENT_ON."""
    return referral_sent(edith, officer, pension, on=SENT_ON)
