"""The audit trail: every create, change and delete records who, when and what."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile

from healthywork.core.models import AuditEvent


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (Decimal, UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, (list, tuple, set)):
        return [_plain(item) for item in value]
    return value


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The object's concrete field values (and many-to-many names) as plain JSON data."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        # Derived and bookkeeping columns (timestamps, search text) are not what a person changed;
        # a public id is kept, as it names the record.
        if field.primary_key or (not field.editable and not isinstance(field, models.UUIDField)):
            continue
        value = getattr(obj, field.name)
        data[field.name] = _plain(value)
    if obj.pk:
        for field in obj._meta.many_to_many:
            data[field.name] = sorted(str(item) for item in getattr(obj, field.name).all())
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for each field whose value changed."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def record(
    actor: Any,
    action: str,
    obj: models.Model,
    changes: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    """Write one audit event about `obj` (call inside the service's transaction). `action` is one of
    AuditEvent.Action (create, change, delete, merge, unmerge, import): anything else is a
    programming error (the audit log would show a word it cannot name)."""
    if action not in AuditEvent.Action.values:
        raise ValueError(
            f"Unknown audit action {action!r}: use one of {', '.join(AuditEvent.Action.values)}."
        )
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_pk=str(obj.pk),
        object_repr=str(obj)[:300],
        changes=changes or {},
        note=note[:300],
    )
