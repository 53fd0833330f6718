"""Joint Boards (seed 001): boards, meetings, agenda items, attendance, actions and the issues log.

Invariants that must never be broken live here as database constraints; every write goes through
`boards/services/` (which also checks who may make it).
"""

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from partnerships.models import Contact, Organisation

PAPER_EXTENSIONS = ["pdf", "doc", "docx", "odt", "rtf", "xls", "xlsx", "ods", "csv", "txt"]
PAPER_MAX_BYTES = 10 * 1024 * 1024

# Seed 001, appendix 1 ("Aim"): the default terms of reference of a JCP/LA Joint Board.
DEFAULT_TERMS_OF_REFERENCE = (
    "To provide a forum for nominated Jobcentre Plus and Local Authority officials to discuss issues and "
    "performance, explore best practices and implement a programme of activities that will support joint "
    "working and produce improvements in administration and a reduction in fraud and error."
)


class Board(models.Model):
    class Kind(models.TextChoices):
        JCP_LA = "jcp_la", "Jobcentre Plus/LA Joint Board"
        MANAGEMENT = "management", "Strategic Management Board"
        FORUM = "forum", "Partnership forum"

    class Scope(models.TextChoices):
        FRAUD = "fraud", "Fraud"
        ADMIN = "admin", "Admin"
        JOINT = "joint", "Joint (fraud and admin)"

    class MeetingRule(models.TextChoices):
        TWO_IN_12_MONTHS = "two_in_12_months", "At least 2 meetings in any 12 months"
        QUARTERLY = "quarterly", "At least one meeting every 3 months"
        NONE = "none", "No set frequency"

    title = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    district = models.CharField(max_length=120, help_text="The Jobcentre Plus district or area the board covers.")
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.JOINT)
    organisations = models.ManyToManyField(Organisation, through="BoardOrganisation", related_name="boards")
    co_chair_a = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="boards_chaired_a", verbose_name="Co-chair"
    )
    co_chair_b = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="boards_chaired_b", verbose_name="Co-chair"
    )
    terms_of_reference = models.TextField(default=DEFAULT_TERMS_OF_REFERENCE)
    meeting_rule = models.CharField(max_length=20, choices=MeetingRule.choices)
    established_on = models.DateField(help_text="When the board was set up; the frequency rule counts from here.")
    erm_contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="boards", verbose_name="District ERM"
    )
    comments = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(co_chair_a=models.F("co_chair_b")), name="board_two_co_chairs")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("boards:board-detail", args=[self.pk])


class BoardOrganisation(models.Model):
    """A lead or member organisation of a board; its staff may read the board (fraud boards: members only)."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="board_organisations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="board_memberships")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["board", "organisation"], name="board_organisation_once")]

    def __str__(self):
        return f"{self.organisation} on {self.board}"


class BoardMember(models.Model):
    class Role(models.TextChoices):
        CO_CHAIR = "co_chair", "Co-chair"
        MEMBER = "member", "Member"
        SECRETARIAT = "secretariat", "Secretariat"
        ERM = "erm", "External Relations Manager"
        ADVISER = "adviser", "Attends for expertise"

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="board_memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="board_members")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name", "person__last_name", "person__first_name"]
        constraints = [models.UniqueConstraint(fields=["board", "person"], name="board_member_once")]

    def __str__(self):
        return f"{self.person.get_full_name() or self.person.username} ({self.organisation.display_name})"


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    time = models.TimeField(null=True, blank=True)
    place = models.CharField(max_length=200, blank=True)
    video_link = models.URLField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-time"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(place="", video_link=""), name="meeting_has_place_or_video_link")
        ]

    def __str__(self):
        return f"{self.board.title}, {self.date:%d %B %Y}"

    def get_absolute_url(self):
        return reverse("boards:meeting-detail", args=[self.pk])


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    presenter = models.CharField(max_length=200, blank=True)
    papers = models.FileField(
        upload_to="boards/papers/%Y/", blank=True, validators=[FileExtensionValidator(PAPER_EXTENSIONS)]
    )
    minutes = models.TextField(blank=True)
    decisions = models.TextField(blank=True)
    issue = models.ForeignKey("Issue", on_delete=models.SET_NULL, null=True, blank=True, related_name="agenda_items")
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [models.UniqueConstraint(fields=["meeting", "position"], name="agenda_item_position_once")]

    def __str__(self):
        return f"{self.position}. {self.title}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="board_attendances")
    status = models.CharField(max_length=10, choices=Status.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["person__last_name", "person__first_name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once_per_person")]

    def __str__(self):
        return f"{self.person} – {self.get_status_display()}"


class Action(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="board_actions")
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.description[:80]

    def is_overdue(self, today) -> bool:
        return self.status == self.Status.OPEN and self.due_on < today


class ActionReminder(models.Model):
    """A reminder sent for an overdue action; unique per level and due date, so each goes once."""

    class Level(models.TextChoices):
        OWNER = "owner", "To the owner"
        SECRETARIAT = "secretariat", "To the secretariat"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="reminders")
    level = models.CharField(max_length=20, choices=Level.choices)
    due_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["action", "level", "due_on"], name="action_reminder_once")]

    def __str__(self):
        return f"{self.get_level_display()} reminder for action {self.action_id}"


class IssueCategory(models.TextChoices):
    """Seed 001's table of typical LA relationship issues."""

    PROCESSING_DELAY = "processing_delay", "Delay in processing new claims"
    INCOMPLETE_CMS_OUTPUT = "incomplete_cms_output", "Insufficient or incomplete CMS output"
    COC_NOT_RECEIVED = "coc_not_received", "Change of circumstances not received"
    NO_FRAUD_CONTACT = "no_fraud_contact", "No contact for fraud issues"
    DUPLICATE_COMPLIANCE_CONTACT = "duplicate_compliance_contact", "Customer already contacted by compliance team"
    NINO_ALLOCATION = "nino_allocation", "National Insurance number allocation"
    OTHER = "other", "Other"


