from datetime import date

import factory
from factory.django import DjangoModelFactory

from referrals.models import Client, Consent
from tests.partnerships.factories import OrganisationFactory, UserFactory


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
