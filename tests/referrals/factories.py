from datetime import date

import factory
from factory.django import DjangoModelFactory

from referrals.models import Client, Consent, Referral
from referrals.services import referral_create, referral_send
from tests.partnerships.factories import OrganisationFactory, UserFactory

# Monday 23 November 2026: acknowledge by Wednesday 25th, complete by Monday 21 December (the defaults).
SENT_ON = date(2026, 11, 23)


class ClientFactory(DjangoModelFactory):
    class Meta:
        model = Client

    organisation = factory.SubFactory(OrganisationFactory)
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = date(1945, 5, 8)
    nino = factory.Sequence(lambda n: f"AB{n:06d}C")
    address_line_1 = factory.Faker("street_address", locale="en_GB")
    town = "Northby"
    postcode = "NE1 6BS"


class ConsentFactory(DjangoModelFactory):
    class Meta:
        model = Consent
        skip_postgeneration_save = True

    client = factory.SubFactory(ClientFactory)
    purposes = factory.LazyFunction(lambda: [Consent.Purpose.BENEFIT_CHECK])
    method = Consent.Method.WRITTEN
    given_on = date(2026, 10, 1)
    recorded_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisations.set(extracted)


def consent_for(client: Client, *organisations, purposes=("benefit_check",), given_on=date(2020, 1, 1)) -> Consent:
    """The client's consent to share with the organisations (for a benefit check, by default), long in force."""
    return ConsentFactory(client=client, organisations=list(organisations), purposes=list(purposes), given_on=given_on)


def referral_draft(client: Client, by, to, **extra) -> Referral:
    """A draft referral of the client from `by`'s organisation to `to`: a Pension Credit check, by default."""
    fields = {"referral_type": "pension_credit", "reason": "Low income", **extra}
    return referral_create(client=client, by=by, to_organisation=to, **fields)


def referral_sent(client: Client, by, to, *, consent: bool = True, on: date | None = None, **extra) -> Referral:
    """A referral drafted and sent (on `on`, today by default), under a consent covering it unless
    `consent` is False."""
    if consent:
        consent_for(client, to)
    draft = referral_draft(client, by, to, **extra)
    return referral_send(referral_id=draft.pk, by=by, on=on)
