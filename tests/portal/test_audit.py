import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import ProgrammingError, connection, transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from portal import audit, selectors
from portal.models import AuditEvent, AuditImmutableError
from portal.workdays import local_zone
from tests.factories import SocialGroupFactory, UserFactory

pytestmark = pytest.mark.django_db


def _chain(n: int) -> list[AuditEvent]:
    return [audit.record(action="test.event", note=f"event {i}") for i in range(n)]


def _raw(sql: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _disable_guard() -> None:
    # Undone when the test's transaction rolls back: only a test may tamper with the log. PostgreSQL refuses
    # ALTER TABLE while the inserts' deferred foreign-key checks are pending, so those run first.
    _raw("SET CONSTRAINTS ALL IMMEDIATE")
    _raw("ALTER TABLE portal_auditevent DISABLE TRIGGER portal_auditevent_append_only")
    _raw("SET CONSTRAINTS ALL DEFERRED")


def test_record_links_each_event_to_the_previous_hash():
    first, second = _chain(2)

    assert (second.prev_hash, len(first.hash), first.hash != second.hash) == (first.hash, 64, True)


def test_record_hash_matches_the_stored_content():
    organisation = SocialGroupFactory(name="中国示例协会")
    user = UserFactory(name="王秘书")

    event = audit.record(
        action="test.change", target=organisation, actor=user, from_state="draft", to_state="submitted", note="备注"
    )

    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.hash, stored.target_label, stored.actor_label, stored.target_id) == (
        audit.compute_hash(stored),
        "中国示例协会",
        "王秘书",
        str(organisation.pk),
    )


def test_record_first_event_points_at_the_genesis_hash():
    assert AuditEvent.objects.count() == 0

    (event,) = _chain(1)

    assert event.prev_hash == audit.GENESIS_HASH


def test_record_takes_the_request_ip_from_the_context():
    token = audit.current_ip.set("203.0.113.7")
    try:
        event = audit.record(action="test.event")
    finally:
        audit.current_ip.reset(token)

    assert AuditEvent.objects.get(pk=event.pk).ip_address == "203.0.113.7"


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("::ffff:102:304", "::ffff:1.2.3.4"),  # PostgreSQL re-spells it; the hash must not care
        ("::102:304", "::1.2.3.4"),
        ("2001:DB8:0:0::1", "2001:db8::1"),
        ("fe80::1%eth0", "fe80::1"),  # a zone id PostgreSQL's inet would refuse
        ("not-an-address", None),
    ],
)
def test_record_ip_spelling_keeps_the_chain_intact(given, stored):
    event = audit.record(action="test.event", ip_address=given)

    assert (AuditEvent.objects.get(pk=event.pk).ip_address, audit.verify_chain()) == (stored, (1, None))


def test_verify_chain_intact_counts_every_event():
    _chain(3)

    assert audit.verify_chain() == (3, None)


def test_verify_chain_empty_log_is_intact():
    assert audit.verify_chain() == (0, None)


def test_verify_chain_changed_note_names_that_event():
    _first, second, _third = _chain(3)
    _disable_guard()

    _raw("UPDATE portal_auditevent SET note = %s WHERE id = %s", ["rewritten", second.pk])

    assert audit.verify_chain() == (
        1,
        audit.BrokenLink(second.pk, "content does not match its hash: this event was changed"),
    )


def test_verify_chain_rehashed_event_is_caught_by_the_next_link():
    # A forger who recomputes the changed event's own hash still breaks the next event's prev_hash.
    _first, second, third = _chain(3)
    _disable_guard()
    second.note = "rewritten"
    _raw(
        "UPDATE portal_auditevent SET note = %s, hash = %s WHERE id = %s",
        ["rewritten", audit.compute_hash(second), second.pk],
    )

    assert audit.verify_chain() == (
        2,
        audit.BrokenLink(third.pk, "previous-hash mismatch: an event before it was changed or removed"),
    )


def test_verify_chain_deleted_middle_event_breaks_the_next_link():
    _first, second, third = _chain(3)
    _disable_guard()

    _raw("DELETE FROM portal_auditevent WHERE id = %s", [second.pk])

    assert audit.verify_chain() == (
        1,
        audit.BrokenLink(third.pk, "previous-hash mismatch: an event before it was changed or removed"),
    )


def test_orm_queryset_update_is_refused():
    (event,) = _chain(1)

    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(note="rewritten")
    assert AuditEvent.objects.get(pk=event.pk).note == "event 0"


