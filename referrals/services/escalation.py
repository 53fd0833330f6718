"""Overdue referrals escalate one level a day until acknowledged or completed:
level 1 tells the receiving team's managers, level 2 the receiving organisation's partnership
managers, level 3 raises an issue on the issues log of a Joint Board both organisations sit on (or,
with no such board, tells the sender's partnership managers). Set-based, so 10,000 overdue
referrals cost the same number of queries as one."""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from boards.models import BoardOrganisation, Issue, IssueCategory, IssueLevel
from core.notifications import notify_many
from partnerships.models import Role

from ..models import Referral, ReferralEscalation

logger = logging.getLogger(__name__)

TOP_LEVEL = 3
LEVEL_AUDIENCE = {
    1: "the receiving team's managers",
    2: "the receiving organisation's partnership managers",
    3: "the sending organisation's partnership managers (no Joint Board covers both organisations)",
}

# One statement per stage claims the next level for every overdue referral at once. The unique
# constraint (referral, stage, level) makes a concurrent or repeated run insert nothing twice, and
# RETURNING tells this run exactly which escalations it made, so only those are announced.
_CLAIM_SQL = """
INSERT INTO referrals_referralescalation (referral_id, stage, level, "on", at)
SELECT r.id, %(stage)s, COALESCE(MAX(e.level), 0) + 1, %(today)s, %(now)s
FROM referrals_referral r
LEFT OUTER JOIN referrals_referralescalation e ON e.referral_id = r.id AND e.stage = %(stage)s
WHERE r.status IN ({statuses}) AND r.{due_column} < %(today)s
GROUP BY r.id
HAVING COALESCE(MAX(e.level), 0) < %(top)s AND (MAX(e."on") IS NULL OR MAX(e."on") < %(today)s)
ON CONFLICT (referral_id, stage, level) DO NOTHING
RETURNING referral_id, level
"""

_STAGES = {
    ReferralEscalation.Stage.ACKNOWLEDGE: ("acknowledge_by", [Referral.Status.SENT]),
    ReferralEscalation.Stage.COMPLETE: ("complete_by", list(Referral.IN_HAND_STATUSES)),
}


@dataclass(frozen=True)
class EscalationSummary:
    escalated: dict  # (stage, level) -> count
    notifications: int

    @property
    def total(self) -> int:
        return sum(self.escalated.values())


def _claim(cursor, *, stage: str, today: date, now: datetime) -> list[tuple[int, int]]:
    due_column, statuses = _STAGES[stage]
    placeholders = ", ".join(["%s"] * len(statuses))
    sql = _CLAIM_SQL.format(statuses=placeholders, due_column=due_column)
    # psycopg takes either named or positional parameters, so inline the status list as literals
    # from our own constants (never user input).
    sql = sql.replace(placeholders, ", ".join(f"'{status}'" for status in statuses), 1)
    cursor.execute(sql, {"stage": stage, "now": now, "today": today, "top": TOP_LEVEL})
    return cursor.fetchall()


def _board_issues_raise(*, referrals: dict, referral_ids: list[int], today: date) -> set[int]:
    """Level 3: put each referral on the issues log of a Joint Board both organisations sit on
    (the lowest-numbered such board), as a processing-delay issue raised by the referring officer.
    Referrals with no shared board are left to the notification fallback. Returns those raised."""
    if not referral_ids:
        return set()
    organisation_ids = {
        referrals[pk][key] for pk in referral_ids for key in ("from_organisation_id", "to_organisation_id")
    }
    boards_of: dict[int, set[int]] = defaultdict(set)
    for board_id, organisation_id in BoardOrganisation.objects.filter(organisation_id__in=organisation_ids).values_list(
        "board_id", "organisation_id"
    ):
        boards_of[organisation_id].add(board_id)
    issues, raised = [], set()
    for pk in referral_ids:
        row = referrals[pk]
        shared = boards_of[row["from_organisation_id"]] & boards_of[row["to_organisation_id"]]
        if not shared:
            continue
        issues.append(
            Issue(
                board_id=min(shared),
                title=f"Overdue referral {row['reference']} to {row['to_organisation__name']}",
                category=IssueCategory.PROCESSING_DELAY,
                description=f"The referral for {row['client__first_name']} {row['client__last_name']} is still "
                "overdue after escalation to the receiving team's managers and partnership managers.",
                lowest_level_attempt="JointCase reminded the receiving team's managers (level 1) and the receiving "
                "organisation's partnership managers (level 2) on successive days.",
                raised_by_id=row["from_officer_id"],
                raised_by_organisation_id=row["from_organisation_id"],
                raised_on=today,
                level=IssueLevel.OPERATIONAL,
                level_since=today,
            )
        )
        raised.add(pk)
    bulk_create_with_history(issues, Issue)
    return raised


