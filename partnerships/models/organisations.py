from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from simple_history import register
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    """Staff roles. Each is a Django group of the same name (created by migration 0002)."""

    VISITING_OFFICER = "visiting_officer", "Visiting officer"
    TEAM_MANAGER = "team_manager", "Team manager"
    PARTNERSHIP_MANAGER = "partnership_manager", "Partnership manager"
    BOARD_SECRETARY = "board_secretary", "Board secretary"
    FINANCE_OFFICER = "finance_officer", "Finance officer"
    FINANCE_APPROVER = "finance_approver", "Finance approver"
    ADMIN = "admin", "Administrator"


# Roles that may see a client's change history (DESIGN: "visible to managers").
MANAGER_ROLES = (Role.TEAM_MANAGER, Role.PARTNERSHIP_MANAGER)
# Roles that may create and edit clients and record consent.
CASEWORK_ROLES = (Role.VISITING_OFFICER, Role.TEAM_MANAGER)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        COUNCIL = "council", "County or unitary council"
        DISTRICT_COUNCIL = "district_council", "District council"
        PENSION_SERVICE = "pension_service", "DWP Pension Service"
        JOBCENTRE_PLUS = "jobcentre_plus", "Jobcentre Plus"
        NHS = "nhs", "NHS (trust, GP practice, community nursing)"
        VOLUNTARY = "voluntary", "Voluntary sector (Age UK, Citizens Advice, Care & Repair)"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=60, blank=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    district = models.CharField(max_length=120, blank=True, help_text="The area it serves, e.g. Northshire.")
    partner_categories = models.JSONField(
        default=list,
        blank=True,
        help_text="Which core partner kinds it is (PartnerCategory codes), for the gap analysis.",
    )
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Team(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True, help_text="Shared inbox, if the team has one.")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_name_per_organisation")
        ]

    def __str__(self):
        return f"{self.name} ({self.organisation.display_name})"


class StaffMembership(models.Model):
    """A user's place in the joint team: one organisation (and team). Roles are the user's groups."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="memberships", null=True, blank=True)
    job_title = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    is_active = models.BooleanField(default=True, help_text="Untick when someone leaves; they then see nothing.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name", "user__last_name", "user__first_name"]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.username}, {self.organisation.display_name}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.team_id and self.organisation_id and self.team.organisation_id != self.organisation_id:
            raise ValidationError({"team": "The team must belong to the member's organisation."})


# Staff accounts are personal data too: keep who changed a user's name, e-mail, groups or status.
register(
    get_user_model(),
    app="partnerships",
    table_name="partnerships_historicaluser",
    excluded_fields=["password", "last_login"],
)
