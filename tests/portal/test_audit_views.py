import csv
import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal import audit
from portal.models import AuditEvent
from tests.factories import MinistryFactory, SocialGroupFactory, member_of

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
LIST_URL = reverse("portal:audit_list")
EXPORT_URL = reverse("portal:audit_export")
HEADERS = [
    "ID",
    "Time (Asia/Shanghai)",
    "Actor",
    "User name",
    "Action",
    "Object type",
    "Object ID",
    "Object",
    "From",
    "To",
    "Note",
    "IP address",
    "Previous hash",
    "Hash",
]


@pytest.fixture(autouse=True)
def _english(settings):
    # Assertions read the English source text, whatever translations the catalogue holds.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def secretariat():
    return member_of(MinistryFactory(), username="mii", name="王秘书")


@pytest.fixture
def secretariat_client(client, secretariat):
    client.force_login(secretariat)
    return client


def _listed(response) -> list[int]:
    return [event.id for event in response.context["page_obj"]]


def _csv(response) -> tuple[str, list[list[str]]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return text[0], list(csv.reader(io.StringIO(text[1:])))


def test_audit_list_secretariat_sees_events_newest_first(secretariat_client):
    organisation = SocialGroupFactory(name="中国纺织工业联合会")
    first = audit.record(action="organisation.create", target=organisation, note="首条")
    second = audit.record(action="membership.add", target=organisation, note="第二条")

    response = secretariat_client.get(LIST_URL)

    content = response.content.decode()
    assert (_listed(response), "中国纺织工业联合会" in content, content.index("第二条") < content.index("首条")) == (
        [second.id, first.id],
        True,
        True,
    )


def test_audit_list_filters_by_action(secretariat_client):
    audit.record(action="organisation.create")
    wanted = audit.record(action="calendar.set")

    response = secretariat_client.get(LIST_URL, {"action": "calendar.set"})

    assert (_listed(response), "1 event matches." in response.content.decode()) == ([wanted.id], True)


def test_audit_list_filters_by_actor_name_or_username(secretariat_client, secretariat):
    audit.record(action="test.system")
    wanted = audit.record(action="test.by_person", actor=secretariat)

    by_name = secretariat_client.get(LIST_URL, {"actor": "秘书"})
    by_username = secretariat_client.get(LIST_URL, {"actor": "MII"})

    assert (_listed(by_name), _listed(by_username)) == ([wanted.id], [wanted.id])


def test_audit_list_filters_by_local_date_range(secretariat_client):
    event = audit.record(action="test.event")
    today = timezone.now().astimezone(SHANGHAI).date()

    including = secretariat_client.get(LIST_URL, {"date_from": today.isoformat(), "date_to": today.isoformat()})
    before = secretariat_client.get(LIST_URL, {"date_to": (today - timedelta(days=1)).isoformat()})

    assert (_listed(including), _listed(before)) == ([event.id], [])


def test_audit_list_filters_by_object_type(secretariat_client, secretariat):
    audit.record(action="test.user", target=secretariat)
    wanted = audit.record(action="test.organisation", target=SocialGroupFactory())

    response = secretariat_client.get(LIST_URL, {"object_type": "portal.organisation"})

    assert _listed(response) == [wanted.id]


def test_audit_list_filters_by_text_in_object_or_note(secretariat_client):
    in_label = audit.record(action="test.event", target=SocialGroupFactory(name="中国电子学会"))
    in_note = audit.record(action="test.event", note="退回：缺少电子版材料")
    audit.record(action="test.event", note="其他")

    response = secretariat_client.get(LIST_URL, {"q": "电子"})

    assert _listed(response) == [in_note.id, in_label.id]


def test_audit_list_reversed_date_range_is_refused_with_a_message(secretariat_client):
    audit.record(action="test.event")

    response = secretariat_client.get(LIST_URL, {"date_from": "2026-05-02", "date_to": "2026-05-01"})

    content = response.content.decode()
    assert (
        response.status_code,
        "The end date is before the start date." in content,
        'value="2026-05-02"' in content,
    ) == (
        400,
        True,
        True,
    )


def test_audit_list_paginates_and_keeps_the_filter(secretariat_client):
    for i in range(21):
        audit.record(action="test.page", note=f"n{i}")

    first = secretariat_client.get(LIST_URL, {"action": "test.page"})
    second = secretariat_client.get(LIST_URL, {"action": "test.page", "page": 2})

    assert (
        len(_listed(first)),
        len(_listed(second)),
        'href="?action=test.page&amp;page=2"' in first.content.decode(),
    ) == (
        20,
        1,
        True,
    )


def test_audit_list_query_count_does_not_grow_with_events(secretariat_client, secretariat, django_assert_num_queries):
    organisation = SocialGroupFactory()
    audit.record(action="test.event", target=organisation, actor=secretariat)
    with CaptureQueriesContext(connection) as one_event:
        secretariat_client.get(LIST_URL)
    for _ in range(19):
        audit.record(action="test.event", target=organisation, actor=secretariat)

    with django_assert_num_queries(len(one_event.captured_queries)):
        response = secretariat_client.get(LIST_URL)

    assert len(_listed(response)) == 20


def test_audit_export_writes_bom_headers_and_local_times(secretariat_client, secretariat):
    organisation = SocialGroupFactory(name="中国标准化协会")
    event = audit.record(
        action="organisation.create",
        target=organisation,
        actor=secretariat,
        from_state="draft",
        to_state="submitted",
        note="中文备注",
        ip_address="203.0.113.9",
    )

    response = secretariat_client.get(EXPORT_URL)

    bom, rows = _csv(response)
    local = event.created_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")
    assert (response["Content-Type"], bom, rows) == (
        "text/csv; charset=utf-8",
        "\ufeff",
        [
            HEADERS,
            [
                str(event.id),
                local,
                "王秘书",
                "mii",
                "organisation.create",
                "portal.organisation",
                str(organisation.pk),
                "中国标准化协会",
                "draft",
                "submitted",
                "中文备注",
                "203.0.113.9",
                event.prev_hash,
                event.hash,
            ],
        ],
    )


def test_audit_export_follows_the_filter_oldest_first(secretariat_client):
    first = audit.record(action="calendar.set")
    audit.record(action="organisation.create")
    second = audit.record(action="calendar.set")

    response = secretariat_client.get(EXPORT_URL, {"action": "calendar.set"})

    _bom, rows = _csv(response)
    assert [row[0] for row in rows[1:]] == [str(first.id), str(second.id)]


def test_audit_export_is_itself_audited(secretariat_client, secretariat):
    audit.record(action="calendar.set")
    audit.record(action="calendar.set")

    response = secretariat_client.get(EXPORT_URL, {"action": "calendar.set"})
    _bom, rows = _csv(response)

    export = AuditEvent.objects.latest("id")
    assert (export.action, export.actor, export.note, export.ip_address, len(rows)) == (
        "audit.export",
        secretariat,
        "2 events; filter: action=calendar.set",
        "127.0.0.1",
        3,
    )


def test_audit_export_leaves_out_its_own_event(secretariat_client):
    before = audit.record(action="test.event")

    _bom, rows = _csv(secretariat_client.get(EXPORT_URL))

    assert [row[0] for row in rows[1:]] == [str(before.id)]


def test_audit_export_cells_that_excel_would_run_are_quoted(secretariat_client):
    audit.record(action="test.event", note='=HYPERLINK("http://example.com")')

    _bom, rows = _csv(secretariat_client.get(EXPORT_URL))

    assert rows[1][HEADERS.index("Note")] == '\'=HYPERLINK("http://example.com")'


def test_audit_export_invalid_filter_is_refused_and_not_audited(secretariat_client):
    response = secretariat_client.get(EXPORT_URL, {"date_from": "not a date"})

    assert (response.status_code, "Enter a valid date." in response.content.decode(), AuditEvent.objects.count()) == (
        400,
        True,
        0,
    )


@pytest.mark.parametrize("url", [LIST_URL, EXPORT_URL])
def test_audit_pages_applicant_is_forbidden(client, url):
    client.force_login(member_of(SocialGroupFactory()))

    response = client.get(url)

    assert (response.status_code, AuditEvent.objects.filter(action="audit.export").count()) == (403, 0)


@pytest.mark.parametrize("url", [LIST_URL, EXPORT_URL])
def test_audit_pages_anonymous_is_sent_to_login(client, url):
    response = client.get(url)

    assert (response.status_code, response["Location"]) == (302, f"{reverse('login')}?next={url}")


@pytest.mark.parametrize("events", [1, 40])
def test_audit_filter_offers_each_held_action_and_type_once_however_long_the_log(
    secretariat_client, events, django_assert_num_queries
):
    organisation = SocialGroupFactory()
    for _ in range(events):
        audit.record(action="organisation.rename", target=organisation)
        audit.record(action="custom.thing")

    with django_assert_num_queries(9):  # the same at 1 and 40 events of each
        html = secretariat_client.get(LIST_URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    actions = html[html.index('<select name="action"') : html.index("</select>", html.index('<select name="action"'))]
    types = html[html.index('<select name="object_type"') :]
    types = types[: types.index("</select>")]
    assert actions.count('value="organisation.rename"') == 1
    assert actions.count('value="custom.thing"') == 1
    assert types.count('value="portal.organisation"') == 1
