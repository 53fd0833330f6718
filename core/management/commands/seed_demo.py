"""Build the demo data: four partner organisations, one account per role, a few clients with consent.

Idempotent: running it again updates the same records and adds nothing twice.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import demo_two_factor_seed
from partnerships.models import (
    Accreditation,
    Agreement,
    Contact,
    Organisation,
    Partnership,
    ReferralType,
    Role,
    StaffMembership,
    Team,
)
from partnerships.services import (
    accreditation_create,
    action_plan_item_create,
    agreement_create,
    partnership_create,
    routing_rule_set,
    service_level_set,
)
from referrals.models import Client, Consent
from referrals.services import client_create, consent_record

DEMO_PASSWORD = "jointcase-demo-2026"
# The demonstration rates' assumed yearly uprating (a round figure near recent CPI, not a published rate).
DEMO_UPRATING_PERCENT = "3.8"

ORGANISATIONS = [
    # (name, short name, kind, core partner categories for the gap analysis, teams)
    (
        "Northshire County Council",
        "Northshire CC",
        Organisation.Kind.COUNCIL,
        ["adult_social_care", "council_benefits", "council_housing"],
        ["Fairer Charging visiting team", "Joint Team", "Direct Payments team", "Finance", "Partnerships"],
    ),
    (
        "The Pension Service, Northshire",
        "Pension Service",
        Organisation.Kind.PENSION_SERVICE,
        ["pension_service"],
        ["Local Service visiting team"],
    ),
    (
        "Northshire NHS Foundation Trust",
        "Northshire NHS",
        Organisation.Kind.NHS,
        ["nhs_trust", "hospital_discharge"],
        ["Hospital discharge team"],
    ),
    ("Age UK Northshire", "Age UK", Organisation.Kind.VOLUNTARY, ["age_uk"], ["Information and advice"]),
]
# The council's address and phone head its letters (charge letters, surplus notices). 01632 960xxx is
# Ofcom's range for drama: it rings no one.
CONTACT_DETAILS = {
    "Northshire CC": {
        "address": "County Hall\nMarket Street\nNorthby\nNE1 1AA",
        "phone": "01632 960 000",
        "email": "charging@northshire.demo.invalid",
    },
}

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
        for name, short, kind, categories, team_names in ORGANISATIONS:
            org, _ = Organisation.objects.update_or_create(
                name=name,
                defaults={
                    "short_name": short,
                    "kind": kind,
                    "district": "Northshire",
                    "partner_categories": categories,
                    **CONTACT_DETAILS.get(short, {}),
                },
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

        self._seed_rates()
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
        self._seed_register(organisations, users)
        self._seed_referrals(organisations, users)
        self._seed_boards_and_payments(organisations, users)
        self._seed_home_examples(organisations, users)
        # Sign-in (accounts): approver, finance and admin need two-factor; their app keys are in the README.
        demo_two_factor_seed(users=users)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(organisations)} organisations, {len(users)} accounts "
                f"(password '{DEMO_PASSWORD}'), {len(CLIENTS)} clients."
            )
        )

    def _seed_register(self, organisations, users):
        """A joint visiting partnership with an SLA, contacts (one stale), an accreditation, an action."""
        council, pension, nhs = (
            organisations["Northshire CC"],
            organisations["Pension Service"],
            organisations["Northshire NHS"],
        )
        manager = users["partnerships"]
        contacts = {}
        for org, name, function, verified in [
            (council, "Priya Patel", Contact.Function.PARTNERSHIP_MANAGER, date(2026, 10, 1)),
            (pension, "Dev Sharma", Contact.Function.DISTRICT_ERM, date(2026, 9, 14)),
            (pension, "Helen Ward", Contact.Function.NINO_NOMINATED_OFFICER, date(2025, 11, 3)),
            (nhs, "Tom Reid", Contact.Function.HOSPITAL_DISCHARGE_LEAD, date(2026, 6, 30)),
        ]:
            contacts[name], _ = Contact.objects.get_or_create(
                organisation=org,
                name=name,
                defaults={
                    "function": function,
                    "email": f"{name.split()[0].lower()}@{org.short_name.lower().replace(' ', '')}.demo.invalid",
                    "phone": "0191 496 0100",
                    "last_verified_on": verified,
                    "owner": manager,
                    "user": manager if name == "Priya Patel" else None,
                    "is_single_point_of_contact": function == Contact.Function.DISTRICT_ERM,
                },
            )
        partnership = Partnership.objects.filter(name="Northshire joint visiting team").first()
        if partnership is None:
            partnership = partnership_create(
                by=manager,
                organisations=[council, pension],
                key_contacts={council.pk: contacts["Priya Patel"], pension.pk: contacts["Dev Sharma"]},
                name="Northshire joint visiting team",
                kind=Partnership.Kind.JOINT_VISITING,
                scope=Partnership.Scope.OPERATIONAL,
                district="Northshire",
                purpose="One home visit for the Fairer Charging assessment and the Pension Credit claim.",
                customer_groups=["older_people", "low_income_pensioners", "disabled_people"],
                start_date=date(2025, 4, 7),
                next_review_date=date(2026, 12, 15),
            )
            sla = agreement_create(
                partnership=partnership,
                by=manager,
                kind=Agreement.Kind.SLA,
                title="Joint visiting service level agreement",
                version="2.1",
                signed_on=date(2025, 4, 1),
                review_due_on=date(2026, 12, 20),
            )
            service_level_set(
                agreement=sla,
                by=manager,
                referral_type=ReferralType.PENSION_CREDIT,
                acknowledge_working_days=2,
                complete_working_days=15,
            )
            service_level_set(
                agreement=sla,
                by=manager,
                referral_type=ReferralType.ATTENDANCE_ALLOWANCE,
                acknowledge_working_days=2,
                complete_working_days=20,
            )
            routing_rule_set(
                agreement=sla,
                by=manager,
                receiving_organisation=pension,
                referral_types=[
                    ReferralType.PENSION_CREDIT,
                    ReferralType.ATTENDANCE_ALLOWANCE,
                    ReferralType.BENEFIT_CHECK,
                ],
                minimum_age=66,
            )
            accreditation_create(
                by=manager,
                officer=users["officer"],
                accrediting_organisation=pension,
                kind=Accreditation.Kind.PENSION_CREDIT_CLAIMS,
                agreement=sla,
                trained_on=date(2026, 2, 2),
                expires_on=date(2027, 2, 1),
            )
            action_plan_item_create(
                by=manager,
                partnership=partnership,
                owner=manager,
                milestone_date=date(2027, 1, 29),
                action="Brief the hospital discharge team on Attendance Allowance referrals",
                indicator="Referrals from the discharge team each month",
            )

    def _seed_referrals(self, organisations, users):
        """George's Pension Credit referral, answered with an award; Edith's Attendance Allowance
        referral, sent and waiting; a joint visit to Edith next week."""
        from datetime import datetime, timedelta
        from decimal import Decimal

        from django.utils import timezone

        from referrals.models import Referral, Visit
        from referrals.services.referrals import (
            BenefitResult,
            referral_accept,
            referral_complete,
            referral_create,
            referral_send,
        )
        from referrals.services.visits import visit_book

        council, pension = organisations["Northshire CC"], organisations["Pension Service"]
        officer, pension_officer = users["officer"], users["pension"]
        george = Client.objects.get(organisation=council, nino="CE987654A")
        edith = Client.objects.get(organisation=council, nino="AB123456C")
        if not Referral.objects.filter(client=george).exists():
            referral = referral_create(
                client=george,
                by=officer,
                to_organisation=pension,
                referral_type=ReferralType.PENSION_CREDIT,
                reason="Income below the guarantee credit; no Pension Credit in payment.",
            )
            referral_send(referral_id=referral.pk, by=officer)
            referral_accept(referral_id=referral.pk, by=pension_officer)
            referral_complete(
                referral_id=referral.pk,
                by=pension_officer,
                successful=True,
                benefits=[
                    BenefitResult(
                        ReferralType.PENSION_CREDIT,
                        "awarded",
                        Decimal("38.20"),
                        timezone.localdate(),
                        Decimal("152.80"),
                    )
                ],
            )
        if not Referral.objects.filter(client=edith).exists():
            referral = referral_create(
                client=edith,
                by=officer,
                to_organisation=pension,
                referral_type=ReferralType.ATTENDANCE_ALLOWANCE,
                reason="Needs help with personal care day and night; not claiming Attendance Allowance.",
            )
            referral_send(referral_id=referral.pk, by=officer)
        if not Visit.objects.filter(client=edith).exists():
            monday = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday())
            visit_book(
                client=edith,
                by=officer,
                starts_at=timezone.make_aware(datetime.combine(monday, datetime.min.time()).replace(hour=10)),
                kind=Visit.Kind.HOME,
                place="",
                officers=[officer, pension_officer],
                purposes=[Visit.Purpose.FINANCIAL_ASSESSMENT, Visit.Purpose.PENSION_CREDIT],
                referrals=list(edith.referrals.all()),
                notes="Joint visit: financial assessment and benefit check.",
            )

    def _seed_boards_and_payments(self, organisations, users):
        """The joint team's Strategic Management Board with a meeting next month; an active direct
        payment agreement for Margaret Doyle paid into her own bank account."""
        from datetime import timedelta
        from decimal import Decimal

        from django.utils import timezone

        from boards.models import Board
        from boards.services import agenda_item_add, board_create, meeting_plan
        from directpayments.models import Agreement as PaymentAgreement
        from directpayments.services import agreement_activate, agreement_create, agreement_update

        council, pension = organisations["Northshire CC"], organisations["Pension Service"]
        secretary = users["secretary"]
        if not Board.objects.filter(title="Northshire Joint Team Strategic Management Board").exists():
            board = board_create(
                by=secretary,
                organisations=[council, pension],
                co_chair_a=users["manager"],
                co_chair_b=users["pension"],
                title="Northshire Joint Team Strategic Management Board",
                kind=Board.Kind.MANAGEMENT,
                district="Northshire",
                established_on=timezone.localdate() - timedelta(days=400),
                secretariat=[secretary],
            )
            meeting = meeting_plan(
                board=board, by=secretary, date=timezone.localdate() + timedelta(days=21), place="County Hall, Room 2"
            )
            agenda_item_add(
                meeting=meeting, by=secretary, title="Joint visiting team: referrals and awards this quarter"
            )
        margaret = Client.objects.get(organisation=council, nino="JH246810B")
        self._seed_margaret_assessment(margaret, users["officer"])
        self._seed_edith_assessment(Client.objects.get(organisation=council, nino="AB123456C"), users["officer"])
        if not PaymentAgreement.objects.filter(client=margaret).exists():
            # The contribution comes from her financial assessment (£38.50 a week).
            agreement = agreement_create(
                client=margaret,
                by=users["finance"],
                start_date=timezone.localdate().replace(day=1) - timedelta(days=61),
                weekly_budget=Decimal("245.00"),
                account_type=PaymentAgreement.AccountType.BANK_ACCOUNT,
                sort_code="40-47-84",
                account_number="70872490",
                account_name="M DOYLE",
                supplier_number="V100234",
            )
            agreement_activate(agreement_id=agreement.pk, by=users["finance"])
        else:  # a demo database seeded before contributions came from assessments: link hers
            for agreement in PaymentAgreement.objects.filter(
                client=margaret, contribution_assessment__isnull=True, contribution_by_hand_reason=""
            ).exclude(status=PaymentAgreement.Status.ENDED):
                agreement_update(agreement_id=agreement.pk, by=users["finance"], contribution_by_hand=False)

    def _seed_rates(self):
        """Rates for the current financial year (and the next, from 1 February) so that every demo journey
        works on today's date. They are demonstration figures, flagged as such wherever rates are shown:
        each cell's latest verified figure (from the migrations' public sources) raised by an assumed
        DEMO_UPRATING_PERCENT a year and rounded to the nearest 5p. Cells no source verifies (the couple
        amounts) stay empty. A year that already has any rates, real or demonstration, is left alone."""
        from decimal import Decimal

        from django.utils import timezone

        from assessments import charging, rate_cells
        from assessments.models import RatesYear
        from assessments.selectors import rates_year_previous
        from assessments.services import rates_year_confirm, rates_year_start, uprate_figure
        from core.money import format_money

        today = timezone.localdate()
        this_year = charging.financial_year_start(today)
        years = [this_year] + ([this_year + 1] if today >= date(this_year + 1, 2, 1) else [])
        percent = Decimal(DEMO_UPRATING_PERCENT)
        for start_year in years:
            if RatesYear.objects.filter(start_year=start_year).exists():
                continue
            previous = rates_year_previous(start_year=start_year)
            # A cell the year before does not have: its latest verified figure, uprated for each year since.
            figures, figure_sources = {}, {}
            for name in rate_cells.CELLS:
                if previous is not None and getattr(previous, name) is not None:
                    continue
                older = (
                    RatesYear.objects.filter(
                        start_year__lt=start_year - 1,
                        status=RatesYear.Status.CONFIRMED,
                        is_demonstration=False,
                        **{f"{name}__isnull": False},
                    )
                    .order_by("-start_year", "-version")
                    .first()
                )
                if older is not None:
                    value = getattr(older, name)
                    for _year in range(older.start_year, start_year):
                        value = uprate_figure(value, percent=percent, rounding="five_pence")
                    figures[name] = value
                    figure_sources[name] = (
                        f"Demonstration figure — not for live use: the {older.label} figure "
                        f"{format_money(getattr(older, name))} raised by an assumed {percent}% a year, to the "
                        "nearest 5p"
                    )
            rates = rates_year_start(
                start_year=start_year,
                by=None,
                percentages={group: percent for group in rate_cells.GROUPS if group != rate_cells.CAPITAL},
                rounding="five_pence",
                figures=figures,
                figure_sources=figure_sources,
                source=(
                    f"Demonstration figures — not for live use (seed_demo: an assumed {percent}% a year, not a "
                    "published uprating)"
                ),
                is_demonstration=True,
            )
            rates_year_confirm(rates=rates, by=None)

    def _seed_edith_assessment(self, edith, officer):
        """Edith's complete financial assessment from the start of this financial year (State Pension
        and a small private pension; no Attendance Allowance yet). When the Pension Service records an
        award on her Attendance Allowance referral, a draft re-assessment is made that can be completed
        on the same day."""
        from datetime import timedelta
        from decimal import Decimal

        from django.utils import timezone

        from assessments import charging
        from assessments.models import Assessment
        from assessments.services import assessment_complete, assessment_create, income_line_add

        if Assessment.objects.filter(client=edith).exists():
            return
        today = timezone.localdate()
        year_start = date(charging.financial_year_start(today), 4, 6)
        assessment = assessment_create(
            client=edith,
            by=officer,
            effective_date=max(year_start, today - timedelta(days=56)),
            weekly_care_cost=Decimal("210.00"),
        )
        income_line_add(assessment=assessment, by=officer, type="state_pension", amount=Decimal("230.25"))
        income_line_add(
            assessment=assessment, by=officer, type="private_pension", amount=Decimal("225.00"), period="month"
        )
        assessment_complete(assessment=assessment, by=officer)

    def _seed_margaret_assessment(self, margaret, officer):
        """Margaret's complete financial assessment: State Pension £267.20 a week less the 2024/25
        pension-age Minimum Income Guarantee of £228.70 gives a charge of £38.50 a week. (2024/25 is the
        latest year whose rates are all entered and verified.)"""
        from decimal import Decimal

        from assessments.models import Assessment
        from assessments.services import assessment_complete, assessment_create, income_line_add

        if Assessment.objects.filter(client=margaret).exists():
            return
        assessment = assessment_create(
            client=margaret, by=officer, effective_date=date(2024, 9, 2), weekly_care_cost=Decimal("245.00")
        )
        income_line_add(assessment=assessment, by=officer, type="state_pension", amount=Decimal("267.20"))
        assessment_complete(assessment=assessment, by=officer)

    def _seed_home_examples(self, organisations, users):
        """Something for each home page to show on the day the demo runs: a visit to George today, a
        visit to Margaret three days ago that `officer` has not recorded yet, and Margaret's benefit
        check sent to the Pension Service a fortnight ago, not yet acknowledged (so overdue)."""
        from datetime import datetime, timedelta

        from django.utils import timezone

        from referrals.models import Referral, Visit
        from referrals.services.referrals import referral_create, referral_send
        from referrals.services.visits import visit_book

        council, pension = organisations["Northshire CC"], organisations["Pension Service"]
        officer = users["officer"]
        today = timezone.localdate()
        george = Client.objects.get(organisation=council, nino="CE987654A")
        margaret = Client.objects.get(organisation=council, nino="JH246810B")

        def at(day, hour):
            return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))

        if not Visit.objects.filter(client=george).exists():
            visit_book(
                client=george,
                by=officer,
                starts_at=at(today, 14),
                kind=Visit.Kind.HOME,
                place="",
                officers=[officer],
                purposes=[Visit.Purpose.BENEFIT_CHECK],
                referrals=[],
                notes="Follow-up after the Pension Credit award: check Council Tax Support.",
            )
        if not Visit.objects.filter(client=margaret).exists():
            visit_book(
                client=margaret,
                by=officer,
                starts_at=at(today - timedelta(days=3), 11),
                kind=Visit.Kind.HOME,
                place="",
                officers=[officer],
                purposes=[Visit.Purpose.FINANCIAL_ASSESSMENT],
                referrals=[],
                notes="Annual review of the charge. See the safeguarding note before visiting.",
            )
        if not Referral.objects.filter(client=margaret).exists():
            referral = referral_create(
                client=margaret,
                by=officer,
                to_organisation=pension,
                referral_type=ReferralType.BENEFIT_CHECK,
                reason="Lives alone in sheltered housing on State Pension only; full benefit check wanted.",
            )
            referral_send(referral_id=referral.pk, by=officer, on=max(today - timedelta(days=14), date(2026, 10, 1)))
