from datetime import date
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from partnerships.models import (
    Accreditation,
    ActionPlanItem,
    Agreement,
    Contact,
    Organisation,
    Partnership,
    PartnershipMember,
    PartnershipReview,
    ReferralType,
    RoutingRule,
    ServiceLevel,
    StaffMembership,
    Team,
)


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.COUNCIL
    district = "Northshire"


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct-horse-battery")


class StaffMembershipFactory(DjangoModelFactory):
    class Meta:
        model = StaffMembership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    team = factory.SubFactory(TeamFactory, organisation=factory.SelfAttribute("..organisation"))


class StaffUserFactory(UserFactory):
    """A user with a staff membership (organisation and team); give roles with `user.groups.set`."""

    membership = factory.RelatedFactory(StaffMembershipFactory, factory_related_name="user")


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Faker("name", locale="en_GB")
    function = Contact.Function.PARTNERSHIP_MANAGER
    email = factory.Sequence(lambda n: f"contact{n}@example.org")
    phone = "0191 496 0000"
    last_verified_on = factory.LazyFunction(date.today)


class PartnershipFactory(DjangoModelFactory):
    """A partnership; pass `members=[org_a, org_b]` to add its organisations."""

    class Meta:
        model = Partnership
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Partnership {n}")
    kind = Partnership.Kind.REFERRAL_SYSTEM
    purpose = "Maximise take-up of pensions and benefits among older people."
    start_date = date(2025, 4, 1)
    status = Partnership.Status.ACTIVE

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            for organisation in extracted:
                PartnershipMember.objects.create(partnership=self, organisation=organisation)


class AgreementFactory(DjangoModelFactory):
    class Meta:
        model = Agreement

    partnership = factory.SubFactory(PartnershipFactory)
    kind = Agreement.Kind.SLA
    title = factory.Sequence(lambda n: f"Service level agreement {n}")
    signed_on = date(2025, 4, 1)
    review_due_on = date(2027, 3, 31)


class ServiceLevelFactory(DjangoModelFactory):
    class Meta:
        model = ServiceLevel

    agreement = factory.SubFactory(AgreementFactory)
    referral_type = ReferralType.PENSION_CREDIT
    acknowledge_working_days = 3
    complete_working_days = 15


class RoutingRuleFactory(DjangoModelFactory):
    class Meta:
        model = RoutingRule

    agreement = factory.SubFactory(AgreementFactory)
    receiving_organisation = factory.SubFactory(OrganisationFactory)
    referral_types = factory.LazyFunction(lambda: [ReferralType.PENSION_CREDIT])


class AccreditationFactory(DjangoModelFactory):
    class Meta:
        model = Accreditation

    officer = factory.SubFactory(StaffUserFactory)
    accrediting_organisation = factory.SubFactory(OrganisationFactory)
    kind = Accreditation.Kind.PENSION_CREDIT_CLAIMS
    trained_on = date(2026, 1, 10)
    expires_on = date(2027, 1, 9)


class ActionPlanItemFactory(DjangoModelFactory):
    class Meta:
        model = ActionPlanItem

    partnership = factory.SubFactory(PartnershipFactory)
    action = "Brief hospital discharge team on Attendance Allowance referrals"
    owner = factory.SubFactory(UserFactory)
    milestone_date = date(2027, 1, 31)
    indicator = "Referrals from the discharge team each month"


class PartnershipReviewFactory(DjangoModelFactory):
    class Meta:
        model = PartnershipReview

    partnership = factory.SubFactory(PartnershipFactory)
    kind = PartnershipReview.Kind.INTERIM
    period_start = date(2026, 4, 1)
    period_end = date(2026, 9, 30)
    reviewed_on = date(2026, 10, 15)
    referrals_sent = 40
    referrals_received = 12
    awards = 9
    weekly_amount_gained = Decimal("412.35")
    reviewed_by = factory.SubFactory(UserFactory)
