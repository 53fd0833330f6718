from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from partnerships.models import Organisation, ReferralType, Team

from .validators import format_nhs_number, format_nino, validate_nhs_number, validate_nino, validate_postcode


class Client(models.Model):
    """A person the joint team works with (DWP: customer; health: patient)."""

    class LivingSituation(models.TextChoices):
        ALONE = "alone", "Lives alone"
        WITH_PARTNER = "with_partner", "Lives with partner"
        WITH_FAMILY = "with_family", "Lives with family"
        SHELTERED = "sheltered", "Sheltered housing"
        EXTRA_CARE = "extra_care", "Extra care housing"
        SUPPORTED = "supported", "Supported accommodation"
        CARE_HOME = "care_home", "Care home"
        OTHER = "other", "Other"

    class RepresentativeKind(models.TextChoices):
        NONE = "", "No representative"
        APPOINTEE = "appointee", "DWP appointee"
        LASTING_POWER_OF_ATTORNEY = "lpa", "Lasting power of attorney"
        ENDURING_POWER_OF_ATTORNEY = "epa", "Enduring power of attorney"
        DEPUTY = "deputy", "Deputy appointed by the Court of Protection"
        THIRD_PARTY = "third_party", "Third party with the client's authority"

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="clients",
        help_text="The organisation that holds the record.",
    )
    title = models.CharField(max_length=20, blank=True)
    first_name = models.CharField(max_length=100)
    middle_names = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    nino = models.CharField(
        "National Insurance number", max_length=9, blank=True, validators=[validate_nino], db_index=True
    )
    nhs_number = models.CharField("NHS number", max_length=10, blank=True, validators=[validate_nhs_number])
    address_line_1 = models.CharField("Address line 1", max_length=200)
    address_line_2 = models.CharField("Address line 2", max_length=200, blank=True)
    town = models.CharField("Town or city", max_length=100)
    county = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, validators=[validate_postcode], db_index=True)
    phone = models.CharField("Phone number", max_length=40, blank=True)
    email = models.EmailField("Email address", blank=True)
    living_situation = models.CharField(max_length=20, choices=LivingSituation.choices, blank=True)
    representative_kind = models.CharField(
        "Representative", max_length=20, choices=RepresentativeKind.choices, blank=True, default=""
    )
    representative_name = models.CharField("Representative's name", max_length=200, blank=True)
    representative_phone = models.CharField("Representative's phone number", max_length=40, blank=True)
    representative_address = models.TextField("Representative's address", blank=True)
    has_safeguarding_concern = models.BooleanField("Safeguarding concern", default=False)
    safeguarding_note = models.TextField("Safeguarding note", blank=True)
    date_of_death = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        indexes = [
            models.Index(fields=["last_name", "first_name"], name="client_name_idx"),
            models.Index(fields=["date_of_birth"], name="client_dob_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_of_death__isnull=True) | Q(date_of_death__gte=models.F("date_of_birth")),
                name="client_death_after_birth",
            ),
            models.CheckConstraint(
                condition=Q(representative_kind="") | ~Q(representative_name=""),
                name="client_representative_named",
            ),
        ]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("referrals:client-detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.middle_names, self.last_name) if part)

    @property
    def nino_display(self) -> str:
        return format_nino(self.nino) if self.nino else ""

    @property
    def nhs_number_display(self) -> str:
        return format_nhs_number(self.nhs_number) if self.nhs_number else ""

    def age_on(self, day: date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())

    @property
    def address_lines(self) -> list[str]:
        return [
            line for line in (self.address_line_1, self.address_line_2, self.town, self.county, self.postcode) if line
        ]


class Consent(models.Model):
    """The client's consent to share information with named organisations for named purposes."""

    class Purpose(models.TextChoices):
        BENEFIT_CHECK = "benefit_check", "Benefit check and claims"
        FINANCIAL_ASSESSMENT = "financial_assessment", "Financial assessment for care charges"
        CARE_ASSESSMENT = "care_assessment", "Care and support needs assessment"
        HEALTH = "health", "Health care and hospital discharge"
        ADVICE = "advice", "Independent advice and advocacy"
        HOME_ADAPTATIONS = "home_adaptations", "Home adaptations and repairs"

    class Method(models.TextChoices):
        WRITTEN = "written", "Written (signed form)"
        VERBAL = "verbal", "Verbal"
        ELECTRONIC = "electronic", "Electronic"

    class GivenBy(models.TextChoices):
        CLIENT = "client", "The client"
        REPRESENTATIVE = "representative", "The client's representative"

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="consents")
    organisations = models.ManyToManyField(
        Organisation, related_name="+", help_text="The organisations the client agrees may receive their information."
    )
    purposes = models.JSONField(default=list, help_text="Purpose codes from Consent.Purpose.")
    method = models.CharField("How consent was given", max_length=20, choices=Method.choices)
    given_by = models.CharField("Given by", max_length=20, choices=GivenBy.choices, default=GivenBy.CLIENT)
    given_by_name = models.CharField("Name of the person giving consent", max_length=200, blank=True)
    given_on = models.DateField("Date given")
    expires_on = models.DateField("Expiry date", null=True, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_on = models.DateField("Date withdrawn", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    withdrawal_reason = models.TextField(blank=True)
    history = HistoricalRecords(m2m_fields=[organisations], excluded_fields=["recorded_at"])

    class Meta:
        ordering = ["-given_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("given_on")),
                name="consent_expires_after_given",
            ),
        ]

    def __str__(self):
        return f"Consent of {self.client} given {self.given_on:%-d %B %Y}"

    def is_active_on(self, day: date) -> bool:
        if self.given_on > day:
            return False
        if self.withdrawn_on is not None and self.withdrawn_on <= day:
            return False
        return self.expires_on is None or self.expires_on >= day

    @property
    def is_active(self) -> bool:
        return self.is_active_on(timezone.localdate())

    @property
    def status_label(self) -> str:
        today = timezone.localdate()
        if self.withdrawn_on is not None and self.withdrawn_on <= today:
            return "Withdrawn"
        if self.expires_on is not None and self.expires_on < today:
            return "Expired"
        if self.given_on > today:
            return "Not yet in force"
        return "Active"

    @property
    def purpose_labels(self) -> list[str]:
        labels = dict(self.Purpose.choices)
        return [labels.get(code, code) for code in self.purposes]

    def covers(self, *, organisation: Organisation, purpose: str, on: date | None = None) -> bool:
        """True if, on the day, this consent lets information go to `organisation` for `purpose`."""
        day = on or timezone.localdate()
        if not self.is_active_on(day) or purpose not in self.purposes:
            return False
        return any(org.pk == organisation.pk for org in self.organisations.all())


# --- Referrals ------------------------------------------------------------------------------

# Which consent purpose a referral of each type needs (a safeguarding alert may instead record its
# legal basis: DESIGN.md, "except an urgent safeguarding alert").
PURPOSE_FOR_REFERRAL_TYPE = {
    ReferralType.BENEFIT_CHECK: Consent.Purpose.BENEFIT_CHECK,
    ReferralType.PENSION_CREDIT: Consent.Purpose.BENEFIT_CHECK,
    ReferralType.ATTENDANCE_ALLOWANCE: Consent.Purpose.BENEFIT_CHECK,
    ReferralType.CARERS_ALLOWANCE: Consent.Purpose.BENEFIT_CHECK,
    ReferralType.DLA_PIP: Consent.Purpose.BENEFIT_CHECK,
    ReferralType.HOUSING_BENEFIT: Consent.Purpose.BENEFIT_CHECK,
    ReferralType.FAIRER_CHARGING: Consent.Purpose.FINANCIAL_ASSESSMENT,
    ReferralType.CARE_NEEDS: Consent.Purpose.CARE_ASSESSMENT,
    ReferralType.HOME_ADAPTATIONS: Consent.Purpose.HOME_ADAPTATIONS,
    ReferralType.INDEPENDENT_ADVICE: Consent.Purpose.ADVICE,
    ReferralType.SAFEGUARDING: Consent.Purpose.CARE_ASSESSMENT,
}


class Referral(models.Model):
    """A request from one partner to another to do something for a client, under consent."""

    class Priority(models.TextChoices):
        ROUTINE = "routine", "Routine"
        URGENT = "urgent", "Urgent"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENT = "sent", "Sent"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"
        CLOSED = "closed", "Closed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class OutcomeReason(models.TextChoices):
        CLIENT_DECLINED = "client_declined", "Client declined"
        NO_CONTACT = "no_contact", "Could not contact the client"
        NOT_ELIGIBLE = "not_eligible", "Not eligible"
        NO_CAPACITY = "no_capacity", "No capacity"
        OTHER = "other", "Other"

    reference = models.CharField(max_length=20, unique=True, null=True, blank=True)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="referrals")
    from_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="referrals_sent")
    from_team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals_sent")
    from_officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_made")
    to_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="referrals_received")
    to_team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals_received"
    )
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals_assigned"
    )
    referral_type = models.CharField("Type", max_length=30, choices=ReferralType.choices)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.ROUTINE)
    reason = models.TextField()
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals")
    legal_basis = models.TextField(
        blank=True, help_text="For a safeguarding alert sent without consent: the legal basis for sharing."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    acknowledge_by = models.DateField(null=True, blank=True)
    complete_by = models.DateField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    outcome_successful = models.BooleanField(null=True, blank=True)
    outcome_reason = models.CharField(max_length=20, choices=OutcomeReason.choices, blank=True)
    outcome_notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["to_organisation", "status"], name="referral_inbox_idx"),
            models.Index(fields=["from_organisation", "status"], name="referral_outbox_idx"),
            models.Index(fields=["acknowledge_by"], name="referral_ack_due_idx", condition=Q(status="sent")),
            models.Index(
                fields=["complete_by"],
                name="referral_complete_due_idx",
                condition=Q(status__in=["accepted", "in_progress"]),
            ),
        ]
        constraints = [
            # Never sent outside the sender's organisation without consent, except a safeguarding
            # alert that records its legal basis (a draft withdrawn before sending was never sent).
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True)
                | Q(to_organisation=F("from_organisation"))
                | Q(consent__isnull=False)
                | (Q(referral_type="safeguarding") & ~Q(legal_basis="")),
                name="referral_outside_needs_consent",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "withdrawn"])
                | Q(sent_at__isnull=False, acknowledge_by__isnull=False, complete_by__isnull=False),
                name="referral_sent_has_due_dates",
            ),
        ]

    def __str__(self):
        return self.reference or f"Draft referral {self.pk}"

    def get_absolute_url(self):
        return reverse("referrals:referral-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.SENT, self.Status.ACCEPTED, self.Status.IN_PROGRESS)

    def is_overdue_on(self, day: date) -> bool:
        if self.status == self.Status.SENT:
            return self.acknowledge_by is not None and self.acknowledge_by < day
        if self.status in (self.Status.ACCEPTED, self.Status.IN_PROGRESS):
            return self.complete_by is not None and self.complete_by < day
        return False

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())


