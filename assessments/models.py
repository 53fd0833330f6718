"""Fairer Charging financial assessments: yearly rates, the council's charging policy, assessments and
their income, capital and expense lines. The arithmetic lives in `assessments/charging.py`."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from . import charging, rate_cells


def _money(verbose_name: str, **kwargs):
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **kwargs)


def _rate(name: str):
    # Labelled in the plain words of `rate_cells`. Empty means "not entered or not verified": the engine
    # refuses a calculation that needs it.
    return _money(rate_cells.title(name), null=True, blank=True)


class RatesYear(models.Model):
    """One version of a financial year's figures (6 April to 5 April). A version is entered as a draft
    (copied from last year and uprated, then checked figure by figure) and used for charging only once a
    finance lead confirms it (`services.rates_year_confirm`, the one status setter). A confirmed version
    never changes: a correction is a new version, to check and confirm in turn (`services.rates_correct`)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Waiting for confirmation"
        CONFIRMED = "confirmed", "Confirmed"

    start_year = models.PositiveSmallIntegerField(help_text="2024 for the year 6 April 2024 to 5 April 2025.")
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    is_demonstration = models.BooleanField(
        "Demonstration figures — not for live use",
        default=False,
        help_text="Made-up figures for a demonstration site; shown as such wherever the rates are shown.",
    )
    pension_credit_age = models.PositiveSmallIntegerField("State Pension age", default=66)
    mig_single_18_24 = _rate("mig_single_18_24")
    mig_single_25_to_pension_age = _rate("mig_single_25_to_pension_age")
    mig_single_pension_age = _rate("mig_single_pension_age")
    mig_couple_working_age = _rate("mig_couple_working_age")
    mig_couple_pension_age = _rate("mig_couple_pension_age")
    disability_premium = _rate("disability_premium")
    enhanced_disability_premium = _rate("enhanced_disability_premium")
    carer_premium = _rate("carer_premium")
    disability_premium_couple = _rate("disability_premium_couple")
    enhanced_disability_premium_couple = _rate("enhanced_disability_premium_couple")
    child_premium = _rate("child_premium")
    attendance_allowance_higher = _rate("attendance_allowance_higher")
    attendance_allowance_lower = _rate("attendance_allowance_lower")
    pip_daily_living_enhanced = _rate("pip_daily_living_enhanced")
    pip_daily_living_standard = _rate("pip_daily_living_standard")
    pip_mobility_enhanced = _rate("pip_mobility_enhanced")
    pip_mobility_standard = _rate("pip_mobility_standard")
    dla_care_highest = _rate("dla_care_highest")
    dla_care_middle = _rate("dla_care_middle")
    dla_care_lowest = _rate("dla_care_lowest")
    savings_credit_disregard_single = _rate("savings_credit_disregard_single")
    savings_credit_disregard_couple = _rate("savings_credit_disregard_couple")
    guarantee_credit_single = _rate("guarantee_credit_single")
    guarantee_credit_couple = _rate("guarantee_credit_couple")
    capital_lower = _rate("capital_lower")
    capital_upper = _rate("capital_upper")
    source = models.TextField(blank=True, help_text="Where the figures come from.")
    cell_sources = models.JSONField(
        default=dict, blank=True, help_text="Where each figure comes from, by cell (the year's source otherwise)."
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["-start_year", "-version"]
        verbose_name = "rates year"
        constraints = [
            models.UniqueConstraint(fields=["start_year", "version"], name="assessments_rates_year_version_unique"),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="assessments_rates_version_positive"),
            models.CheckConstraint(
                condition=~models.Q(status="confirmed") | models.Q(confirmed_at__isnull=False),
                name="assessments_rates_confirmed_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.label} rates (version {self.version})"

    def get_absolute_url(self):
        return reverse("assessments:rates-detail", args=[self.pk])

    @property
    def label(self) -> str:
        return charging.financial_year_label(self.start_year)

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED

    @property
    def missing_cells(self) -> list[str]:
        """The cells with no figure, in the order of `rate_cells.CELLS`."""
        return [name for name in rate_cells.CELLS if getattr(self, name) is None]

    def source_of(self, name: str) -> str:
        return self.cell_sources.get(name) or self.source

    def to_rates(self) -> charging.Rates:
        names = [f.name for f in charging.Rates.__dataclass_fields__.values() if f.name not in {"year", "version"}]
        return charging.Rates(year=self.label, version=self.version, **{name: getattr(self, name) for name in names})


class RatesReminder(models.Model):
    """A reminder sent to a finance lead that next year's rates are missing or not confirmed: unique per
    person, year, month and what was missing, so the daily job in February and March tells each person
    at most once a month, and once more if the year moves on (entered but not yet confirmed)."""

    class State(models.TextChoices):
        MISSING = "missing", "Not entered"
        UNCONFIRMED = "unconfirmed", "Entered, not confirmed"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    start_year = models.PositiveSmallIntegerField()
    month = models.DateField(help_text="The first day of the month the reminder was sent in.")
    state = models.CharField(max_length=20, choices=State.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "start_year", "month", "state"], name="assessments_rates_reminder_once"
            )
        ]

    def __str__(self):
        return f"Rates reminder for {charging.financial_year_label(self.start_year)} to {self.recipient}"


