"""Direct payments: agreements with clients, monthly payment runs and their lines.

The rule the finance team cares most about — never pay the same agreement twice for a month — is a
database constraint (`payment_line_once_per_period`), not a hope in the code.
"""

from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import ExpressionWrapper, F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from partnerships.models import Organisation
from referrals.models import Client

MONEY = {"max_digits": 12, "decimal_places": 2}
ZERO = Decimal("0.00")
DATE = models.DateField()

validate_sort_code = RegexValidator(r"^[0-9]{6}$", "Enter a sort code of 6 digits, like 309430")
validate_account_number = RegexValidator(r"^[0-9]{8}$", "Enter an account number of 8 digits, like 00733445")


class PersonalAssistant(models.Model):
    """A personal assistant on the council's register, whom direct payment agreements may employ or hire.

    A DBS check older than `DBS_VALID_YEARS` is flagged (the council asks for a fresh one)."""

    class Employment(models.TextChoices):
        EMPLOYED = "employed", "Employed by the client"
        SELF_EMPLOYED = "self_employed", "Self-employed"

    DBS_VALID_YEARS = 3

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="personal_assistants")
    name = models.CharField(max_length=200)
    employment = models.CharField("Employed or self-employed", max_length=20, choices=Employment.choices)
    dbs_checked_on = models.DateField("Date of the DBS check", null=True, blank=True)
    hourly_rate = models.DecimalField(**MONEY, validators=[MinValueValidator(ZERO)])
    is_active = models.BooleanField("On the register", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(hourly_rate__gte=0), name="dp_pa_hourly_rate_not_negative"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("directpayments:pa-update", args=[self.pk])

    def dbs_due_since(self, today: date) -> bool:
        """True when there is no DBS check on record or it is more than three years old on `today`."""
        if self.dbs_checked_on is None:
            return True
        try:
            limit = today.replace(year=today.year - self.DBS_VALID_YEARS)
        except ValueError:  # 29 February
            limit = today.replace(year=today.year - self.DBS_VALID_YEARS, day=28)
        return self.dbs_checked_on < limit

    @property
    def dbs_out_of_date(self) -> bool:
        return self.dbs_due_since(timezone.localdate())


class Agreement(models.Model):
    """A direct payment agreement: the council pays a client (or their nominated person) a weekly sum."""

    class Status(models.TextChoices):
        SETUP = "setup", "Being set up"
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"
        ENDED = "ended", "Ended"

    class AccountType(models.TextChoices):
        PREPAID_CARD = "prepaid_card", "Prepaid card"
        MANAGED_ACCOUNT = "managed_account", "Managed account"
        BANK_ACCOUNT = "bank_account", "Bank account"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="direct_payment_agreements")
    nominated_person = models.CharField(
        "Nominated or suitable person", max_length=200, blank=True, help_text="Leave blank if the client manages it"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    weekly_budget = models.DecimalField("Weekly personal budget", **MONEY, validators=[MinValueValidator(ZERO)])
    weekly_contribution = models.DecimalField(
        "Weekly assessed contribution", **MONEY, default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    contribution_assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="direct_payment_agreements",
        verbose_name="Contribution from the financial assessment",
        help_text="The complete financial assessment the contribution was taken from; blank when entered by hand",
    )
    contribution_by_hand_reason = models.CharField(
        "Why the contribution was entered by hand",
        max_length=300,
        blank=True,
        help_text="Given when a finance officer used another figure than the client's financial assessment",
    )
    account_type = models.CharField(max_length=20, choices=AccountType.choices)
    card_reference = models.CharField("Prepaid card reference", max_length=40, blank=True)
    provider = models.CharField("Managed account provider", max_length=200, blank=True)
    sort_code = models.CharField(max_length=6, blank=True, validators=[validate_sort_code])
    account_number = models.CharField(max_length=8, blank=True, validators=[validate_account_number])
    account_name = models.CharField("Name on the account", max_length=100, blank=True)
    supplier_number = models.CharField("Supplier (vendor) number in the finance system", max_length=30, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SETUP, db_index=True)
    contingency_weeks = models.PositiveSmallIntegerField("Contingency limit in weeks", default=6)
    personal_assistants = models.ManyToManyField(
        PersonalAssistant, blank=True, related_name="agreements", verbose_name="Personal assistants"
    )
    arrears_check_from = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="Set when days already settled become payable (a suspension cancelled or shortened, dates "
        "widened): runs compare what months from here were paid with what is due and pay the difference",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(
        excluded_fields=["created_at", "updated_at", "arrears_check_from"], m2m_fields=[personal_assistants]
    )

    class Meta:
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weekly_budget__gte=0), name="dp_agreement_budget_not_negative"),
            models.CheckConstraint(
                condition=Q(weekly_contribution__gte=0), name="dp_agreement_contribution_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="dp_agreement_end_after_start",
            ),
            models.CheckConstraint(condition=Q(contingency_weeks__gte=1), name="dp_agreement_contingency_positive"),
            # A contribution comes from an assessment or is entered by hand (with a reason), not both.
            models.CheckConstraint(
                condition=Q(contribution_assessment__isnull=True) | Q(contribution_by_hand_reason=""),
                name="dp_agreement_contribution_one_source",
            ),
            # A bank account needs a real sort code and account number.
            models.CheckConstraint(
                condition=~Q(account_type="bank_account")
                | Q(sort_code__regex=r"^[0-9]{6}$", account_number__regex=r"^[0-9]{8}$"),
                name="dp_agreement_bank_details",
            ),
        ]

    def __str__(self):
        return f"Direct payment for {self.client.full_name} from {self.start_date:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("directpayments:agreement-detail", args=[self.pk])


