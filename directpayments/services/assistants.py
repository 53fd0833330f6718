"""The register of personal assistants that direct payment agreements employ or hire (writes)."""

from django.db import transaction

from partnerships.models import Organisation

from ..models import PersonalAssistant

EDITABLE = frozenset({"name", "employment", "dbs_checked_on", "hourly_rate", "is_active"})


@transaction.atomic
def personal_assistant_create(*, organisation: Organisation, by, **fields) -> PersonalAssistant:
    """Add a personal assistant to the organisation's register (kept in history)."""
    assistant = PersonalAssistant(organisation=organisation, **fields)
    assistant.name = assistant.name.strip()
    assistant.full_clean()
    assistant._history_user = by
    assistant.save()
    return assistant


@transaction.atomic
def personal_assistant_update(*, assistant_id: int, by, **fields) -> PersonalAssistant:
    """Change a personal assistant's details: rate, DBS check, on or off the register (kept in history)."""
    unknown = set(fields) - EDITABLE
    if unknown:
        raise TypeError(f"personal_assistant_update cannot change {', '.join(sorted(unknown))}")
    assistant = PersonalAssistant.objects.select_for_update().get(pk=assistant_id)
    for name, value in fields.items():
        setattr(assistant, name, value)
    assistant.name = assistant.name.strip()
    assistant.full_clean()
    assistant._history_user = by
    assistant.save()
    return assistant
