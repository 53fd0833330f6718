"""Reads for assessments, rates and policy. Assessments are seen only by council casework staff of the
organisation that made them; anyone else sees none (so a view answers 404)."""

from datetime import date

from django.db.models import QuerySet

from core.access import has_role, organisation_of
from partnerships.models import CASEWORK_ROLES, Organisation
from partnerships.selectors import routing_check

from . import charging
from .models import Assessment, ChargingPolicy, RatesYear

COUNCIL_KINDS = {"council", "district_council"}
HOME_LIST_LENGTH = 5


def rates_for_date(*, on: date) -> RatesYear | None:
    """The latest version of the rates for the financial year containing `on` (years start 6 April)."""
    return RatesYear.objects.filter(start_year=charging.financial_year_start(on)).order_by("-version").first()


def rates_latest(*, on: date) -> RatesYear | None:
    """The latest rates for a year starting on or before `on` (the public estimator's fallback when
    this year's rates are not entered yet)."""
    return (
        RatesYear.objects.filter(start_year__lte=charging.financial_year_start(on))
        .order_by("-start_year", "-version")
        .first()
    )


def policy_for_date(*, on: date) -> ChargingPolicy | None:
    """The council's charging policy in force on `on`."""
    return ChargingPolicy.objects.filter(effective_from__lte=on).order_by("-effective_from", "-pk").first()


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


# Which kind of partner deals with each benefit flag, in order of preference.
BENEFIT_PARTNER_KINDS = {
    "attendance_allowance": (Organisation.Kind.PENSION_SERVICE,),
    "pension_credit": (Organisation.Kind.PENSION_SERVICE,),
    "carers_allowance": (Organisation.Kind.JOBCENTRE_PLUS, Organisation.Kind.PENSION_SERVICE),
    "dla_pip": (Organisation.Kind.JOBCENTRE_PLUS,),
    "housing_benefit": (Organisation.Kind.DISTRICT_COUNCIL,),  # Council Tax Support: the billing council
}


def benefit_partner_for(*, code: str, sender: Organisation, client_age: int, on: date) -> Organisation | None:
    """The partner a benefit flag is referred to: the first active organisation of the right kind (in order
    of preference, then by name) that the sender's routing rules let take this referral; None if none."""
    kinds = BENEFIT_PARTNER_KINDS.get(code, ())
    candidates = sorted(
        Organisation.objects.filter(is_active=True, kind__in=kinds).exclude(pk=sender.pk),
        key=lambda organisation: (kinds.index(organisation.kind), organisation.name),
    )
    for organisation in candidates:
        if routing_check(
            sender=sender, receiver=organisation, referral_type=code, client_age=client_age, on=on
        ).accepted:
            return organisation
    return None