class Suspension(models.Model):
    """A period in which an agreement is not paid: from `starts_on` to `ends_on` inclusive (open if blank)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="suspensions")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="The last day not paid; blank while it lasts")
    reason = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="dp_suspension_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"Suspended from {self.starts_on:%d/%m/%Y}"


class PaymentRun(models.Model):
    """One organisation's direct payments for a calendar month, prepared, approved by someone else, exported."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for approval"
        APPROVED = "approved", "Approved"
        EXPORTED = "exported", "Exported"
        PAID = "paid", "Paid"
        CANCELLED = "cancelled", "Cancelled"

    # Settled: the amounts have gone to the bank and are final. Its files may be downloaded, and days of
    # its month found payable later are paid as arrears by a later run.
    SETTLED_STATUSES = (Status.EXPORTED, Status.PAID)

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="payment_runs")
    month = models.DateField(help_text="The first day of the month paid for")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    prepared_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    exported_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["-month", "-pk"]
        constraints = [
            # One live run per organisation and month: asking again returns the existing one.
            models.UniqueConstraint(
                fields=["organisation", "month"], condition=~Q(status="cancelled"), name="dp_run_one_live_per_month"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="dp_run_month_is_first_day"),
            # Four eyes: whoever approves did not prepare or submit the run.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True)
                | (
                    (Q(prepared_by__isnull=True) | ~Q(approved_by=F("prepared_by")))
                    & (Q(submitted_by__isnull=True) | ~Q(approved_by=F("submitted_by")))
                ),
                name="dp_run_approver_is_someone_else",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "exported", "paid"]) | Q(approved_by__isnull=False),
                name="dp_run_approved_has_approver",
            ),
        ]

    def __str__(self):
        return f"Payment run for {self.month:%B %Y}"

    def get_absolute_url(self):
        return reverse("directpayments:run-detail", args=[self.pk])

    @property
    def is_live(self) -> bool:
        return self.status != self.Status.CANCELLED

    @property
    def is_settled(self) -> bool:
        return self.status in self.SETTLED_STATUSES


class PaymentRunEvent(models.Model):
    """One step of a run's life: who moved it from which status to which, and when."""

    run = models.ForeignKey(PaymentRun, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=PaymentRun.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=PaymentRun.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.run}: {self.from_status or 'new'} → {self.to_status}"


