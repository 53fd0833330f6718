"""Reads for agreements, their suspensions, adjustments and history, and the register of personal
assistants, scoped to the user's organisation (another organisation's records are a 404)."""

from dataclasses import replace

from django.db.models import Count, Q, QuerySet

from core.access import organisation_of
from core.audit import FieldChange, history_entries

from ..models import Adjustment, Agreement, PersonalAssistant, Suspension


def agreement_list_for_user(*, user) -> QuerySet[Agreement]:
    """Agreements for clients the user's organisation holds; none without an organisation."""
    organisation = organisation_of(user)
    if organisation is None:
        return Agreement.objects.none()
    return Agreement.objects.filter(client__organisation=organisation).select_related("client")


def suspension_list_for_user(*, user) -> QuerySet[Suspension]:
    """Suspensions of the agreements the user's organisation holds, with the agreement and its client."""
    return Suspension.objects.filter(agreement__in=agreement_list_for_user(user=user)).select_related(
        "agreement__client"
    )


def adjustment_list(*, agreement: Agreement) -> QuerySet[Adjustment]:
    return agreement.adjustments.select_related("run", "carried_from").order_by("-takes_effect_on", "-pk")


def agreement_history(*, agreement: Agreement) -> list:
    """Every change to an agreement and its suspensions (personal assistants included): who, when, old → new.

    The personal assistants are diffed here from one query over their history table, as simple-history's
    own m2m diff costs two queries per version."""
    entries = history_entries(agreement.history.all(), label="Agreement", skip=("updated_at", "personal_assistants"))
    assistant_changes = _assistant_changes(agreement, PersonalAssistant, FieldChange)
    entries = [
        replace(entry, changes=(*entry.changes, assistant_changes[entry.when]))
        if entry.when in assistant_changes
        else entry
        for entry in entries
    ]
    entries = [entry for entry in entries if entry.changes or entry.action != "Changed"]
    entries += history_entries(Suspension.history.filter(agreement_id=agreement.pk), label="Suspension")
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


def _assistant_changes(agreement: Agreement, assistant_model, field_change) -> dict:
    """{version's history date: FieldChange} for the versions whose personal assistants differ from the last."""
    historical_m2m = next(
        rel.related_model
        for rel in Agreement.history.model._meta.related_objects
        if rel.name.endswith("personal_assistants")
    )
    chosen: dict[int, set[int]] = {}
    for history_id, assistant_id in historical_m2m.objects.filter(history__id=agreement.pk).values_list(
        "history_id", "personalassistant_id"
    ):
        chosen.setdefault(history_id, set()).add(assistant_id)
    versions = list(agreement.history.order_by("history_date", "history_id").values_list("history_id", "history_date"))
    names = dict(
        assistant_model._base_manager.filter(pk__in={pk for ids in chosen.values() for pk in ids}).values_list(
            "pk", "name"
        )
    )

    def show(ids: set[int]) -> str:
        return "; ".join(sorted(names.get(pk, f"#{pk}") for pk in ids)) or "(blank)"

    changes, before = {}, set()
    for history_id, when in versions:
        now = chosen.get(history_id, set())
        if now != before:
            changes[when] = field_change(field="Personal assistants", old=show(before), new=show(now))
        before = now
    return changes


def personal_assistant_list_for_user(*, user) -> QuerySet:
    """The user's organisation's register of personal assistants, with how many agreements use each."""
    organisation = organisation_of(user)
    if organisation is None:
        return PersonalAssistant.objects.none()
    return PersonalAssistant.objects.filter(organisation=organisation).annotate(agreement_count=Count("agreements"))


def personal_assistant_choices(*, agreement: Agreement | None, organisation) -> QuerySet:
    """Personal assistants an agreement may use: those on the register, plus any it already has."""
    chosen = Q(is_active=True)
    if agreement is not None and agreement.pk:
        chosen |= Q(pk__in=agreement.personal_assistants.values("pk"))
    return PersonalAssistant.objects.filter(organisation=organisation).filter(chosen).order_by("name", "pk")
