"""Fixtures shared by the direct payments tests: the council's finance staff, an agreement, and a run taken
all the way to paid."""

from datetime import date

import pytest

from directpayments.services import (
    payment_run_approve,
    payment_run_export,
    payment_run_mark_paid,
    payment_run_prepare,
    payment_run_submit,
)
from partnerships.models import Role
from tests.form_data import govuk_date_fields
from tests.referrals.factories import ClientFactory

from .factories import AgreementFactory


@pytest.fixture
def preparer(council, user_with_roles):
    """A finance officer of the council: prepares, submits and exports the runs."""
    return user_with_roles(council, Role.FINANCE_OFFICER)


@pytest.fixture
def approver(council, user_with_roles):
    """A finance approver of the council: approves a run someone else prepared."""
    return user_with_roles(council, Role.FINANCE_APPROVER)


@pytest.fixture
def agreement(council):
    """An active bank-account agreement of the council's client from 1 January 2026: £100.00 a week net,
    so April 2026 (30 days) pays £428.57."""
    return AgreementFactory(client=ClientFactory(organisation=council))


@pytest.fixture
def settle(council, preparer, approver):
    """Prepare a month's run and take it all the way to paid: `settle(date(2026, 4, 1))`."""

    def _settle(month: date):
        run = payment_run_prepare(organisation=council, month=month, by=preparer)
        payment_run_submit(run_id=run.pk, by=preparer)
        payment_run_approve(run_id=run.pk, by=approver)
        payment_run_export(run_id=run.pk, by=preparer)
        return payment_run_mark_paid(run_id=run.pk, by=approver)

    return _settle


@pytest.fixture
def agreement_form():
    """What the agreement page posts: from 1 April 2026, £150.00 a week, 6 weeks' contingency, paid into a
    bank account; `person` (the client, when setting up) and the other fields given."""

    def _form(*, person=None, **fields) -> dict:
        data = {
            **govuk_date_fields("start_date", date(2026, 4, 1)),
            "weekly_budget": "150.00",
            "account_type": "bank_account",
            "contingency_weeks": "6",
        }
        if person is not None:
            data["client"] = person.pk
        return data | fields

    return _form