class PaymentLine(models.Model):
    """One payment to one agreement in a run. `is_live` is false once the run is cancelled."""

    class Kind(models.TextChoices):
        REGULAR = "regular", "Regular payment"
        ADJUSTMENT = "adjustment", "Adjustment"
        REISSUE = "reissue", "Re-issue of a returned payment"
        ARREARS = "arrears", "Arrears"

    run = models.ForeignKey(PaymentRun, on_delete=models.CASCADE, related_name="lines")
    # Indexed by dp_line_agreement_period_idx (agreement first), so no index of its own.
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="payment_lines", db_index=False)
    period = models.DateField(help_text="The first day of the month paid for")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.REGULAR)
    net_weekly = models.DecimalField(**MONEY, default=ZERO)
    days = models.PositiveSmallIntegerField(default=0)
    amount = models.DecimalField(**MONEY)
    note = models.CharField(max_length=200, blank=True)
    adjustment = models.ForeignKey(
        "Adjustment", on_delete=models.PROTECT, null=True, blank=True, related_name="lines", db_index=False
    )
    returned_payment = models.ForeignKey(
        "ReturnedPayment", on_delete=models.PROTECT, null=True, blank=True, related_name="reissue_lines", db_index=False
    )
    is_live = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["run", "agreement", "kind", "pk"]
        indexes = [
            models.Index(fields=["agreement", "period"], name="dp_line_agreement_period_idx"),
            # Only adjustment lines have one: a partial index keeps 50,000 regular lines out of it.
            models.Index(fields=["adjustment"], condition=Q(adjustment__isnull=False), name="dp_line_adjustment_idx"),
        ]
        constraints = [
            # Never twice: at most one live regular payment for an agreement and month, whatever the run.
            models.UniqueConstraint(
                fields=["agreement", "period"],
                condition=Q(kind="regular", is_live=True),
                name="payment_line_once_per_period",
            ),
            models.CheckConstraint(condition=Q(period__day=1), name="dp_line_period_is_first_day"),
            models.CheckConstraint(
                condition=~Q(kind="regular") | Q(amount__gte=0, days__gte=1, days__lte=31, net_weekly__gte=0),
                name="dp_line_regular_amount_sensible",
            ),
            # A payment the bank returned is paid again once, and only once, in a live run.
            models.UniqueConstraint(
                fields=["returned_payment"],
                condition=Q(is_live=True, returned_payment__isnull=False),
                name="dp_line_reissued_once",
            ),
            models.CheckConstraint(
                condition=~Q(kind="reissue") | Q(returned_payment__isnull=False, amount__gt=0),
                name="dp_line_reissue_has_returned_payment",
            ),
            models.CheckConstraint(
                condition=~Q(kind="arrears") | Q(amount__gt=0, days__gte=1, days__lte=31),
                name="dp_line_arrears_positive",
            ),
            # Sanity ceiling: no single line over £100,000.
            models.CheckConstraint(
                condition=Q(amount__lte=Decimal("100000.00"), amount__gte=Decimal("-100000.00")),
                name="dp_line_amount_within_limit",
            ),
        ]

    def __str__(self):
        return f"{self.agreement_id} {self.period:%m/%Y}: {self.amount}"


class CsvImport(models.Model):
    """One uploaded CSV file: who uploaded it, how many rows were read and saved, and why the others
    were not (kept so finance can show the bank or card provider what was refused)."""

    filename = models.CharField(max_length=200, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    rows_saved = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, help_text="[[line number, reason], ...] for the rows not saved")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        abstract = True


class ReturnsImport(CsvImport):
    """One bank returns file for a paid run: who uploaded it and what happened to each row."""

    run = models.ForeignKey(PaymentRun, on_delete=models.PROTECT, related_name="returns_imports")

    def __str__(self):
        return f"Bank returns uploaded {self.uploaded_at:%d/%m/%Y %H:%M}"


class ReturnedPayment(models.Model):
    """A payment of a paid run that the bank sent back (account closed, details wrong): the agreement's
    whole payment in that run. It is re-issued by the next draft run (a `reissue` line), once."""

    run = models.ForeignKey(PaymentRun, on_delete=models.PROTECT, related_name="returned_payments")
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="returned_payments")
    amount = models.DecimalField(**MONEY)
    reason = models.CharField(max_length=200)
    source = models.ForeignKey(
        ReturnsImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="returned_payments"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["run", "agreement", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "agreement"], name="dp_returned_once_per_run"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="dp_returned_amount_positive"),
        ]

    def __str__(self):
        return f"£{self.amount:,.2f} returned from the {self.run.month:%B %Y} run"


