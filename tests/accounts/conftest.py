"""Sign-in test fixtures: an organisation with single sign-on at the real provider of tests/oidc_provider.py."""

from datetime import date

import pytest
from django.contrib.auth.models import Group

from accounts.services import identity_provider_save
from directpayments.services import payment_run_prepare, payment_run_submit
from partnerships.models import Role
from tests.directpayments.factories import AgreementFactory
from tests.oidc_provider import Provider
from tests.partnerships.factories import OrganisationFactory, StaffUserFactory
from tests.referrals.factories import ClientFactory

PASSWORD = "correct-horse-battery"  # tests/partnerships/factories.py


def staff(organisation, *roles, **fields):
    user = StaffUserFactory(membership__organisation=organisation, **fields)
    user.groups.set([Group.objects.get_or_create(name=role)[0] for role in roles])
    return user


@pytest.fixture
def council_admin(council):
    return staff(council, Role.ADMIN, first_name="Ada", last_name="Administrator")


@pytest.fixture
def council_sso(council, council_admin, oidc_provider):
    """Northshire County Council signs its people in at its own provider, for northshire.gov.uk."""
    return identity_provider_save(
        organisation=council,
        issuer_url=oidc_provider.url,
        client_id="jointcase-northshire",
        client_secret="northshire-secret",
        domains=["northshire.gov.uk"],
        is_enabled=True,
        by=council_admin,
    )


@pytest.fixture
def nhs_trust(db):
    return OrganisationFactory(name="Northshire NHS Foundation Trust", kind="nhs")


def sso_sign_in(client, provider: Provider, email: str, sub: str | None = None, **claims):
    """Sign in through the organisation's provider with the test client; returns the last response."""
    provider.user_set(sub or email, email=email, email_verified=True, **claims)
    response = client.post("/sign-in/", {"identifier": email})
    assert response.status_code == 302, response.content[:500]
    back = provider.sign_in(response["Location"], sub or email)
    return client.get(back, follow=True)


@pytest.fixture
def submitted_runs(council):
    """Two council runs waiting for approval (April and May 2026), prepared by a finance officer."""
    preparer = staff(council, Role.FINANCE_OFFICER)
    AgreementFactory(client=ClientFactory(organisation=council), start_date=date(2026, 4, 1))
    runs = []
    for month in (date(2026, 4, 1), date(2026, 5, 1)):
        run = payment_run_prepare(organisation=council, month=month, by=preparer)
        payment_run_submit(run_id=run.pk, by=preparer)
        runs.append(run)
    return runs
