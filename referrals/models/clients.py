"""Clients and their consent to share information."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from partnerships.models import Organisation

from ..validators import format_nhs_number, format_nino, validate_nhs_number, validate_nino, validate_postcode


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
