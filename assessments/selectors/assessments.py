"""Reads for assessments. Assessments are seen only by council casework staff of the organisation that
made them; anyone else sees none (so a view answers 404)."""

from datetime import date

from django.db.models import QuerySet

from core.access import has_role, organisation_of
from partnerships.models import CASEWORK_ROLES

from ..models import Assessment

COUNCIL_KINDS = {"council", "district_council"}
HOME_LIST_LENGTH = 5


def can_see_assessments(user) -> bool:
    organisation = organisation_of(user)
    return organisation is not None and organisation.kind in COUNCIL_KINDS and has_role(user, *CASEWORK_ROLES)


def assessment_list_for_user(*, user) -> QuerySet[Assessment]:
    """Assessments made by the user's council, for its visiting officers and team managers only."""
    if not can_see_assessments(user):
        return Assessment.objects.none()
    return Assessment.objects.filter(organisation=organisation_of(user)).select_related(
        "client", "assessor", "rates", "organisation", "visit"
    )


def assessment_list_filtered(*, user, status: str = "", assessor: str = "") -> QuerySet[Assessment]:
    """The user's assessments with a status, and (assessor='me') only those the user is assessing."""
    assessments = assessment_list_for_user(user=user)
    if status:
        assessments = assessments.filter(status=status)
    if assessor == "me":
        assessments = assessments.filter(assessor=user)
    return assessments


def drafts_home_for_user(*, user, today: date) -> dict | None:
    """A council visiting officer's draft assessments, longest untouched first: the count and the
    first few, in two queries. None for anyone who does not see assessments."""
    if not can_see_assessments(user):
        return None
    drafts = assessment_list_filtered(user=user, status=Assessment.Status.DRAFT, assessor="me")
    return {"count": drafts.count(), "drafts": list(drafts.order_by("updated_at", "pk")[:HOME_LIST_LENGTH])}


def assessment_get_with_lines(*, user, pk: int) -> Assessment:
    """One assessment with its lines; raises Assessment.DoesNotExist outside the user's scope."""
    return (
        assessment_list_for_user(user=user)
        .prefetch_related("income_lines", "capital_lines", "expense_lines")
        .get(pk=pk)
    )


def current_charge_for_client(*, client, organisation=None) -> Assessment | None:
    """The client's current charge: their complete (not superseded) assessment with the latest effective
    date, by `organisation` if given (direct payments pass the council that holds the client). Its
    `weekly_charge` is the weekly assessed contribution; None if there is no complete assessment. One query.
    Not scoped to a user: callers decide who may follow a link to it (`can_see_assessments`)."""
    assessments = Assessment.objects.filter(client=client, status=Assessment.Status.COMPLETE)
    if organisation is not None:
        assessments = assessments.filter(organisation=organisation)
    return assessments.order_by("-effective_date", "-pk").first()


def assessment_history_for_client(*, user, client) -> QuerySet[Assessment]:
    """Every assessment of the client, newest effective date first: the history of charges."""
    return assessment_list_for_user(user=user).filter(client=client)
