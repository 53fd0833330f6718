"""Fixtures shared by the partnerships tests: the Pension Service as the council's partner, their partnership,
and a partnership manager of the council (who keeps the register, the directory and the plans)."""

import pytest

from partnerships.models import Role
from tests.partnerships.factories import OrganisationFactory, PartnershipFactory


@pytest.fixture
def pension_service(db):
    """The DWP Pension Service's Northshire office, a core partner kind (report 693 §2.2)."""
    return OrganisationFactory(
        name="Northshire Pension Service",
        short_name="Pension Service",
        kind="pension_service",
        partner_categories=["pension_service"],
    )


@pytest.fixture
def pension_partnership(council, pension_service):
    """An active partnership of the council and the Pension Service reaching older people."""
    return PartnershipFactory(
        name="Pension Credit take-up", members=[council, pension_service], customer_groups=["older_people"]
    )


@pytest.fixture
def partnership_manager(council, user_with_roles):
    return user_with_roles(council, Role.PARTNERSHIP_MANAGER)
