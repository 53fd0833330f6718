"""Writes for assessments: draft -> complete (frozen, with the rates version) -> superseded."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core.access import organisation_of

from .. import charging, letters
from ..models import Assessment, CapitalLine, ChargeLetter, ExpenseLine, IncomeLine
from .calculation import assessment_calculate

TRANSITIONS = {
    Assessment.Status.DRAFT: {Assessment.Status.COMPLETE},
    Assessment.Status.COMPLETE: {Assessment.Status.SUPERSEDED},
    Assessment.Status.SUPERSEDED: set(),
}


class InvalidTransition(Exception):
    pass


def _require_draft(assessment: Assessment) -> None:
    if assessment.status != Assessment.Status.DRAFT:
        raise ValidationError("This assessment is complete and cannot change. Start a re-assessment instead.")


def _locked(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update().get(pk=assessment.pk)


@transaction.atomic
def assessment_create(
    *,
    client,
    by,
    effective_date: date,
    weekly_care_cost: Decimal = Decimal("0.00"),
    is_couple: bool = False,
    partner_name: str = "",
    night_care_provided: bool = False,
    use_flat_rate_dre: bool = True,
    has_unpaid_carer: bool = False,
    receives_council_tax_support: bool = False,
    visit=None,
) -> Assessment:
    """Start a draft assessment of `client` by the officer's council, optionally recording the visit at
    which the financial information was collected (it must be a visit to the same client)."""
    organisation = organisation_of(by)
    if organisation is None:
        raise ValidationError("Your account is not linked to an organisation.")
    if visit is not None and visit.client_id != client.pk:
        raise ValidationError({"visit": "That visit was to another client."})
    assessment = Assessment(
        client=client,
        organisation=organisation,
        assessor=by,
        effective_date=effective_date,
        weekly_care_cost=weekly_care_cost,
        is_couple=is_couple,
        partner_name=partner_name,
        night_care_provided=night_care_provided,
        use_flat_rate_dre=use_flat_rate_dre,
        has_unpaid_carer=has_unpaid_carer,
        receives_council_tax_support=receives_council_tax_support,
        visit=visit,
    )
    assessment.full_clean()
    assessment._history_user = by
    assessment.save()
    return assessment


# What a draft's details form changes (`assessment_update`); the lines are added and removed one by one.
ASSESSMENT_FIELDS = (
    "effective_date",
    "weekly_care_cost",
    "is_couple",
    "partner_name",
    "night_care_provided",
    "use_flat_rate_dre",
    "has_unpaid_carer",
    "receives_council_tax_support",
)


@transaction.atomic
def assessment_update(*, assessment: Assessment, by, **fields) -> Assessment:
    """Change a draft's details (effective date, care cost, couple, night care, DRE basis)."""
    assessment = _locked(assessment)
    _require_draft(assessment)
    for name, value in fields.items():
        if name not in ASSESSMENT_FIELDS:
            raise ValueError(f"{name} cannot be changed here")
        setattr(assessment, name, value)
    assessment.full_clean()
    assessment._history_user = by
    assessment.save()
    return assessment


def _line_save(line, *, assessment: Assessment, by):
    locked = _locked(assessment)
    _require_draft(locked)
    line.full_clean()
    line._history_user = by
    line.save()
    return line


@transaction.atomic
def income_line_add(*, assessment: Assessment, by, type: str, amount: Decimal, period: str = "week", description=""):
    """Add an income line to a draft."""
    line = IncomeLine(assessment=assessment, type=type, amount=amount, period=period, description=description)
    return _line_save(line, assessment=assessment, by=by)


@transaction.atomic
def capital_line_add(
    *, assessment: Assessment, by, type: str, amount: Decimal, jointly_owned: bool = False, description=""
):
    """Add a capital line to a draft (jointly owned capital counts half)."""
    line = CapitalLine(
        assessment=assessment, type=type, amount=amount, jointly_owned=jointly_owned, description=description
    )
    return _line_save(line, assessment=assessment, by=by)


@transaction.atomic
def expense_line_add(*, assessment: Assessment, by, kind: str, weekly: Decimal, type: str = "", description=""):
    """Add a housing cost or an itemised DRE line to a draft."""
    if kind == ExpenseLine.Kind.HOUSING and type not in charging.HOUSING_TYPES:
        raise ValidationError({"type": "Select the type of housing cost"})
    if kind == ExpenseLine.Kind.DRE and not description.strip():
        raise ValidationError({"description": "Describe the expense"})
    line = ExpenseLine(assessment=assessment, kind=kind, type=type, weekly=weekly, description=description.strip())
    return _line_save(line, assessment=assessment, by=by)


LINE_MODELS = {"income": IncomeLine, "capital": CapitalLine, "expense": ExpenseLine}


@transaction.atomic
def assessment_line_remove(*, assessment: Assessment, by, kind: str, line_id: int) -> None:
    """Remove a line from a draft."""
    locked = _locked(assessment)
    _require_draft(locked)
    line = LINE_MODELS[kind].objects.get(assessment=locked, pk=line_id)
    line._history_user = by
    line.delete()