class ChargingPolicy(models.Model):
    """The council's charging policy from a date (the latest on or before an assessment's date applies)."""

    class MigBasis(models.TextChoices):
        STATUTORY = "statutory", "Statutory Minimum Income Guarantee"
        GUARANTEE_CREDIT_PLUS_BUFFER = (
            "guarantee_credit_plus_buffer",
            "Guarantee credit plus a buffer (Fairer Charging)",
        )

    class SavingsCreditDisregard(models.TextChoices):
        STATUTORY = "statutory", "Up to the statutory amount"
        FULL = "full", "In full"

    effective_from = models.DateField()
    taper_percent = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("100"))
    disregard_night_element = models.BooleanField(default=True)
    mig_basis = models.CharField(max_length=40, choices=MigBasis.choices, default=MigBasis.STATUTORY)
    buffer_percent = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("25"))
    dre_flat_weekly = _money("Flat-rate DRE a week", default=Decimal("0.00"))
    savings_credit_disregard = models.CharField(
        max_length=20, choices=SavingsCreditDisregard.choices, default=SavingsCreditDisregard.STATUTORY
    )
    disregard_war_pension = models.BooleanField(default=True)
    capital_lower = _money("Capital lower limit (if higher than the statute)", null=True, blank=True)
    capital_upper = _money("Capital upper limit (if higher than the statute)", null=True, blank=True)
    minimum_charge = _money("Minimum weekly charge", default=Decimal("0.00"))
    maximum_weekly_charge = _money("Maximum weekly charge", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["-effective_from", "-pk"]
        verbose_name_plural = "charging policies"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(taper_percent__gte=0, taper_percent__lte=100), name="assessments_policy_taper_range"
            ),
        ]

    def __str__(self):
        return f"Charging policy from {self.effective_from:%d %B %Y}"

    def to_policy(self) -> charging.Policy:
        names = charging.Policy.__dataclass_fields__.keys()
        return charging.Policy(**{name: getattr(self, name) for name in names})


class Assessment(models.Model):
    """A financial assessment of what a client pays a week for care at home."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        COMPLETE = "complete", "Complete"
        SUPERSEDED = "superseded", "Superseded"

    client = models.ForeignKey("referrals.Client", on_delete=models.PROTECT, related_name="assessments")
    organisation = models.ForeignKey("partnerships.Organisation", on_delete=models.PROTECT, related_name="assessments")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    effective_date = models.DateField(help_text="The charge applies from this date; it selects the rates year.")
    is_couple = models.BooleanField("Lives with a partner", default=False)
    partner_name = models.CharField("Partner's name", max_length=200, blank=True)
    weekly_care_cost = _money("Weekly cost of care", default=Decimal("0.00"))
    night_care_provided = models.BooleanField("Night care is provided", default=False)
    use_flat_rate_dre = models.BooleanField("Use the council's flat-rate DRE", default=True)
    has_unpaid_carer = models.BooleanField("An unpaid carer looks after them", default=False)
    receives_council_tax_support = models.BooleanField("Gets Council Tax Support", default=False)
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    visit = models.ForeignKey(
        "referrals.Visit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
        help_text="The visit at which the financial information was collected, if started from one.",
    )
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    rates = models.ForeignKey(RatesYear, on_delete=models.PROTECT, null=True, blank=True, related_name="assessments")
    policy = models.ForeignKey(
        ChargingPolicy, on_delete=models.PROTECT, null=True, blank=True, related_name="assessments"
    )
    weekly_charge = _money("Weekly charge", null=True, blank=True)
    result = models.JSONField(default=dict, blank=True, help_text="The engine's result and breakdown, when complete.")
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["-effective_date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(weekly_care_cost__gte=0), name="assessments_care_cost_positive"),
            models.CheckConstraint(
                condition=~models.Q(status="complete") | models.Q(weekly_charge__isnull=False, rates__isnull=False),
                name="assessments_complete_has_charge_and_rates",
            ),
        ]

    def __str__(self):
        return f"Financial assessment for {self.client} from {self.effective_date:%d %B %Y}"

    def get_absolute_url(self):
        return reverse("assessments:assessment-detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class IncomeLine(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="income_lines")
    type = models.CharField(max_length=40, choices=list(charging.INCOME_TYPES.items()))
    amount = _money("Amount")
    period = models.CharField(max_length=20, choices=list(charging.PERIODS.items()), default="week")
    description = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=0), name="assessments_income_positive")]

    def __str__(self):
        return f"{self.get_type_display()}: {self.amount} {self.get_period_display()}"


class CapitalLine(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="capital_lines")
    type = models.CharField(max_length=20, choices=list(charging.CAPITAL_TYPES.items()))
    amount = _money("Amount")
    jointly_owned = models.BooleanField(default=False)
    description = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=0), name="assessments_capital_positive")]

    def __str__(self):
        return f"{self.get_type_display()}: {self.amount}"


class ExpenseLine(models.Model):
    """A weekly housing cost, or an item of disability-related expenditure (DRE)."""

    class Kind(models.TextChoices):
        HOUSING = "housing", "Housing cost"
        DRE = "dre", "Disability-related expenditure"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="expense_lines")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    type = models.CharField(max_length=40, blank=True, help_text="Housing cost type; blank for DRE.")
    description = models.CharField(max_length=200, blank=True)
    weekly = _money("Amount a week")
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=models.Q(weekly__gte=0), name="assessments_expense_positive")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.label} {self.weekly}"

    @property
    def label(self) -> str:
        if self.kind == self.Kind.HOUSING:
            return self.description or charging.HOUSING_TYPES.get(self.type, self.type)
        return self.description


class ChargeLetter(models.Model):
    """The charge letter as first issued for a complete assessment, kept word for word: the HTML shown on
    the printable page and the PDF sent to the client (under MEDIA_ROOT/letters/), both made once."""

    assessment = models.OneToOneField(Assessment, on_delete=models.PROTECT, related_name="letter")
    html = models.TextField()
    pdf = models.FileField(upload_to="letters/", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    def __str__(self):
        return f"Charge letter for {self.assessment}"
