"""Build the demo data: four partner organisations, one account per role, a few clients with consent.

Idempotent: running it again updates the same records and adds nothing twice.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from partnerships.models import Organisation, Role, StaffMembership, Team
from referrals.models import Client, Consent
from referrals.services import client_create, consent_record

DEMO_PASSWORD = "jointcase-demo-2026"

ORGANISATIONS = [
    # (name, short name, kind, teams)
    (
        "Northshire County Council",
        "Northshire CC",
        Organisation.Kind.COUNCIL,
        ["Fairer Charging visiting team", "Joint Team", "Direct Payments team", "Finance", "Partnerships"],
    ),
    (
        "The Pension Service, Northshire",
        "Pension Service",
        Organisation.Kind.PENSION_SERVICE,
        ["Local Service visiting team"],
    ),
    ("Northshire NHS Foundation Trust", "Northshire NHS", Organisation.Kind.NHS, ["Hospital discharge team"]),
    ("Age UK Northshire", "Age UK", Organisation.Kind.VOLUNTARY, ["Information and advice"]),
]

USERS = [
    # (username, first, last, organisation short name, team, roles, is_staff)
    ("officer", "Olivia", "Okafor", "Northshire CC", "Fairer Charging visiting team", [Role.VISITING_OFFICER], False),
    ("manager", "Manoj", "Mistry", "Northshire CC", "Fairer Charging visiting team", [Role.TEAM_MANAGER], False),
    ("partnerships", "Priya", "Patel", "Northshire CC", "Partnerships", [Role.PARTNERSHIP_MANAGER], False),
    ("secretary", "Sam", "Sinclair", "Northshire CC", "Joint Team", [Role.BOARD_SECRETARY], False),
    ("finance", "Fiona", "Fraser", "Northshire CC", "Finance", [Role.FINANCE_OFFICER], False),
    ("approver", "Adam", "Ashworth", "Northshire CC", "Finance", [Role.FINANCE_APPROVER], False),
    ("admin", "Ada", "Administrator", "Northshire CC", "Joint Team", [Role.ADMIN], True),
    ("pension", "Paul", "Pearson", "Pension Service", "Local Service visiting team", [Role.VISITING_OFFICER], False),
    ("nhs", "Nia", "Hughes", "Northshire NHS", "Hospital discharge team", [Role.VISITING_OFFICER], False),
    ("ageuk", "Grace", "Gordon", "Age UK", "Information and advice", [Role.VISITING_OFFICER], False),
]

CLIENTS = [
    dict(
        first_name="Edith",
        last_name="Wainwright",
        date_of_birth=date(1938, 3, 27),
        nino="AB123456C",
        address_line_1="14 Mill Lane",
        town="Northby",
        postcode="NE1 6BS",
        phone="0191 496 0001",
        living_situation=Client.LivingSituation.ALONE,
    ),
    dict(
        first_name="George",
        last_name="Pattinson",
        date_of_birth=date(1944, 11, 2),
        nino="CE987654A",
        nhs_number="9434765919",
        address_line_1="2 Station Road",
        town="Northby",
        postcode="NE2 4AB",
        living_situation=Client.LivingSituation.WITH_PARTNER,
        representative_kind=Client.RepresentativeKind.LASTING_POWER_OF_ATTORNEY,
        representative_name="Susan Pattinson",
        representative_phone="07700 900123",
    ),
    dict(
        first_name="Margaret",
        last_name="Doyle",
        date_of_birth=date(1951, 6, 15),
        nino="JH246810B",
        address_line_1="Flat 3, Elm Court",
        town="Southam",
        postcode="NE9 5XY",
        living_situation=Client.LivingSituation.SHELTERED,
        has_safeguarding_concern=True,
        safeguarding_note="Financial abuse alleged by neighbour; see safeguarding team before visiting.",
    ),
]


class Command(BaseCommand):
    help = "Create or update the demo organisations, accounts (one per role) and clients."

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        organisations = {}
        teams = {}
        for name, short, kind, team_names in ORGANISATIONS:
            org, _ = Organisation.objects.update_or_create(
                name=name, defaults={"short_name": short, "kind": kind, "district": "Northshire"}
            )
            organisations[short] = org
            for team_name in team_names:
                teams[(short, team_name)], _ = Team.objects.get_or_create(organisation=org, name=team_name)

        users = {}
        for username, first, last, org_short, team_name, roles, is_staff in USERS:
            user, created = User.objects.get_or_create(username=username)
            user.first_name, user.last_name = first, last
            user.email = f"{username}@demo.jointcase.invalid"
            user.is_staff = is_staff
            user.is_superuser = is_staff
            if created or not user.has_usable_password():
                user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.set(Group.objects.filter(name__in=[str(role) for role in roles]))
            StaffMembership.objects.update_or_create(
                user=user,
                defaults={
                    "organisation": organisations[org_short],
                    "team": teams[(org_short, team_name)],
                    "job_title": ", ".join(Role(role).label for role in roles),
                },
            )
            users[username] = user

        council = organisations["Northshire CC"]
        officer = users["officer"]
        for data in CLIENTS:
            client = Client.objects.filter(organisation=council, nino=data["nino"]).first()
            if client is None:
                client = client_create(by=officer, organisation=council, **data)
            if not Consent.objects.filter(client=client).exists():
                consent_record(
                    client=client,
                    by=officer,
                    organisations=[organisations["Pension Service"], organisations["Age UK"]],
                    purposes=[Consent.Purpose.BENEFIT_CHECK, Consent.Purpose.FINANCIAL_ASSESSMENT],
                    method=Consent.Method.WRITTEN,
                    given_on=date(2026, 10, 1),
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(organisations)} organisations, {len(users)} accounts "
                f"(password '{DEMO_PASSWORD}'), {len(CLIENTS)} clients."
            )
        )
