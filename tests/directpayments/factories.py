from datetime import date
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from directpayments.models import Agreement, PaymentRun
from tests.referrals.factories import ClientFactory


class AgreementFactory(DjangoModelFactory):
    class Meta:
        model = Agreement

    client = factory.SubFactory(ClientFactory)
    start_date = date(2026, 1, 1)
    weekly_budget = Decimal("100.00")
    weekly_contribution = Decimal("0.00")
    account_type = Agreement.AccountType.BANK_ACCOUNT
    sort_code = "309430"
    account_number = "00733445"
    account_name = factory.LazyAttribute(lambda o: f"{o.client.first_name} {o.client.last_name}")
    supplier_number = factory.Sequence(lambda n: f"V{n:06d}")
    status = Agreement.Status.ACTIVE

    class Params:
        # Paid onto a prepaid card (give its `card_reference`): no bank details.
        prepaid_card = factory.Trait(account_type=Agreement.AccountType.PREPAID_CARD, sort_code="", account_number="")


class PaymentRunFactory(DjangoModelFactory):
    class Meta:
        model = PaymentRun

    organisation = factory.SubFactory("tests.partnerships.factories.OrganisationFactory")
    month = date(2026, 4, 1)
