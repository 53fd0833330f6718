"""Referrals between partners, their steps, the benefit outcomes they lead to and their escalations."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from partnerships.models import Organisation, ReferralType, Team

from .clients import Client, Consent

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

    # Open: sent and not yet completed, rejected or withdrawn (the only referrals ever due or overdue).
    # In hand: accepted by the receiver, so due to be completed rather than acknowledged.
    OPEN_STATUSES = (Status.SENT, Status.ACCEPTED, Status.IN_PROGRESS)
    IN_HAND_STATUSES = (Status.ACCEPTED, Status.IN_PROGRESS)

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
        return self.status in self.OPEN_STATUSES

    @property
    def is_in_hand(self) -> bool:
        return self.status in self.IN_HAND_STATUSES

    def is_overdue_on(self, day: date) -> bool:
        if self.status == self.Status.SENT:
            return self.acknowledge_by is not None and self.acknowledge_by < day
        if self.is_in_hand:
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