class Adjustment(models.Model):
    """A one-off payment or a surplus recovery, paid or taken through the first draft run for a month
    on or after `takes_effect_on`. A recovery never takes an agreement's total for the month below
    zero: what could not be taken is recorded as a new recovery carried forward to the next month."""

    class Kind(models.TextChoices):
        ONE_OFF = "one_off", "One-off payment"
        RECOVERY = "recovery", "Surplus recovery"

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="adjustments")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    amount = models.DecimalField(**MONEY, help_text="Always positive: a recovery is taken off the payment")
    reason = models.CharField(max_length=200)
    takes_effect_on = models.DateField(help_text="Applied by the runs for months starting on or after this day")
    run = models.ForeignKey(
        PaymentRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="adjustments_applied"
    )
    applied_amount = models.DecimalField(**MONEY, default=ZERO, help_text="Paid, or recovered, in `run`")
    carried_from = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="carried_forward"
    )
    created_in_run = models.ForeignKey(
        PaymentRun, on_delete=models.CASCADE, null=True, blank=True, related_name="adjustments_carried"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "takes_effect_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="dp_adjustment_amount_positive"),
            models.CheckConstraint(
                condition=Q(applied_amount__gte=0, applied_amount__lte=F("amount")),
                name="dp_adjustment_applied_within_amount",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of £{self.amount:,.2f}"

    @property
    def remainder(self) -> Decimal:
        return self.amount - self.applied_amount


class BalanceImport(CsvImport):
    """One prepaid-card balance file: who uploaded it and what happened to each row."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")

    def __str__(self):
        return f"Card balances uploaded {self.uploaded_at:%d/%m/%Y %H:%M}"


class CardBalance(models.Model):
    """A prepaid card's balance on a day. Surplus = balance − contingency weeks × net weekly, worked out
    when imported (from the agreement as it stood then); a positive surplus is flagged for recovery."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="card_balances")
    balance_on = models.DateField()
    balance = models.DecimalField(**MONEY)
    allowed = models.DecimalField("Contingency allowed", **MONEY)
    surplus = models.DecimalField(**MONEY)
    source = models.ForeignKey(BalanceImport, on_delete=models.SET_NULL, null=True, related_name="balances")

    class Meta:
        ordering = ["agreement", "-balance_on"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "balance_on"], name="dp_card_balance_once_a_day"),
        ]

    def __str__(self):
        return f"£{self.balance:,.2f} on {self.balance_on:%d/%m/%Y}"

    @property
    def is_surplus(self) -> bool:
        return self.surplus > 0


class Review(models.Model):
    """A monitoring review of an agreement: the 6-week check after the start, then the annual review
    (first due 6 months after the start, the statutory maximum, then 12 months after each one done)."""

    class Kind(models.TextChoices):
        SIX_WEEK = "six_week", "6-week check"
        ANNUAL = "annual", "Annual review"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    due_on = models.DateField(db_index=True)
    completed_on = models.DateField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            # One review of each kind waiting at a time.
            models.UniqueConstraint(
                fields=["agreement", "kind"], condition=Q(completed_on__isnull=True), name="dp_review_one_open_per_kind"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} due {self.due_on:%d/%m/%Y}"


class ReviewReminder(models.Model):
    """A reminder sent that a review is overdue: unique per agreement, kind and due date, so it goes once."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="review_reminders")
    kind = models.CharField(max_length=20, choices=Review.Kind.choices)
    due_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agreement", "kind", "due_on"], name="dp_review_reminder_once"),
        ]

    def __str__(self):
        return f"Reminder: {self.get_kind_display()} due {self.due_on:%d/%m/%Y}"


class QuarterlyReturn(models.Model):
    """What a client paid into their own bank account reports for a quarter: the balance at its end, what
    was spent and whether the evidence (statements, receipts, timesheets) came in. Surplus = balance −
    contingency weeks × net weekly, worked out when recorded, exactly as for a prepaid card."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="quarterly_returns")
    quarter_start = models.DateField(help_text="The first day of the quarter: 1 January, 1 April, 1 July or 1 October")
    balance = models.DecimalField("Balance at the end of the quarter", **MONEY)
    amount_spent = models.DecimalField("Spent in the quarter", **MONEY, validators=[MinValueValidator(ZERO)])
    evidence_received = models.BooleanField("Evidence received", default=False)
    notes = models.TextField(blank=True)
    allowed = models.DecimalField("Contingency allowed", **MONEY)
    surplus = models.DecimalField(**MONEY)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "-quarter_start"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "quarter_start"], name="dp_quarterly_return_once"),
            models.CheckConstraint(
                condition=Q(quarter_start__day=1, quarter_start__month__in=[1, 4, 7, 10]),
                name="dp_quarterly_return_quarter_start",
            ),
            models.CheckConstraint(condition=Q(amount_spent__gte=0), name="dp_quarterly_return_spent_not_negative"),
        ]

    def __str__(self):
        return f"Quarterly return from {self.quarter_start:%B %Y}"

    @property
    def quarter_end(self) -> date:
        return self.quarter_start + relativedelta(months=3, days=-1)

    @property
    def is_surplus(self) -> bool:
        return self.surplus > 0


