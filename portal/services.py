"""Writes on organisations, memberships and the working-day calendar that are not lifecycle transitions."""

from collections.abc import Iterable
from datetime import date

from django.contrib.auth.models import Group
from django.db import transaction

from portal import audit
from portal.choices import OrganisationKind
from portal.models import CalendarDay, Membership, Organisation, User


@transaction.atomic
def create_organisation(
    *,
    name: str,
    code: str,
    kind: OrganisationKind,
    credit_code: str,
    province: str = "",
    social_group_type: str = "",
    ministry_managed: bool = False,
    short_name: str = "",
    by: User | None = None,
) -> Organisation:
    """Create an organisation with the Django group that carries its object permissions; audited."""
    group = Group.objects.create(name=f"org:{code}")
    organisation = Organisation(
        name=name,
        short_name=short_name,
        code=code,
        kind=kind,
        credit_code=credit_code,
        province=province,
        social_group_type=social_group_type,
        ministry_managed=ministry_managed,
        group=group,
    )
    organisation.full_clean()
    organisation.save()
    audit.record(action="organisation.create", target=organisation, actor=by)
    return organisation


@transaction.atomic
def add_member(
    *, user: User, organisation: Organisation, title: str = "", admin: bool = False, by: User | None = None
) -> Membership:
    """Make the user act for the organisation: a membership, and the organisation's permission group.

    With `admin`, the member is (also) one of its administrators. Audited as `membership.add` and
    `membership.admin`, each only when it changes something.
    """
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"title": title}
    )
    user.groups.add(organisation.group)
    if created:
        audit.record(action="membership.add", target=organisation, actor=by, note=user.username)
    if admin and not membership.is_admin:
        Membership.objects.filter(pk=membership.pk).update(is_admin=True)
        membership.is_admin = True
        audit.record(action="membership.admin", target=organisation, actor=by, note=user.username)
    return membership


@transaction.atomic
def remove_member(*, user: User, organisation: Organisation, by: User | None = None) -> None:
    """End the membership and withdraw every object permission it carried through the group."""
    deleted, _ = Membership.objects.filter(user=user, organisation=organisation).delete()
    user.groups.remove(organisation.group)
    if deleted:
        audit.record(action="membership.remove", target=organisation, actor=by, note=user.username)


@transaction.atomic
def set_calendar_day(*, day: date, kind: str, name: str = "", by: User | None = None) -> CalendarDay:
    """Add the calendar's entry for `day`, or change its kind and name; audited as `calendar.set`.

    The event's from/to states are the day's kind before and after ("" when it had no entry). Saving what
    is already there changes nothing and writes no event. Windows already computed keep their dates.
    """
    CalendarDay(date=day, kind=kind, name=name).full_clean(validate_unique=False)
    # get_or_create, not get-then-create: two people adding the same day at once must not meet an IntegrityError.
    entry, created = CalendarDay.objects.select_for_update().get_or_create(
        date=day, defaults={"kind": kind, "name": name}
    )
    before = "" if created else entry.kind
    if not created:
        if (entry.kind, entry.name) == (kind, name):
            return entry
        entry.kind, entry.name = kind, name
        entry.save(update_fields=["kind", "name"])
    audit.record(action="calendar.set", target=entry, actor=by, from_state=before, to_state=kind, note=name)
    return entry


@transaction.atomic
def delete_calendar_day(*, day: date, by: User | None = None) -> None:
    """Remove the entry for `day`, which then counts as Monday–Friday say; audited as `calendar.delete`."""
    entry = CalendarDay.objects.select_for_update().filter(date=day).first()
    if entry is None:
        return
    audit.record(action="calendar.delete", target=entry, actor=by, from_state=entry.kind, note=entry.name)
    entry.delete()


@transaction.atomic
def set_calendar_days(*, entries: Iterable[tuple[date, str, str]], by: User | None = None) -> int:
    """Set each (day, kind, name) through `set_calendar_day`: all of them or, on a refusal, none.

    For a range of dates or a pasted State Council schedule; each day that changes is audited as `calendar.set`,
    as when set alone. Returns how many days were added or changed (the others held these entries already).
    """
    entries = list(entries)
    rows = CalendarDay.objects.filter(date__in=[day for day, _, _ in entries]).values_list("date", "kind", "name")
    before = {day: (kind, name) for day, kind, name in rows}
    for day, kind, name in entries:
        set_calendar_day(day=day, kind=kind, name=name, by=by)
    return sum(before.get(day) != (kind, name) for day, kind, name in entries)


@transaction.atomic
def rename_organisation(
    *, organisation: Organisation, name: str | None = None, code: str | None = None, by: User | None = None
) -> list[str]:
    """Change the organisation's name or code (None keeps it); return the names of the fields that changed.

    A new code renames the organisation's permission group (`org:<code>`) too, so that the old code may later
    be another organisation's. Whether the code may change at all is the caller's to decide (the standards
    registry refuses once standard numbers carry it). Audited as `organisation.rename` with the old and new
    values; nothing changed writes nothing.
    """
    current = Organisation.objects.select_for_update().select_related("group").get(pk=organisation.pk)
    wanted = {"name": name, "code": code}
    changed = [field for field, value in wanted.items() if value is not None and getattr(current, field) != value]
    if not changed:
        return []
    note = "; ".join(f"{field}: {getattr(current, field)} → {wanted[field]}" for field in changed)
    for field in changed:
        setattr(current, field, wanted[field])
    current.full_clean()
    current.save(update_fields=changed)
    if "code" in changed:
        current.group.name = f"org:{current.code}"
        current.group.save(update_fields=["name"])
    audit.record(action="organisation.rename", target=current, actor=by, note=note)
    return changed
