"""Reads for each financial year's rates and the council's charging policy. The rates are national
figures, the same for every council, so they are not scoped by organisation: who may read or change them
is the role and council check here (`can_read_rates`, `can_manage_rates`)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import capfirst

from core.access import has_role, organisation_of
from core.money import format_money
from partnerships.models import CASEWORK_ROLES, Role

from .. import charging, rate_cells
from ..models import ChargingPolicy, RatesYear
from .assessments import COUNCIL_KINDS

HUNDRED = Decimal("100")


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


def rates_figure_rows(*, rates: RatesYear, previous: RatesYear | None) -> list[tuple[str, list[dict]]]:
    """(group title, cells) for a version's page: each figure beside last year's, the change in per cent
    (to one decimal place) and its source."""
    rows = []
    for group, title in rate_cells.GROUPS.items():
        cells = []
        for name in rate_cells.cells_in(group):
            value, before = getattr(rates, name), getattr(previous, name) if previous else None
            change = None
            if value is not None and before:
                change = ((value - before) * HUNDRED / before).quantize(Decimal("0.1"))
            cells.append(
                {
                    "title": rate_cells.title(name),
                    "value": value,
                    "before": before,
                    "change": change,
                    "source": rates.cell_sources.get(name, ""),
                }
            )
        rows.append((title, cells))
    return rows
