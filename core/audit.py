"""Audit: change history (django-simple-history) read back as who/when/old/new, and record views."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType

from .models import RecordView


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str
    action: str
    record: str
    reason: str
    changes: tuple[FieldChange, ...]


_ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}


def _display(record, field_name: str) -> str:
    field = record._meta.get_field(field_name)
    value = getattr(record, field.attname, None)
    if field.choices and value not in (None, ""):
        return str(dict(field.flatchoices).get(value, value))
    if value in (None, ""):
        return "(blank)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(blank)"
    return str(value)


def history_entries(history_qs, *, label: str = "", skip: tuple[str, ...] = ("updated_at",)) -> list[HistoryEntry]:
    """Turn a simple-history queryset into entries that list each changed field's old and new value.

    One query for the records (newest first, with the user who made each change); the previous
    version of each record is the next row of the same object, so diffs need no further queries.
    """
    records = list(history_qs.select_related("history_user").order_by("id", "-history_date", "-history_id"))
    by_object: dict = {}
    for record in records:
        by_object.setdefault(record.id, []).append(record)
    entries = []
    for versions in by_object.values():
        for index, record in enumerate(versions):
            previous = versions[index + 1] if index + 1 < len(versions) else None
            changes = []
            if previous is not None:
                delta = record.diff_against(previous, excluded_fields=list(skip))
                for change in delta.changes:
                    field = record.instance_type._meta.get_field(change.field)
                    if field.many_to_many:
                        changes.append(FieldChange(field=str(field.verbose_name).capitalize(), old="…", new="changed"))
                        continue
                    changes.append(
                        FieldChange(
                            field=str(field.verbose_name).capitalize(),
                            old=_display(previous, change.field),
                            new=_display(record, change.field),
                        )
                    )
            user = record.history_user
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    who=(user.get_full_name() or user.username) if user else "System",
                    action=_ACTIONS.get(record.history_type, record.history_type),
                    record=label or str(record.instance._meta.verbose_name).capitalize(),
                    reason=record.history_change_reason or "",
                    changes=tuple(changes),
                )
            )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


def record_view_log(*, user, record) -> RecordView:
    """Log that `user` opened `record` (a client page, say)."""
    return RecordView.objects.create(
        user=user, content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    )