class ReferralEvent(models.Model):
    """One step of a referral's life: who moved it from which status to which, when, and why."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=Referral.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Referral.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.referral}: {self.from_status or 'new'} → {self.to_status}"


class BenefitOutcome(models.Model):
    """The decision on one benefit claimed through a referral (closes the loop: £ a week gained)."""

    class Decision(models.TextChoices):
        AWARDED = "awarded", "Awarded"
        REFUSED = "refused", "Refused"
        PENDING = "pending", "Pending"
        WITHDRAWN = "withdrawn", "Withdrawn"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="benefit_outcomes")
    benefit = models.CharField(max_length=30, choices=ReferralType.choices)
    decision = models.CharField(max_length=20, choices=Decision.choices)
    weekly_amount = models.DecimalField("£ a week", max_digits=12, decimal_places=2, default=Decimal("0.00"))
    effective_date = models.DateField(null=True, blank=True)
    arrears = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["recorded_at"])

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekly_amount__gte=0) & Q(arrears__gte=0), name="benefit_outcome_amounts"
            ),
            models.CheckConstraint(
                condition=~Q(decision="awarded") | Q(effective_date__isnull=False), name="benefit_award_has_date"
            ),
        ]

    def __str__(self):
        return f"{self.get_benefit_display()}: {self.get_decision_display()}"


class ReferralEscalation(models.Model):
    """An overdue referral escalated to a level; unique per referral, stage and level, so a
    reminder is never sent twice for the same level."""

    class Stage(models.TextChoices):
        ACKNOWLEDGE = "acknowledge", "Not acknowledged in time"
        COMPLETE = "complete", "Not completed in time"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="escalations")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    level = models.PositiveSmallIntegerField()
    on = models.DateField(help_text="The day of the scan that escalated it (one level a day at most).")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["referral", "stage", "level"], name="referral_escalation_once"),
        ]

    def __str__(self):
        return f"{self.referral} escalated to level {self.level} ({self.get_stage_display()})"


class Visit(models.Model):
    """A home or drop-in visit by one or more officers, possibly from different organisations."""

    class Kind(models.TextChoices):
        HOME = "home", "Home visit"
        DROP_IN = "drop_in", "Drop-in"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    class Purpose(models.TextChoices):
        FINANCIAL_ASSESSMENT = "financial_assessment", "Collect financial assessment information"
        PENSION_CREDIT = "pension_credit", "Pension Credit application"
        BENEFIT_CHECK = "benefit_check", "Benefit check"
        CARE_NEEDS = "care_needs", "Care needs"
        OTHER = "other", "Other"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="visits")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="visits_booked")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.HOME)
    starts_at = models.DateTimeField()
    place = models.CharField(max_length=200, blank=True, help_text="Blank for the client's home.")
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="visits")
    purposes = models.JSONField(default=list)
    referrals = models.ManyToManyField(Referral, blank=True, related_name="visits")
    notes = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"], m2m_fields=[officers, referrals])

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["starts_at"], name="visit_starts_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.client} on {timezone.localtime(self.starts_at):%-d %B %Y}"

    def get_absolute_url(self):
        return reverse("referrals:visit-detail", args=[self.pk])
