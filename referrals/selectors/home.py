"""The home page's sections for the referrals app, one per role, each counted in a fixed number of
queries (registered in apps.py)."""

from datetime import date, timedelta

from django.db.models import Count, Q

from core.access import membership_of, organisation_of

from ..models import Referral
from .feedback import partner_feedback_for_quarter
from .referrals import (
    OPEN_Q,
    UNASSIGNED_Q,
    referral_due_q,
    referral_inbox_for_user,
    referral_list_for_user,
    referral_received_q,
    referral_sent_q,
    referral_soonest_due,
    referral_team_q,
    week_end,
)
from .visits import start_of_day, visit_list_for_user, visit_not_recorded_q, visit_officers_prefetch, visit_rows

HOME_LIST_LENGTH = 10


def officer_home_for_user(*, user, today: date) -> dict | None:
    """A visiting officer's day: their visits today and this week (Monday to Sunday, as 'My visits'
    shows them) and those not yet recorded; the open referrals they sent or are assigned, with how
    many are overdue, and the soonest due. Five queries whatever the numbers."""
    organisation = organisation_of(user)
    if organisation is None:
        return None
    monday = today - timedelta(days=today.weekday())
    today_q = Q(starts_at__gte=start_of_day(today), starts_at__lt=start_of_day(today + timedelta(days=1)))
    mine = visit_list_for_user(user=user).filter(officers=user)
    visits = mine.aggregate(
        today=Count("pk", filter=today_q),
        week=Count(
            "pk", filter=Q(starts_at__gte=start_of_day(monday), starts_at__lt=start_of_day(monday + timedelta(7)))
        ),
        not_recorded=Count("pk", filter=visit_not_recorded_q(today=today)),
    )
    todays = (
        mine.filter(today_q)
        .select_related("client")
        .prefetch_related(None)
        .prefetch_related(visit_officers_prefetch())
        .order_by("starts_at", "pk")
    )
    sent = referral_sent_q(organisation) & Q(from_officer=user)
    assigned = referral_received_q(organisation) & Q(assigned_officer=user)
    overdue = referral_due_q(due="overdue", today=today)
    referrals = Referral.objects.filter(sent | assigned).aggregate(
        sent_open=Count("pk", filter=sent & OPEN_Q),
        sent_overdue=Count("pk", filter=sent & overdue),
        assigned_open=Count("pk", filter=assigned & OPEN_Q),
        assigned_overdue=Count("pk", filter=assigned & overdue),
    )
    return {
        "visits": visits,
        "todays_visits": visit_rows(todays, user),
        "referrals": referrals,
        "open_referrals": referral_soonest_due(
            referral_list_for_user(user=user).filter(OPEN_Q & (sent | assigned)), HOME_LIST_LENGTH
        ),
        "overdue_total": referrals["sent_overdue"] + referrals["assigned_overdue"] + visits["not_recorded"],
        "monday": monday,
        "sunday": week_end(today),
    }


def inbox_home_for_user(*, user, today: date) -> dict | None:
    """A partner organisation's officer: the referrals their organisation has received and not yet
    finished, counted by status and by the date they are next due. One query."""
    organisation = organisation_of(user)
    if organisation is None or organisation.kind in ("council", "district_council"):
        return None
    counts = referral_inbox_for_user(user=user).aggregate(
        open=Count("pk", filter=OPEN_Q),
        sent=Count("pk", filter=Q(status=Referral.Status.SENT)),
        accepted=Count("pk", filter=Q(status=Referral.Status.ACCEPTED)),
        in_progress=Count("pk", filter=Q(status=Referral.Status.IN_PROGRESS)),
        overdue=Count("pk", filter=referral_due_q(due="overdue", today=today)),
        due_today=Count("pk", filter=referral_due_q(due="today", today=today)),
        due_week=Count("pk", filter=referral_due_q(due="week", today=today)),
        unassigned=Count("pk", filter=UNASSIGNED_Q),
    )
    return {"organisation": organisation, "counts": counts, "sunday": week_end(today)}


def team_home_for_user(*, user, today: date) -> dict | None:
    """A team manager: the team's received referrals that are overdue or assigned to nobody, and the
    referrals the team sent that the partner has let go overdue. Three queries."""
    organisation = organisation_of(user)
    if organisation is None:
        return None
    received = referral_received_q(organisation) & referral_team_q(box="inbox", user=user)
    sent = referral_sent_q(organisation) & referral_team_q(box="outbox", user=user)
    overdue = referral_due_q(due="overdue", today=today)
    counts = Referral.objects.filter(received | sent).aggregate(
        received_overdue=Count("pk", filter=received & overdue),
        unassigned=Count("pk", filter=received & UNASSIGNED_Q),
        sent_overdue=Count("pk", filter=sent & overdue),
    )
    referrals = referral_list_for_user(user=user)
    membership = membership_of(user)
    return {
        "team": membership.team if membership else None,
        "counts": counts,
        "overdue": referral_soonest_due(referrals.filter(received & overdue), HOME_LIST_LENGTH),
        "unassigned": referral_soonest_due(referrals.filter(received & UNASSIGNED_Q), HOME_LIST_LENGTH),
    }


def partnership_home_for_user(*, user, today: date) -> dict | None:
    """A partnership manager, until the partnership dashboards arrive: this quarter's partner feedback
    figures (as the partner feedback page counts them) and the organisation's overdue referrals, both
    ways. Six queries."""
    organisation = organisation_of(user)
    if organisation is None:
        return None
    received, sent = referral_received_q(organisation), referral_sent_q(organisation)
    overdue = referral_due_q(due="overdue", today=today)
    counts = Referral.objects.filter(received | sent).aggregate(
        received_overdue=Count("pk", filter=received & overdue),
        sent_overdue=Count("pk", filter=sent & overdue),
    )
    referrals = referral_list_for_user(user=user)
    feedback = partner_feedback_for_quarter(user=user, organisation=organisation, today=today)
    return {
        "organisation": organisation,
        "counts": counts,
        "received_overdue": referral_soonest_due(referrals.filter(received & overdue), HOME_LIST_LENGTH),
        "sent_overdue": referral_soonest_due(referrals.filter(sent & overdue), HOME_LIST_LENGTH),
        "feedback": feedback,
    }