def _transition(assessment: Assessment, to: str) -> None:
    if to not in TRANSITIONS[assessment.status]:
        raise InvalidTransition(f"A {assessment.get_status_display().lower()} assessment cannot become {to}.")
    assessment.status = to


@transaction.atomic
def assessment_complete(*, assessment: Assessment, by) -> Assessment:
    """Work out the charge, store it with the rates version and freeze the assessment; the assessment it
    re-assesses becomes superseded."""
    assessment = _locked(assessment)
    _transition(assessment, Assessment.Status.COMPLETE)
    try:
        result, rates, policy = assessment_calculate(assessment=assessment)
    except charging.ChargingError as exc:
        raise ValidationError(str(exc)) from exc
    assessment.rates = rates
    assessment.policy = policy
    assessment.weekly_charge = result.weekly_charge
    assessment.result = result.as_dict()
    assessment.completed_at = timezone.now()
    assessment.completed_by = by
    assessment.full_clean()
    assessment._history_user = by
    assessment.save()
    if assessment.supersedes_id:
        previous = _locked(assessment.supersedes)
        if previous.status == Assessment.Status.COMPLETE:
            _transition(previous, Assessment.Status.SUPERSEDED)
            previous._history_user = by
            previous.save(update_fields=["status", "updated_at"])
    # Direct payment agreements whose contribution came from an assessment take the new charge, in this
    # transaction (imported here: direct payments build on assessments, not the other way round).
    from directpayments.services import agreement_contributions_follow_assessment

    agreement_contributions_follow_assessment(assessment=assessment, by=by)
    return assessment


@transaction.atomic
def assessment_reassess(*, assessment: Assessment, by, effective_date: date) -> Assessment:
    """Start a draft re-assessment copying a complete assessment's lines; completing it supersedes the old
    one from `effective_date`. Asking twice returns the same draft."""
    assessment = _locked(assessment)
    if assessment.status != Assessment.Status.COMPLETE:
        raise ValidationError("Only a complete assessment can be re-assessed.")
    existing = Assessment.objects.filter(supersedes=assessment).first()
    if existing is not None:
        return existing
    if effective_date < assessment.effective_date:
        raise ValidationError({"effective_date": "A re-assessment cannot start before the assessment it replaces"})
    draft = Assessment(
        client=assessment.client,
        organisation=assessment.organisation,
        assessor=by,
        effective_date=effective_date,
        weekly_care_cost=assessment.weekly_care_cost,
        is_couple=assessment.is_couple,
        partner_name=assessment.partner_name,
        night_care_provided=assessment.night_care_provided,
        use_flat_rate_dre=assessment.use_flat_rate_dre,
        has_unpaid_carer=assessment.has_unpaid_carer,
        receives_council_tax_support=assessment.receives_council_tax_support,
        supersedes=assessment,
    )
    draft.full_clean()
    draft._history_user = by
    draft.save()
    # Copy every line; each copy is in history with who made the re-assessment.
    copies = [
        *(
            IncomeLine(assessment=draft, type=x.type, amount=x.amount, period=x.period, description=x.description)
            for x in assessment.income_lines.all()
        ),
        *(
            CapitalLine(
                assessment=draft,
                type=x.type,
                amount=x.amount,
                jointly_owned=x.jointly_owned,
                description=x.description,
            )
            for x in assessment.capital_lines.all()
        ),
        *(
            ExpenseLine(assessment=draft, kind=x.kind, type=x.type, weekly=x.weekly, description=x.description)
            for x in assessment.expense_lines.all()
        ),
    ]
    for copy in copies:
        copy._history_user = by
        copy.save()
    return draft


@transaction.atomic
def charge_letter_store(*, assessment: Assessment, html: str, by):
    """Keep the charge letter as first issued for a complete assessment; later calls return the stored one."""
    assessment = _locked(assessment)
    if assessment.status == Assessment.Status.DRAFT:
        raise ValidationError("Complete the assessment before issuing the letter.")
    letter, _created = ChargeLetter.objects.get_or_create(
        assessment=assessment, defaults={"html": html, "created_by": by}
    )
    return letter


@transaction.atomic
def charge_letter_issue(*, assessment: Assessment, by) -> ChargeLetter:
    """Issue the charge letter of a complete (or since superseded) assessment: the HTML and the PDF are
    made the first time and stored with it; afterwards the stored letter is returned unchanged. A letter
    issued before PDFs existed gets its PDF once, from the frozen result."""
    assessment = _locked(assessment)
    if assessment.status == Assessment.Status.DRAFT:
        raise ValidationError("Complete the assessment before issuing the letter.")
    letter = ChargeLetter.objects.select_for_update().filter(assessment=assessment).first()
    if letter is None:
        letter = ChargeLetter(assessment=assessment, html=letters.letter_html(assessment=assessment), created_by=by)
    elif letter.pdf:
        return letter
    content = letters.letter_pdf(assessment=assessment)
    letter.pdf.save(f"charge-letter-{assessment.pk}.pdf", ContentFile(content), save=False)
    letter.full_clean()
    letter._history_user = by
    letter.save()
    return letter
