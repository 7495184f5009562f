"""Writing and checking the append-only audit log.

`record` is the one way in: later stages' transitions call it inside their own transaction, so the audit row
commits or rolls back with the change it describes.
"""

import hashlib
import ipaddress
import json
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from portal import public_cache
from portal.models import AuditEvent

GENESIS_HASH = "0" * 64
# An arbitrary constant naming the advisory lock that serialises appends to the chain.
_CHAIN_LOCK_KEY = 0x6A756469

# Set per request by AuditContextMiddleware, so that transitions deep in the domain know the client's IP.
current_ip: ContextVar[str | None] = ContextVar("audit_current_ip", default=None)


def _content(event: AuditEvent) -> str:
    fields = {
        "created_at": event.created_at.astimezone(UTC).isoformat(),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "target_type": event.target_type_id and _type_label(event.target_type_id),
        "target_id": event.target_id,
        "target_label": event.target_label,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "note": event.note,
        "ip_address": _address_key(event.ip_address),
        "prev_hash": event.prev_hash,
    }
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _address_key(value: str | None) -> str | None:
    # PostgreSQL's inet re-spells addresses (`::ffff:102:304` comes back as `::ffff:1.2.3.4`), and Python's
    # own spelling changed in 3.13: hash the address's bytes, which no spelling changes.
    if not value:
        return None
    try:
        return ipaddress.ip_address(value).packed.hex()
    except ValueError:
        return value  # not an address (a tampered row in SQLite): hashed as it is, so the check fails cleanly


def _client_address(value: str | None) -> str | None:
    """A valid address without its IPv6 zone (`fe80::1%eth0`), or None: an odd REMOTE_ADDR must not fail a write."""
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.split("%", 1)[0]))
    except ValueError:
        return None


def _type_label(content_type_id: int) -> str:
    # Hashed by natural key, not id, so the chain survives a dump and load into another database.
    ct = ContentType.objects.get_for_id(content_type_id)
    return f"{ct.app_label}.{ct.model}"


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_content(event).encode()).hexdigest()


def _lock_chain() -> None:
    # Two transactions appending at once would both read the same predecessor and fork the chain.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


@transaction.atomic
def record(
    *,
    action: str,
    target: models.Model | None = None,
    actor=None,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one event to the chain in the caller's transaction and return it.

    `actor` is a user or None for the system (a scheduled job); the IP defaults to the current request's.
    """
    _lock_chain()
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    actor = actor if actor is not None and actor.is_authenticated else None
    event = AuditEvent(
        created_at=timezone.now(),
        actor=actor,
        actor_label=actor.get_full_name() if actor else "",
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:300] if target is not None else "",
        from_state=from_state,
        to_state=to_state,
        note=note,
        ip_address=_client_address(ip_address or current_ip.get()),
        prev_hash=last or GENESIS_HASH,
    )
    event.hash = compute_hash(event)
    event.save()
    public_cache.changed(*public_cache.topics_of_action(action))
    return event


@dataclass(frozen=True)
class BrokenLink:
    event_id: int
    reason: str


def verify_chain() -> tuple[int, BrokenLink | None]:
    """Walk the whole chain in order; return how many events were checked and the first broken link."""
    expected_prev = GENESIS_HASH
    checked = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != expected_prev:
            return checked, BrokenLink(event.id, "previous-hash mismatch: an event before it was changed or removed")
        if compute_hash(event) != event.hash:
            return checked, BrokenLink(event.id, "content does not match its hash: this event was changed")
        expected_prev = event.hash
        checked += 1
    return checked, None