def _managers_by(*, role: str, organisation_ids: set[int]):
    """Active users with `role` in the organisations, keyed by organisation and by team (one query)."""
    users = (
        get_user_model()
        .objects.filter(
            is_active=True,
            membership__is_active=True,
            membership__organisation_id__in=organisation_ids,
            groups__name=role,
        )
        .select_related("membership")
        .distinct()
    )
    by_organisation, by_team = defaultdict(list), defaultdict(list)
    for user in users:
        by_organisation[user.membership.organisation_id].append(user)
        if user.membership.team_id:
            by_team[user.membership.team_id].append(user)
    return by_organisation, by_team


@transaction.atomic
def referral_escalation_scan(*, today: date | None = None) -> EscalationSummary:
    """Escalate every overdue referral one level (at most once a day, at most level 3) and tell
    that level's people. Safe to run twice or concurrently; queries do not grow with volume."""
    today = today or timezone.localdate()
    now = timezone.now()
    claimed: list[tuple[str, int, int]] = []
    with connection.cursor() as cursor:
        for stage in _STAGES:
            claimed += [
                (stage, referral_id, level) for referral_id, level in _claim(cursor, stage=stage, today=today, now=now)
            ]
    if not claimed:
        logger.info("referral escalation: nothing overdue to escalate")
        return EscalationSummary(escalated={}, notifications=0)

    referrals = {
        row["id"]: row
        for row in Referral.objects.filter(pk__in={referral_id for _, referral_id, _ in claimed}).values(
            "id",
            "reference",
            "to_team_id",
            "to_organisation_id",
            "from_organisation_id",
            "from_officer_id",
            "acknowledge_by",
            "complete_by",
            "to_organisation__name",
            "client__first_name",
            "client__last_name",
        )
    }
    organisation_ids = {row["to_organisation_id"] for row in referrals.values()} | {
        row["from_organisation_id"] for row in referrals.values()
    }
    team_managers_by_org, team_managers_by_team = _managers_by(
        role=Role.TEAM_MANAGER, organisation_ids=organisation_ids
    )
    partnership_managers_by_org, _ = _managers_by(role=Role.PARTNERSHIP_MANAGER, organisation_ids=organisation_ids)

    issues_raised = _board_issues_raise(
        referrals=referrals,
        referral_ids=sorted({referral_id for _, referral_id, level in claimed if level == TOP_LEVEL}),
        today=today,
    )

    # reverse() once, not once per referral: the detail URL differs only by its id.
    url_template = reverse("referrals:referral-detail", args=[0]).replace("/0/", "/{}/")
    messages = []
    counts: dict = defaultdict(int)
    for stage, referral_id, level in claimed:
        row = referrals[referral_id]
        counts[(stage, level)] += 1
        if level == 1:
            # The receiving team's managers; else any team manager there; else its partnership managers.
            people = (
                team_managers_by_team.get(row["to_team_id"])
                or team_managers_by_org.get(row["to_organisation_id"])
                or partnership_managers_by_org.get(row["to_organisation_id"], [])
            )
        elif level == 2:
            people = partnership_managers_by_org.get(row["to_organisation_id"], [])
        elif referral_id in issues_raised:
            people = []  # the board's issues log has it now; its own reminders take over
        else:
            people = partnership_managers_by_org.get(row["from_organisation_id"], [])
        due = row["acknowledge_by"] if stage == ReferralEscalation.Stage.ACKNOWLEDGE else row["complete_by"]
        what = "acknowledged" if stage == ReferralEscalation.Stage.ACKNOWLEDGE else "completed"
        title = f"Overdue referral {row['reference']}: escalation level {level}"
        body = (
            f"The referral for {row['client__first_name']} {row['client__last_name']} to "
            f"{row['to_organisation__name']} should have been {what} by {due.day} {due:%B %Y}. "
            f"It has been escalated to {LEVEL_AUDIENCE[level]}."
        )
        url = url_template.format(referral_id)
        messages += [(person, title, body, url) for person in people]
    sent = notify_many(messages=messages)
    summary = EscalationSummary(escalated=dict(counts), notifications=sent)
    logger.info(
        "referral escalation: %s escalated (%s), %s notifications",
        summary.total,
        ", ".join(f"{stage} level {level}: {n}" for (stage, level), n in sorted(summary.escalated.items())),
        sent,
    )
    return summary