class SurplusNotice(models.Model):
    """The written notice that a surplus will be recovered: the letter as issued (HTML and PDF, kept word
    for word), the amount, and the first day it may be taken — `notice_days` after the letter
    (DIRECT_PAYMENTS_SURPLUS_NOTICE_DAYS, 28 by default). Scheduling the recovery creates the
    `adjustment` that the next run takes; the database refuses a recovery scheduled before the notice
    period has passed."""

    class Status(models.TextChoices):
        ISSUED = "issued", "Notice given"
        SCHEDULED = "scheduled", "Recovery scheduled"
        WITHDRAWN = "withdrawn", "Withdrawn"

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="surplus_notices")
    card_balance = models.ForeignKey(
        CardBalance, on_delete=models.PROTECT, null=True, blank=True, related_name="surplus_notices"
    )
    quarterly_return = models.ForeignKey(
        QuarterlyReturn, on_delete=models.PROTECT, null=True, blank=True, related_name="surplus_notices"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ISSUED, db_index=True)
    amount = models.DecimalField("Surplus to recover", **MONEY)
    balance = models.DecimalField("Balance the surplus was found in", **MONEY)
    balance_on = models.DateField("Date of that balance")
    allowed = models.DecimalField("Contingency allowed", **MONEY)
    issued_on = models.DateField("Date of the notice")
    notice_days = models.PositiveSmallIntegerField()
    recoverable_from = models.DateField("Recovered from")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    letter_html = models.TextField()
    letter_pdf = models.FileField(upload_to="directpayments/surplus-notices/", blank=True)
    adjustment = models.OneToOneField(
        Adjustment, on_delete=models.PROTECT, null=True, blank=True, related_name="surplus_notice"
    )
    scheduled_on = models.DateField("Recovery scheduled on", null=True, blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    withdrawn_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at", "letter_html"])

    class Meta:
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="dp_surplus_notice_amount_positive"),
            models.CheckConstraint(condition=Q(notice_days__gte=1), name="dp_surplus_notice_days_positive"),
            # The first day of recovery is the letter's date plus the notice period, exactly.
            models.CheckConstraint(
                condition=Q(recoverable_from=ExpressionWrapper(F("issued_on") + F("notice_days"), output_field=DATE)),
                name="dp_surplus_notice_period",
            ),
            # Never recovered before the notice period has passed.
            models.CheckConstraint(
                condition=Q(scheduled_on__isnull=True) | Q(scheduled_on__gte=F("recoverable_from")),
                name="dp_surplus_notice_not_before_period",
            ),
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(adjustment__isnull=False, scheduled_on__isnull=False),
                name="dp_surplus_notice_scheduled_has_recovery",
            ),
            models.CheckConstraint(
                condition=~Q(status="issued") | Q(adjustment__isnull=True), name="dp_surplus_notice_issued_no_recovery"
            ),
            # One notice waiting or scheduled per card balance or quarterly return: the same surplus is
            # never recovered twice.
            models.UniqueConstraint(
                fields=["card_balance"],
                condition=Q(card_balance__isnull=False) & ~Q(status="withdrawn"),
                name="dp_surplus_notice_once_per_balance",
            ),
            models.UniqueConstraint(
                fields=["quarterly_return"],
                condition=Q(quarterly_return__isnull=False) & ~Q(status="withdrawn"),
                name="dp_surplus_notice_once_per_return",
            ),
        ]

    def __str__(self):
        return f"Surplus notice of £{self.amount:,.2f} issued {self.issued_on:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("directpayments:surplus-notice-detail", args=[self.pk])

    def can_schedule_on(self, today: date) -> bool:
        return self.status == self.Status.ISSUED and today >= self.recoverable_from