class IssueLevel(models.IntegerChoices):
    """Seed 001, appendix 2: the escalation route, one level at a time."""

    OPERATIONAL = 1, "Operational contact"
    DISTRICT_ERM = 2, "District ERM"
    REGIONAL_ERM = 3, "Country/Regional ERM"
    ODN_COO = 4, "ODN / COO Gateway"
    NATIONAL = 5, "National (Governmental Partnerships Team / DWP-LAA Housing Benefit Steering Group)"


# Working days each level has to resolve an issue; `settings.BOARDS_ISSUE_LEVEL_TARGET_DAYS` overrides.
DEFAULT_LEVEL_TARGET_WORKING_DAYS = {1: 5, 2: 10, 3: 15, 4: 20, 5: 30}


class Issue(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="issues")
    title = models.CharField(max_length=200)
    category = models.CharField(max_length=40, choices=IssueCategory.choices)
    description = models.TextField()
    lowest_level_attempt = models.TextField(help_text="What was tried at the lowest operational level.")
    referred_to = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="board_issues"
    )
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="raised_issues")
    raised_by_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="raised_issues")
    raised_on = models.DateField()
    level = models.PositiveSmallIntegerField(
        choices=IssueLevel.choices,
        default=IssueLevel.OPERATIONAL,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    level_since = models.DateField(help_text="When the issue reached its current level.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.TextField(blank=True)
    communicated_contacts = models.ManyToManyField(
        Contact,
        blank=True,
        related_name="issues_told_of_outcome",
        verbose_name="Contacts told the outcome",
        help_text="Partner or Jobcentre Plus contacts (from the contacts directory) told the outcome.",
    )
    communication_notes = models.TextField(blank=True, help_text="How and when the outcome was communicated.")
    resolved_on = models.DateField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="resolved_issues"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[communicated_contacts])

    class Meta:
        ordering = ["-raised_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="issue_level_1_to_5"),
            models.CheckConstraint(
                condition=models.Q(status="open") | (~models.Q(outcome="") & models.Q(resolved_on__isnull=False)),
                name="issue_resolved_has_outcome",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("boards:issue-detail", args=[self.pk])


class IssueEscalation(models.Model):
    """One step up the escalation route: who, when, why."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="escalations")
    from_level = models.PositiveSmallIntegerField(choices=IssueLevel.choices)
    to_level = models.PositiveSmallIntegerField(choices=IssueLevel.choices)
    reason = models.TextField()
    lower_level_attempt = models.TextField(help_text="What the lower level did to try to resolve it.")
    escalated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    escalated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["escalated_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(to_level=models.F("from_level") + 1), name="issue_escalation_one_level"
            ),
            models.UniqueConstraint(fields=["issue", "to_level"], name="issue_escalation_once_per_level"),
        ]

    def __str__(self):
        return f"Level {self.from_level} to {self.to_level}"


class IssueReminder(models.Model):
    """A reminder that an issue is past its level's target; unique per issue and level, so each goes once."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="reminders")
    level = models.PositiveSmallIntegerField(choices=IssueLevel.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issue", "level"], name="issue_reminder_once_per_level")]

    def __str__(self):
        return f"Level {self.level} reminder for issue {self.issue_id}"
