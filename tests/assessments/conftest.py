"""Fixtures shared by the assessments tests: a pensioner client of the council and a draft of theirs."""

from datetime import date
from decimal import Decimal

import pytest

from assessments import services
from tests.referrals.factories import ClientFactory


@pytest.fixture
def client_record(council):
    """A client born 1 January 1950: over State Pension age in every year the tests use."""
    return ClientFactory(organisation=council, date_of_birth=date(1950, 1, 1))


@pytest.fixture
def draft(client_record, officer):
    """A draft from 1 July 2024 (2024/25 rates): care £250.00 a week, State Pension £300.00 a week."""
    assessment = services.assessment_create(
        client=client_record, by=officer, effective_date=date(2024, 7, 1), weekly_care_cost=Decimal("250.00")
    )
    services.income_line_add(assessment=assessment, by=officer, type="state_pension", amount=Decimal("300.00"))
    return assessment
