"""Audit: saves kept in change history with who made them, that history (django-simple-history) read back as
who/when/old/new, and record views."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

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
BLANK = "(blank)"


class _Names:
    """Turns related-object ids into their names with one query per related model, not one per row."""

    def __init__(self):
        self.wanted: dict = defaultdict(set)
        self.names: dict = {}

    def want(self, model, pk) -> None:
        if pk is not None:
            self.wanted[model].add(pk)

    def load(self) -> None:
        for model, pks in self.wanted.items():
            manager = model._base_manager
            self.names[model] = {obj.pk: _name(obj) for obj in manager.filter(pk__in=pks)}

    def name(self, model, pk) -> str:
        if pk is None:
            return BLANK
        return self.names.get(model, {}).get(pk, f"#{pk} (deleted)")


def _name(obj) -> str:
    full_name = getattr(obj, "get_full_name", None)
    return (full_name() or obj.get_username()) if callable(full_name) else str(obj)


def _plain(field, value) -> str:
    if value in (None, "", []):
        return BLANK
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _m2m_ids(rows, target_name: str) -> list:
    return sorted(row[target_name] for row in rows or [])


def history_entries(
    history_qs, *, label: str = "", skip: tuple[str, ...] = ("updated_at",), value_labels: dict | None = None
) -> list[HistoryEntry]:
    """Turn a simple-history queryset into entries listing each changed field's old and new value.

    The previous version of each record is the next-older row of the same object, so diffs need no
    extra queries; names of related objects (users, organisations) are looked up in bulk.
    `value_labels` maps a JSON list field to its choices (consent purposes, say).
    """
    records = list(history_qs.select_related("history_user").order_by("id", "-history_date", "-history_id"))
    by_object: dict = defaultdict(list)
    for record in records:
        by_object[record.id].append(record)

    names = _Names()
    pending = []  # (record, [(field, old, new)])
    for versions in by_object.values():
        for index, record in enumerate(versions):
            previous = versions[index + 1] if index + 1 < len(versions) else None
            raw = []
            if previous is not None:
                delta = record.diff_against(previous, excluded_fields=list(skip))
                for change in delta.changes:
                    field = record.instance_type._meta.get_field(change.field)
                    if field.many_to_many:
                        target = field.related_model
                        target_name = field.m2m_reverse_field_name()
                        old = _m2m_ids(change.old, target_name)
                        new = _m2m_ids(change.new, target_name)
                        for pk in old + new:
                            names.want(target, pk)
                        raw.append((field, old, new))
                    elif field.is_relation:
                        old = getattr(previous, field.attname)
                        new = getattr(record, field.attname)
                        names.want(field.related_model, old)
                        names.want(field.related_model, new)
                        raw.append((field, old, new))
                    else:
                        raw.append((field, change.old, change.new))
            pending.append((record, raw))
    names.load()

    labels = value_labels or {}

    def show(field, value) -> str:
        if field.many_to_many:
            return "; ".join(names.name(field.related_model, pk) for pk in value) or BLANK
        if field.is_relation:
            return names.name(field.related_model, value)
        if field.name in labels and isinstance(value, list):
            return ", ".join(str(labels[field.name].get(item, item)) for item in value) or BLANK
        return _plain(field, value)

    entries = []
    for record, raw in pending:
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=_name(user) if user else "System",
                action=_ACTIONS.get(record.history_type, record.history_type),
                record=label or str(record.instance_type._meta.verbose_name).capitalize(),
                reason=record.history_change_reason or "",
                changes=tuple(
                    FieldChange(field=str(field.verbose_name).capitalize(), old=show(field, old), new=show(field, new))
                    for field, old, new in raw
                ),
            )
        )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


def save_with_history(instance, *, by, exclude=None):
    """Validate the model (`full_clean`) and save it, its history row naming `by` as who changed it."""
    instance.full_clean(exclude=exclude)
    instance._history_user = by
    instance.save()
    return instance


def record_view_log(*, user, record) -> RecordView:
    """Log that `user` opened `record` (a client page, say)."""
    return RecordView.objects.create(
        user=user, content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    )
