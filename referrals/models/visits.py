"""Home and drop-in visits, possibly joint (officers of several organisations)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from partnerships.models import Organisation

from .clients import Client
from .referrals import Referral


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
