"""The partnerships register: partnerships, agreements with service levels and routing rules,
the contacts directory, accreditations, local action plans and interim/annual reviews."""

from datetime import date, timedelta

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .choices import CustomerGroup, PartnerCategory, ReferralType
from .organisations import Organisation

__all__ = ["CustomerGroup", "PartnerCategory", "ReferralType"]

# A directory entry not confirmed for this long is stale (report 693: directories "go out of date").
CONTACT_STALE_AFTER = timedelta(days=182)
# Agreement review reminders: this many days before the review date, and on the day.
AGREEMENT_REMINDER_DAYS_BEFORE = 30
# When no SLA sets them, referrals are acknowledged in 2 and completed in 20 working days.
DEFAULT_ACKNOWLEDGE_WORKING_DAYS = 2
DEFAULT_COMPLETE_WORKING_DAYS = 20
AGREEMENT_DOCUMENT_EXTENSIONS = ["pdf", "doc", "docx", "odt", "rtf"]
AGREEMENT_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


class Contact(models.Model):
    """A named front-line contact in a partner organisation (seed 001's contacts network)."""

    class Function(models.TextChoices):
        DISTRICT_PERFORMANCE_MANAGER = "district_performance_manager", "District Performance Manager"
        CONTACT_CENTRE_MANAGER = "contact_centre_manager", "Contact Centre Manager"
        BENEFIT_PROCESSING_MANAGER = "benefit_processing_manager", "Benefit Processing Manager"
        FRAUD_INVESTIGATION = "fraud_investigation", "Fraud Investigation Service"
        CUSTOMER_COMPLIANCE_MANAGER = "customer_compliance_manager", "Customer Compliance Manager"
        NINO_NOMINATED_OFFICER = "nino_nominated_officer", "Nominated Officer for NINOs"
        HOUSING_BENEFIT_MANAGER = "housing_benefit_manager", "Housing Benefit Manager"
        DISTRICT_ERM = "district_erm", "District External Relations Manager (ERM)"
        REGIONAL_ERM = "regional_erm", "Country/Regional ERM"
        PARTNERSHIP_MANAGER = "partnership_manager", "Partnership Manager"
        TEAM_MANAGER = "team_manager", "Team Manager"
        SOCIAL_CARE_MANAGER = "social_care_manager", "Adult Social Care Manager"
        HOSPITAL_DISCHARGE_LEAD = "hospital_discharge_lead", "Hospital Discharge Lead"
        OTHER = "other", "Other"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="contacts")
    name = models.CharField(max_length=200)
    function = models.CharField(max_length=40, choices=Function.choices)
    job_title = models.CharField(max_length=200, blank=True)
    phone = models.CharField("Phone number", max_length=40, blank=True)
    email = models.EmailField("Email address", blank=True)
    is_single_point_of_contact = models.BooleanField("Single point of contact", default=False)
    last_verified_on = models.DateField("Last confirmed correct")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_contacts",
        help_text="Who keeps this entry up to date; asked to confirm it when it goes stale.",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_entries",
        help_text="The contact's own JointCase account, if they have one (they then get reminders in the app).",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["organisation__name", "name"]
        indexes = [models.Index(fields=["last_verified_on"], name="contact_verified_idx")]

    def __str__(self):
        return f"{self.name} ({self.get_function_display()}, {self.organisation.display_name})"

    def get_absolute_url(self):
        return reverse("partnerships:contact-detail", args=[self.pk])

    def is_stale_on(self, day: date) -> bool:
        return self.last_verified_on < day - CONTACT_STALE_AFTER

    @property
    def is_stale(self) -> bool:
        return self.is_stale_on(timezone.localdate())


