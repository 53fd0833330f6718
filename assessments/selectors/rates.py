"""Reads for assessments, rates and policy. Assessments are seen only by council casework staff of the
organisation that made them; anyone else sees none (so a view answers 404)."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import capfirst

from core.access import has_role, organisation_of
from core.money import format_money
from partnerships.models import CASEWORK_ROLES, Organisation, Role
from partnerships.selectors import routing_check

from . import charging, rate_cells
from .models import Assessment, ChargingPolicy, RatesYear

COUNCIL_KINDS = {"council", "district_council"}
HOME_LIST_LENGTH = 5


def rates_for_date(*, on: date) -> RatesYear | None:
    """The rates in force on `on`: the latest confirmed version for the financial year containing it
    (years start 6 April). A version waiting for confirmation is never used for charging."""
    return (
        RatesYear.objects.filter(start_year=charging.financial_year_start(on), status=RatesYear.Status.CONFIRMED)
        .order_by("-version")
        .first()
    )


def rates_not_ready(*, on: date, today: date | None = None) -> charging.RatesNotReady:
    """Why there are no rates in force on `on`: none entered for its year, or entered and not confirmed."""
    start_year = charging.financial_year_start(on)
    today = today or timezone.localdate()
    entered = RatesYear.objects.filter(start_year=start_year).exists()
    return charging.RatesNotReady(
        year=charging.financial_year_label(start_year),
        reason="unconfirmed" if entered else "no_rates",
        this_year=start_year == charging.financial_year_start(today),
    )


@dataclass(frozen=True)
class RatesYearRow:
    """One financial year on the rates page: the version in force and a newer one waiting, if any."""

    start_year: int
    in_force: RatesYear | None
    waiting: RatesYear | None

    @property
    def label(self) -> str:
        return charging.financial_year_label(self.start_year)

    @property
    def latest(self) -> RatesYear:
        return self.waiting or self.in_force


def rates_year_rows() -> list[RatesYearRow]:
    """Every financial year with rates, newest first (one query)."""
    rows: dict[int, dict] = {}
    for rates in RatesYear.objects.order_by("-start_year", "-version"):
        row = rows.setdefault(rates.start_year, {"in_force": None, "waiting": None})
        if rates.is_confirmed:
            row["in_force"] = row["in_force"] or rates
        elif row["in_force"] is None and row["waiting"] is None:
            row["waiting"] = rates  # only a draft newer than the version in force is waiting
    return [RatesYearRow(start_year=year, **row) for year, row in rows.items()]


def rates_year_versions(*, start_year: int) -> QuerySet[RatesYear]:
    return RatesYear.objects.filter(start_year=start_year).select_related("confirmed_by").order_by("-version")


def rates_year_previous(*, start_year: int) -> RatesYear | None:
    """The figures a new year starts from: the previous year's version in force, else its latest draft."""
    versions = RatesYear.objects.filter(start_year=start_year - 1)
    return (
        versions.filter(status=RatesYear.Status.CONFIRMED).order_by("-version").first()
        or versions.order_by("-version").first()
    )


def rates_year_startable(*, today: date) -> list[int]:
    """The years a finance lead may start now: this financial year and the next, if they have no rates."""
    this_year = charging.financial_year_start(today)
    years = RatesYear.objects.filter(start_year__in=[this_year, this_year + 1])
    taken = set(years.values_list("start_year", flat=True))
    return [year for year in (this_year, this_year + 1) if year not in taken]


def rates_year_state(*, start_year: int) -> str:
    """ "confirmed", "unconfirmed" (entered, waiting for confirmation) or "missing"."""
    statuses = set(RatesYear.objects.filter(start_year=start_year).values_list("status", flat=True))
    if RatesYear.Status.CONFIRMED in statuses:
        return "confirmed"
    return "unconfirmed" if statuses else "missing"


def rates_year_history(*, rates: RatesYear) -> list[dict]:
    """Each saved change to a version, newest first: who, when, and each figure's old and new value."""
    records = list(rates.history.select_related("history_user").order_by("-history_date", "-history_id"))
    changes = []
    for record, previous in zip(records, [*records[1:], None][: len(records)], strict=True):
        if previous is None:
            what = ["Created"]
        else:
            delta = record.diff_against(previous)
            fields = sorted(
                (change for change in delta.changes if change.field not in HISTORY_QUIET),
                key=lambda change: FIELD_ORDER.get(change.field, len(FIELD_ORDER)),
            )
            what = [_change_words(change) for change in fields]
        changes.append({"when": record.history_date, "who": record.history_user, "what": what})
    return changes


HISTORY_QUIET = {"confirmed_at", "confirmed_by"}  # said by the status line
FIELD_ORDER = {name: index for index, name in enumerate(rate_cells.CELLS)}  # figures first, in page order


def _change_words(change) -> str:
    if change.field in rate_cells.CELLS:
        name = rate_cells.title(change.field)
        return f"{name}: {_figure(change.old)} to {_figure(change.new)}"
    if change.field == "status":
        return f"Status: {RatesYear.Status(change.new).label}"
    if change.field == "cell_sources":
        return "Sources of figures updated"
    field = RatesYear._meta.get_field(change.field)
    return f"{capfirst(field.verbose_name)} changed"


def _figure(value) -> str:
    return "empty" if value is None else format_money(value)


def policy_for_date(*, on: date) -> ChargingPolicy | None:
    """The council's charging policy in force on `on`."""
    return ChargingPolicy.objects.filter(effective_from__lte=on).order_by("-effective_from", "-pk").first()


# Who enters, checks and confirms a year's rates: the council's finance leads. The nearest role is the
# finance approver (who already signs off payment runs); administrators can do everything.
FINANCE_LEAD_ROLES = (Role.FINANCE_APPROVER, Role.ADMIN)
# Who may read the rates pages: finance leads, finance officers and council casework staff.
RATES_READER_ROLES = (*FINANCE_LEAD_ROLES, Role.FINANCE_OFFICER, *CASEWORK_ROLES)


def can_manage_rates(user) -> bool:
    """Finance leads of a council start, change and confirm rates (the admin role counts as every role)."""
    organisation = organisation_of(user)
    return organisation is not None and organisation.kind in COUNCIL_KINDS and has_role(user, *FINANCE_LEAD_ROLES)


def can_read_rates(user) -> bool:
    organisation = organisation_of(user)
    return organisation is not None and organisation.kind in COUNCIL_KINDS and has_role(user, *RATES_READER_ROLES)


def finance_leads() -> QuerySet:
    """Active finance leads of active councils: who is told about the rates."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__name__in=[str(role) for role in FINANCE_LEAD_ROLES],
            membership__is_active=True,
            membership__organisation__is_active=True,
            membership__organisation__kind__in=COUNCIL_KINDS,
        )
        .distinct()
        .order_by("pk")
    )


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
