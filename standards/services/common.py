"""Helpers the registry's services share."""

from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models.fields.files import FieldFile


def changed_fields(instance: models.Model, fields: dict[str, object]) -> list[str]:
    """The names in `fields` whose value differs from the instance's.

    For a file: None keeps it, False or "" clears it, a stored file compares by name, an upload is a change.
    """
    changed = []
    for name, value in fields.items():
        current = getattr(instance, name)
        if isinstance(current, FieldFile):
            if _file_changes(current, value):
                changed.append(name)
        elif current != value:
            changed.append(name)
    return changed


def _file_changes(current: FieldFile, value: object) -> bool:
    if value is None:
        return False
    if value is False or value == "":
        return bool(current)
    if isinstance(value, FieldFile):
        return value.name != current.name
    return True


def apply_fields(instance: models.Model, fields: dict[str, object], names: list[str]) -> list[str]:
    """Set the named fields; return the stored file names they replace, to remove after commit."""
    replaced = []
    for name in names:
        value = fields[name]
        current = getattr(instance, name)
        if isinstance(current, FieldFile):
            replaced.append(current.name)
            value = value or ""
        setattr(instance, name, value)
    return [name for name in replaced if name]


def schedule_file_removal(*names: str) -> None:
    """Delete stored files once the transaction that dropped their last reference has committed."""
    for name in names:
        if name:
            transaction.on_commit(lambda name=name: default_storage.delete(name))