class ContactVerificationRequest(models.Model):
    """A request to confirm a stale contact; one per contact and verified-on date, so it is sent once."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="verification_requests")
    for_verified_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contact", "for_verified_on"], name="contact_verification_once")]

    def __str__(self):
        return f"Confirm {self.contact.name} (last confirmed {self.for_verified_on})"


class Partnership(models.Model):
    """Two or more organisations working together (report 693 §3.1.7)."""

    class Kind(models.TextChoices):
        INFORMATION_DISPLAY = "information_display", "Information display"
        SIGNPOSTING = "signposting", "Signposting"
        STAFF_BRIEFINGS = "staff_briefings", "Staff briefings"
        INFORMATION_POINT = "information_point", "Information point"
        DROP_IN = "drop_in", "Drop-in"
        REFERRAL_SYSTEM = "referral_system", "Referral system"
        CO_LOCATION = "co_location", "Co-location"
        JOINT_VISITING = "joint_visiting", "Joint visiting"
        DATA_SHARING = "data_sharing", "Data sharing"

    class Scope(models.TextChoices):
        STRATEGIC = "strategic", "Strategic"
        OPERATIONAL = "operational", "Operational"

    class Level(models.TextChoices):
        LOCAL = "local", "Local"
        SUB_REGIONAL = "sub_regional", "Sub-regional"
        REGIONAL = "regional", "Regional"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"
        ENDED = "ended", "Ended"

    name = models.CharField(max_length=200)
    kind = models.CharField("Type", max_length=30, choices=Kind.choices)
    is_formal = models.BooleanField("Formal", default=True, help_text="Formal partnerships rest on a signed agreement.")
    scope = models.CharField(max_length=20, choices=Scope.choices, default=Scope.OPERATIONAL)
    level = models.CharField(max_length=20, choices=Level.choices, default=Level.LOCAL)
    district = models.CharField(max_length=120, blank=True)
    purpose = models.TextField()
    objectives = models.TextField(blank=True)
    activities = models.TextField(blank=True)
    customer_groups = models.JSONField(default=list, blank=True, help_text="CustomerGroup codes.")
    risks = models.TextField(blank=True)
    start_date = models.DateField()
    next_review_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    organisations = models.ManyToManyField(Organisation, through="PartnershipMember", related_name="partnerships")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_date__isnull=True) | Q(next_review_date__gte=F("start_date")),
                name="partnership_review_after_start",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partnerships:partnership-detail", args=[self.pk])

    def is_review_due_on(self, day: date) -> bool:
        return self.next_review_date is not None and self.next_review_date <= day

    @property
    def is_review_due(self) -> bool:
        return self.is_review_due_on(timezone.localdate())

    @property
    def customer_group_labels(self) -> list[str]:
        labels = dict(CustomerGroup.choices)
        return [labels.get(code, code) for code in self.customer_groups]


class PartnershipMember(models.Model):
    """An organisation in a partnership, with its key contact for it."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="partnership_memberships")
    key_contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="key_contact_for"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "organisation"], name="partnership_member_once")]

    def __str__(self):
        return f"{self.organisation} in {self.partnership}"


class PartnershipOutcome(models.Model):
    """An outcome recorded over the life of a partnership."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="outcomes")
    recorded_on = models.DateField()
    description = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_on", "-pk"]

    def __str__(self):
        return f"Outcome of {self.partnership} on {self.recorded_on}"


class Agreement(models.Model):
    """A document a partnership rests on: MoU, SLA, data-sharing protocol, ..."""

    class Kind(models.TextChoices):
        MOU = "mou", "Memorandum of understanding"
        SLA = "sla", "Service level agreement"
        DATA_SHARING = "data_sharing", "Data-sharing protocol"
        FRAUD_PARTNERSHIP = "fraud_partnership", "Fraud Partnership Agreement"
        JOINT_WORKING = "joint_working", "Joint working agreement"
        TERMS_OF_REFERENCE = "terms_of_reference", "Terms of reference"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="agreements")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=200)
    version = models.CharField(max_length=20, default="1.0")
    signed_on = models.DateField(null=True, blank=True, help_text="Blank while it is still a draft.")
    review_due_on = models.DateField(null=True, blank=True)
    document = models.FileField(
        upload_to="agreements/%Y/",
        blank=True,
        validators=[FileExtensionValidator(AGREEMENT_DOCUMENT_EXTENSIONS)],
        help_text="The signed document: PDF, Word or OpenDocument, up to 10 MB.",
    )
    is_current = models.BooleanField(default=True, help_text="Untick when a newer version replaces it.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["partnership__name", "kind", "-signed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_due_on__isnull=True)
                | Q(signed_on__isnull=True)
                | Q(review_due_on__gte=F("signed_on")),
                name="agreement_review_after_signing",
            )
        ]

    def __str__(self):
        return f"{self.title} v{self.version}"

    def get_absolute_url(self):
        return reverse("partnerships:agreement-detail", args=[self.pk])

    def is_review_overdue_on(self, day: date) -> bool:
        return self.review_due_on is not None and self.review_due_on < day

    @property
    def is_review_overdue(self) -> bool:
        return self.is_review_overdue_on(timezone.localdate())

    def is_in_force_on(self, day: date) -> bool:
        """Signed, current and signed on or before the day (an overdue review is flagged, not voided)."""
        return self.is_current and self.signed_on is not None and self.signed_on <= day


class AgreementReminder(models.Model):
    """A review reminder sent for an agreement; unique per kind and review date, so each goes once."""

    class Kind(models.TextChoices):
        BEFORE = "before", "30 days before review"
        DUE = "due", "On the review date"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    review_due_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agreement", "kind", "review_due_on"], name="agreement_reminder_once")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} reminder for {self.agreement}"


class ServiceLevel(models.Model):
    """An SLA's service level for one referral type: working days to acknowledge and to complete."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="service_levels")
    referral_type = models.CharField(max_length=30, choices=ReferralType.choices)
    acknowledge_working_days = models.PositiveSmallIntegerField(
        default=DEFAULT_ACKNOWLEDGE_WORKING_DAYS, validators=[MinValueValidator(0), MaxValueValidator(60)]
    )
    complete_working_days = models.PositiveSmallIntegerField(
        default=DEFAULT_COMPLETE_WORKING_DAYS, validators=[MinValueValidator(1), MaxValueValidator(260)]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["referral_type"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "referral_type"], name="service_level_once_per_type"),
            models.CheckConstraint(
                condition=Q(complete_working_days__gte=F("acknowledge_working_days")),
                name="service_level_complete_after_acknowledge",
            ),
        ]

    def __str__(self):
        return (
            f"{self.get_referral_type_display()}: acknowledge in {self.acknowledge_working_days}, "
            f"complete in {self.complete_working_days} working days"
        )