def test_orm_queryset_delete_is_refused():
    _chain(2)

    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 2


def test_orm_save_again_is_refused():
    (event,) = _chain(1)
    event.note = "rewritten"

    with pytest.raises(AuditImmutableError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).note == "event 0"


def test_orm_instance_delete_is_refused():
    (event,) = _chain(1)

    with pytest.raises(AuditImmutableError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_orm_bulk_update_is_refused():
    (event,) = _chain(1)
    event.note = "rewritten"

    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.bulk_update([event], ["note"])
    assert AuditEvent.objects.get(pk=event.pk).note == "event 0"


def test_database_trigger_refuses_raw_update():
    (event,) = _chain(1)

    with pytest.raises(ProgrammingError, match="append-only: UPDATE refused"), transaction.atomic():
        _raw("UPDATE portal_auditevent SET note = 'rewritten' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).note == "event 0"


def test_database_trigger_refuses_raw_delete():
    (event,) = _chain(1)

    with pytest.raises(ProgrammingError, match="append-only: DELETE refused"), transaction.atomic():
        _raw("DELETE FROM portal_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_verify_audit_command_intact_prints_count_and_ok():
    _chain(3)
    out = StringIO()

    call_command("verify_audit", stdout=out)

    assert out.getvalue().strip() == "3 audit events checked: OK"


def test_verify_audit_command_broken_names_the_event_and_fails():
    _first, second, _third = _chain(3)
    _disable_guard()
    _raw("UPDATE portal_auditevent SET actor_label = %s WHERE id = %s", ["someone else", second.pk])

    with pytest.raises(CommandError) as excinfo:
        call_command("verify_audit", stdout=StringIO())

    assert (str(excinfo.value), excinfo.value.returncode) == (
        f"Audit chain broken at event #{second.pk}: content does not match its hash: this event was changed. "
        "1 events before it are intact.",
        1,
    )


@pytest.mark.django_db(transaction=True)
def test_record_concurrent_appends_keep_one_chain():
    threads_count, per_thread = 4, 15
    start = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    def append(worker: int) -> None:
        try:
            start.wait()
            for i in range(per_thread):
                audit.record(action="test.concurrent", note=f"{worker}-{i}")
        except BaseException as exc:  # reported to the test thread below
            errors.append(exc)
        finally:
            connection.close()  # each thread opened its own connection

    threads = [threading.Thread(target=append, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    shared = AuditEvent.objects.values("prev_hash").annotate(n=Count("id")).filter(n__gt=1)
    assert (errors, audit.verify_chain(), list(shared)) == ([], (threads_count * per_thread, None), [])


def test_events_for_returns_only_that_objects_events_oldest_first():
    organisation, other = SocialGroupFactory(), SocialGroupFactory()
    first = audit.record(action="organisation.create", target=organisation)
    audit.record(action="organisation.create", target=other)
    second = audit.record(action="membership.add", target=organisation)

    assert list(selectors.events_for(organisation)) == [first, second]


def test_events_for_loads_actors_in_one_query():
    organisation = SocialGroupFactory()
    for n in range(5):
        audit.record(action="test.event", target=organisation, actor=UserFactory(name=f"用户{n}"))
    selectors.events_for(organisation)  # the content type is cached from here on

    with CaptureQueriesContext(connection) as queries:
        names = [event.actor.name for event in selectors.events_for(organisation)]

    assert (len(queries), names) == (1, [f"用户{n}" for n in range(5)])


def test_timeline_partial_shows_local_time_actor_action_states_and_note():
    organisation = SocialGroupFactory()
    event = audit.record(
        action="application.submit",
        target=organisation,
        actor=UserFactory(name="李申报"),
        from_state="draft",
        to_state="submitted",
        note="请审核",
    )
    local = event.created_at.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M")

    with translation.override("en"):
        html = render_to_string("portal/_timeline.html", {"events": selectors.events_for(organisation)})

    assert '<ol class="timeline" aria-label="History">' in html
    assert f">{local}</time>" in html
    # The action by its label; an object without a status field keeps the states as written.
    assert [text in html for text in ("李申报", "Submitted", "draft", "submitted", "请审核")] == [True] * 5


def test_timeline_partial_without_events_says_so():
    with translation.override("en"):
        html = render_to_string("portal/_timeline.html", {"events": []})

    assert html.strip() == '<p class="empty-state">No recorded events yet.</p>'