class RoutingRule(models.Model):
    """What an organisation accepts under an agreement: referral types and client ages."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="routing_rules")
    receiving_organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="routing_rules")
    referral_types = models.JSONField(default=list, help_text="ReferralType codes accepted; empty means any.")
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(130)])
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(130)])
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agreement", "receiving_organisation"], name="routing_rule_once"),
            models.CheckConstraint(
                condition=Q(minimum_age__isnull=True)
                | Q(maximum_age__isnull=True)
                | Q(maximum_age__gte=F("minimum_age")),
                name="routing_rule_age_range",
            ),
        ]

    def __str__(self):
        return f"{self.receiving_organisation} under {self.agreement}"

    @property
    def referral_type_labels(self) -> list[str]:
        labels = dict(ReferralType.choices)
        return [labels.get(code, code) for code in self.referral_types]


class Accreditation(models.Model):
    """An officer of one organisation accredited to do another's work (e.g. take Pension Credit claims)."""

    class Kind(models.TextChoices):
        PENSION_CREDIT_CLAIMS = "pension_credit_claims", "Take Pension Credit claims"
        ALTERNATIVE_OFFICE = "alternative_office", "Alternative office status (verify documents)"
        BENEFIT_CLAIMS = "benefit_claims", "Take disability benefit claims (AA, DLA, PIP)"
        FINANCIAL_ASSESSMENT = "financial_assessment", "Collect financial assessment information"
        OTHER = "other", "Other"

    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="accreditations")
    accrediting_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="accreditations_given",
        help_text="The organisation whose work the officer is accredited to do.",
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    agreement = models.ForeignKey(
        Agreement, on_delete=models.SET_NULL, null=True, blank=True, related_name="accreditations"
    )
    trained_on = models.DateField()
    expires_on = models.DateField()
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["expires_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gt=F("trained_on")), name="accreditation_expires_after_training"
            )
        ]

    def __str__(self):
        return f"{self.officer} — {self.get_kind_display()} for {self.accrediting_organisation}"

    def get_absolute_url(self):
        return reverse("partnerships:accreditation-detail", args=[self.pk])

    def is_valid_on(self, day: date) -> bool:
        """Valid from training up to and including the expiry date; after that it cannot be relied on."""
        return self.trained_on <= day <= self.expires_on

    @property
    def is_valid(self) -> bool:
        return self.is_valid_on(timezone.localdate())


class ActionPlanItem(models.Model):
    """One action in a local action plan (report 693 §2.2 step 2), for a partnership or a district."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, null=True, blank=True, related_name="action_plan_items"
    )
    district = models.CharField(max_length=120, blank=True)
    action = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="action_plan_items")
    milestone_date = models.DateField()
    indicator = models.CharField(max_length=300, help_text="How we will know it worked.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["milestone_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(partnership__isnull=False) | ~Q(district=""), name="action_plan_item_has_a_home"
            )
        ]

    def __str__(self):
        return self.action[:80]

    def is_overdue_on(self, day: date) -> bool:
        return self.milestone_date < day and self.status in (self.Status.NOT_STARTED, self.Status.IN_PROGRESS)


class PartnershipReview(models.Model):
    """An interim or annual review of a partnership, with its key indicators (report 693 step 7)."""

    class Kind(models.TextChoices):
        INTERIM = "interim", "Interim review"
        ANNUAL = "annual", "Annual review"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    reviewed_on = models.DateField()
    referrals_sent = models.PositiveIntegerField(default=0)
    referrals_received = models.PositiveIntegerField(default=0)
    awards = models.PositiveIntegerField("Benefit awards", default=0)
    weekly_amount_gained = models.DecimalField("£ a week gained", max_digits=12, decimal_places=2, default=0)
    what_worked = models.TextField(blank=True)
    what_did_not = models.TextField("What did not work", blank=True)
    next_steps = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="review_period_order"),
            models.CheckConstraint(condition=Q(weekly_amount_gained__gte=0), name="review_gain_not_negative"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.partnership}, {self.period_start} to {self.period_end}"

    def get_absolute_url(self):
        return reverse("partnerships:review-detail", args=[self.pk])

    @property
    def yearly_amount_gained(self):
        """£ a year = £ a week × 52, to the penny (weekly amounts are already whole pence)."""
        return self.weekly_amount_gained * 52
