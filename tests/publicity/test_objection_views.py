"""The objection pages: the public's form and status look-up, the secretariat's list, page and actions; the
refusals (closed window, wrong project, bad contact, long grounds, hostile file, too many); who reaches what."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.models import AuditEvent
from projects.models import ApplicationStatus
from publicity.models import Objection, ObjectionStatus
from publicity.services import objections as services
from standards.files import minimal_pdf
from tests.factories import member_of
from tests.publicity.factories import end_window, open_notice, scheduled_notice, secretariat_user
from tests.publicity.test_objection_services import FILER, GROUNDS, file

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice():
    return open_notice(count=2)


@pytest.fixture
def secretariat():
    return secretariat_user()


def _create_url(notice, project=None) -> str:
    url = reverse("publicity:objection_create", kwargs={"pk": notice.pk})
    return f"{url}?project={project}" if project is not None else url


def _data(**overrides) -> dict:
    data = {
        "project": "1",
        "name": FILER.name,
        "organisation": FILER.organisation,
        "phone": FILER.phone,
        "email": FILER.email,
        "grounds": GROUNDS,
    }
    return {**data, **overrides}


def _errors(response) -> dict:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


# --- filing -----------------------------------------------------------------------------------------------
def test_filing_page_offers_the_notices_projects_with_the_one_chosen(client, notice):
    response = client.get(_create_url(notice, 2))

    form = response.context["form"]
    assert (response.status_code, form.initial) == (200, {"project": 2})
    assert [value for value, _label in form.fields["project"].choices] == ["", 1, 2]
    second = notice.entries.get(position=2).application.standard
    assert second.title_zh in response.content.decode()


def test_filing_page_of_a_notice_not_open_yet_is_not_found(client):
    notice = scheduled_notice(count=1)

    assert client.get(_create_url(notice, 1)).status_code == 404
    assert client.post(_create_url(notice), _data()).status_code == 404


@pytest.mark.parametrize("project", ["3", "0", "99999999999999999999", "²", "abc"])
def test_filing_for_a_project_not_in_the_list_is_not_found(client, notice, project):
    assert client.get(_create_url(notice, project)).status_code == 404


def test_filing_a_project_not_in_the_list_is_refused_on_the_form(client, notice):
    response = client.post(_create_url(notice), _data(project="7"))

    assert (response.status_code, list(_errors(response))) == (400, ["project"])
    assert Objection.objects.count() == 0


def test_filing_after_the_window_closed_says_when_and_keeps_what_was_typed(client, notice):
    end_window(notice)

    page = client.get(_create_url(notice, 1))
    posted = client.post(_create_url(notice), _data())

    closes = services.beijing(notice.ends_at)
    assert (page.status_code, posted.status_code) == (410, 410)
    assert closes in page.content.decode()
    assert closes in posted.content.decode()
    assert GROUNDS in posted.content.decode()
    assert Objection.objects.count() == 0


def test_filing_shows_the_tracking_number_and_mails_it(client, notice, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_create_url(notice), _data(project="2", organisation=""))

    objection = Objection.objects.get()
    assert (response.status_code, objection.application) == (200, notice.entries.get(position=2).application)
    assert objection.tracking_number in response.content.decode()
    assert (objection.name, objection.organisation, objection.phone) == (FILER.name, "", FILER.phone)
    [receipt] = [message for message in mailoutbox if message.to == [FILER.email]]
    assert objection.tracking_number in receipt.body


@pytest.mark.parametrize(
    ("field", "value"),
    [("phone", "12345"), ("phone", "1380013800"), ("phone", "电话号码"), ("email", "not-an-address"), ("email", "")],
)
def test_filing_refuses_a_bad_phone_or_email_and_keeps_what_was_typed(client, notice, field, value):
    response = client.post(_create_url(notice), _data(**{field: value}))

    html = response.content.decode()
    assert (response.status_code, list(_errors(response))) == (400, [field])
    assert GROUNDS in html
    assert FILER.name in html
    assert Objection.objects.count() == 0


@pytest.mark.parametrize(("typed", "kept"), [("010-68205245", "010-68205245"), ("0755 8888 6666", "075588886666")])
def test_filing_takes_a_landline(client, notice, typed, kept):
    response = client.post(_create_url(notice), _data(phone=typed))

    assert (response.status_code, Objection.objects.get().phone) == (200, kept)


def test_filing_refuses_grounds_longer_than_2000_characters(client, notice):
    response = client.post(_create_url(notice), _data(grounds="理" * 2001))

    assert (response.status_code, list(_errors(response))) == (400, ["grounds"])
    assert Objection.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("证据.pdf", b"MZ\x90\x00 this is a program"),
        ("证据.exe", minimal_pdf("x")),
        ("证据.pdf", b""),
    ],
)
def test_filing_refuses_a_hostile_file_and_keeps_the_rest(client, notice, name, content):
    response = client.post(_create_url(notice), {**_data(), "evidence": SimpleUploadedFile(name, content)})

    assert (response.status_code, list(_errors(response))) == (400, ["evidence"])
    assert GROUNDS in response.content.decode()
    assert Objection.objects.count() == 0


def test_filing_keeps_a_hostile_file_name_only_sanitised(client, notice):
    name = "../../" + "证" * 300 + "<script>\x00.pdf"

    response = client.post(_create_url(notice), {**_data(), "evidence": SimpleUploadedFile(name, minimal_pdf("x"))})

    objection = Objection.objects.get()
    assert response.status_code == 200
    assert objection.evidence_name.endswith(".pdf")
    assert "/" not in objection.evidence_name and "<" not in objection.evidence_name  # noqa: PT018
    assert len(objection.evidence_name) <= 104
    assert re.fullmatch(r"objections/\d+/[0-9a-f]{32}\.pdf", objection.evidence.name)


def test_filing_is_limited_per_address_with_a_429_that_keeps_what_was_typed(client, notice, settings):
    settings.OBJECTION_RATE = "2/h"
    for n in range(2):
        client.post(_create_url(notice), _data(email=f"f{n}@example.cn", phone=f"1391234567{n}"))

    response = client.post(_create_url(notice), _data(email="third@example.cn", phone="13912345672"))

    html = response.content.decode()
    assert response.status_code == 429
    assert "try again later" in html or "稍后再试" in html
    assert GROUNDS in html
    assert "third@example.cn" in html
    assert Objection.objects.count() == 2


def test_filing_is_limited_per_email_and_per_phone_whatever_the_address(notice, settings):
    settings.OBJECTION_CONTACT_RATE = "1/h"
    Client(REMOTE_ADDR="10.0.0.1").post(_create_url(notice), _data())

    same_email = Client(REMOTE_ADDR="10.0.0.2").post(_create_url(notice), _data(phone="13700000000"))
    same_phone = Client(REMOTE_ADDR="10.0.0.3").post(
        _create_url(notice), _data(email="other@example.cn", phone="139 1234 5678")
    )

    assert (same_email.status_code, same_phone.status_code) == (429, 429)
    assert Objection.objects.count() == 1


def test_filing_needs_the_form_token(notice):
    client = Client(enforce_csrf_checks=True)

    response = client.post(_create_url(notice), _data())

    assert response.status_code == 403
    assert Objection.objects.count() == 0


# --- the status -----------------------------------------------------------------------------------------
def _status(client, number: str, email: str):
    return client.post(reverse("publicity:objection_status"), {"tracking_number": number, "email": email})


def test_status_shows_the_status_then_the_response_once_decided(client, notice, secretariat):
    objection = file(notice)

    before = _status(client, objection.tracking_number.lower(), FILER.email.upper())
    services.dismiss(objection=objection, by=secretariat, response="经核查，异议不成立。")
    after = _status(client, f" {objection.tracking_number} ", FILER.email)

    assert (before.status_code, before.context["objection"]) == (200, objection)
    assert "经核查" not in before.content.decode()
    assert after.context["objection"].status == ObjectionStatus.DISMISSED
    assert "经核查，异议不成立。" in after.content.decode()


def test_status_gives_one_message_for_a_wrong_number_and_a_wrong_email(client, notice):
    objection = file(notice)

    wrong_number = _status(client, "YY2026-AAAAAAAA", FILER.email)
    wrong_email = _status(client, objection.tracking_number, "someone@example.cn")

    assert (wrong_number.status_code, wrong_email.status_code) == (400, 400)
    assert wrong_number.context["form"].non_field_errors() == wrong_email.context["form"].non_field_errors()
    assert wrong_email.context["objection"] is None
    assert "someone@example.cn" in wrong_email.content.decode()


def test_status_is_asked_by_post_and_limited(client, notice, settings):
    settings.OBJECTION_STATUS_RATE = "1/h"
    objection = file(notice)
    page = client.get(reverse("publicity:objection_status"))

    _status(client, "YY2026-AAAAAAAA", FILER.email)
    limited = _status(client, objection.tracking_number, FILER.email)

    assert 'method="post"' in page.content.decode()
    assert (limited.status_code, limited.context["objection"]) == (429, None)


# --- the secretariat's list ----------------------------------------------------------------------------
def test_list_shows_pending_objections_first_and_filters(client, notice, secretariat):
    decided, pending = file(notice), file(notice, position=2)
    services.dismiss(objection=decided, by=secretariat, response="不成立。")
    other = file(open_notice(count=1))
    client.force_login(secretariat)
    url = reverse("publicity:objection_list")

    everything = client.get(url)
    dismissed = client.get(url, {"status": "dismissed"})
    of_notice = client.get(url, {"notice": str(notice.pk)})
    hostile = client.get(url, {"notice": "99999999999999999999", "status": "x" * 5000})

    assert list(everything.context["page_obj"])[2] == decided
    assert set(list(everything.context["page_obj"])[:2]) == {pending, other}
    assert list(dismissed.context["page_obj"]) == [decided]
    assert list(of_notice.context["page_obj"]) == [pending, decided]
    assert hostile.status_code == 200


def test_list_asks_the_same_number_of_queries_for_1_and_50_objections(client, notice, secretariat):
    client.force_login(secretariat)
    url = reverse("publicity:objection_list")
    counts = {}
    for total in (1, 50):
        while Objection.objects.count() < total:
            file(notice, position=1 + Objection.objects.count() % 2)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts[total] = len(queries)

    assert counts[50] == counts[1]


# --- the secretariat's page and actions -----------------------------------------------------------------
def test_detail_shows_the_filer_and_is_audited_as_read(client, notice, secretariat):
    objection = file(notice, with_evidence=True)
    client.force_login(secretariat)

    response = client.get(reverse("publicity:objection_detail", kwargs={"pk": objection.pk}))

    html = response.content.decode()
    assert response.status_code == 200
    for detail in (FILER.name, FILER.phone, FILER.email, GROUNDS):
        assert detail in html
    assert objection.application.get_absolute_url() in html
    read = AuditEvent.objects.get(action="objection.read")
    assert (read.actor, read.target_id, read.note) == (secretariat, str(objection.pk), "")


@pytest.mark.parametrize("who", ["group", "recommender", "other"])
def test_no_one_but_the_secretariat_reaches_an_objection(client, notice, who):
    objection = file(notice, with_evidence=True)
    application = objection.application
    user = {
        "group": lambda: member_of(application.group),
        "recommender": lambda: member_of(application.recommender),
        "other": lambda: member_of(open_notice(count=1).entries.get().application.group),
    }[who]()
    client.force_login(user)

    pages = [
        client.get(reverse(f"publicity:{name}", kwargs={"pk": objection.pk})).status_code
        for name in ("objection_detail", "objection_evidence")
    ]
    actions = [
        client.post(reverse(f"publicity:{name}", kwargs={"pk": objection.pk}), {}).status_code
        for name in ("objection_investigate", "objection_forward", "objection_decide")
    ]

    assert (pages, actions) == ([404, 404], [404, 404, 404])
    assert not AuditEvent.objects.filter(action__in=["objection.read", "objection.evidence_download"]).exists()


def test_the_public_is_sent_to_log_in_and_learns_nothing(client, notice):
    objection = file(notice)

    response = client.get(reverse("publicity:objection_detail", kwargs={"pk": objection.pk}))

    assert response.status_code == 302
    assert FILER.name not in response.content.decode()


def test_evidence_downloads_for_the_secretariat_only_audited(client, notice, secretariat):
    objection = file(notice, with_evidence=True)
    client.force_login(secretariat)

    response = client.get(reverse("publicity:objection_evidence", kwargs={"pk": objection.pk}))

    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "attachment" in response["Content-Disposition"]
    assert AuditEvent.objects.get(action="objection.evidence_download").note == "证据材料.pdf"


def test_an_objection_without_evidence_has_no_download(client, notice, secretariat):
    objection = file(notice)
    client.force_login(secretariat)

    assert client.get(reverse("publicity:objection_evidence", kwargs={"pk": objection.pk})).status_code == 404


def test_forward_form_is_prefilled_with_the_grounds_and_offers_the_group_and_recommender(client, notice, secretariat):
    objection = file(notice)
    client.force_login(secretariat)

    form = client.get(reverse("publicity:objection_detail", kwargs={"pk": objection.pk})).context["forward_form"]

    application = objection.application
    assert form.initial["question"] == GROUNDS
    assert [pk for pk, _name in form.fields["organisations"].choices] == [
        application.group_id,
        application.recommender_id,
    ]


def test_deciding_a_decided_objection_is_a_conflict_with_a_message(client, notice, secretariat):
    objection = file(notice)
    services.dismiss(objection=objection, by=secretariat, response="不成立。")
    client.force_login(secretariat)

    response = client.post(
        reverse("publicity:objection_decide", kwargs={"pk": objection.pk}),
        {"decide-decision": "uphold", "decide-finding": "x", "decide-response": "y"},
    )

    assert response.status_code == 409
    assert response.context["refusal"]
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.DISMISSED


def test_upholding_without_a_finding_is_refused_and_keeps_the_response(client, notice, secretariat):
    objection = file(notice)
    client.force_login(secretariat)

    response = client.post(
        reverse("publicity:objection_decide", kwargs={"pk": objection.pk}),
        {"decide-decision": "uphold", "decide-finding": "", "decide-response": "异议成立。"},
    )

    assert (response.status_code, list(response.context["decision_form"].errors)) == (400, ["finding"])
    assert "异议成立。" in response.content.decode()


# --- the whole path ------------------------------------------------------------------------------------
def _follow(client, name: str, objection: Objection, data: dict, **kwargs):
    response = client.post(reverse(f"publicity:{name}", kwargs={"pk": objection.pk, **kwargs}), data)
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("publicity:objection_detail", kwargs={"pk": objection.pk}),
    )


def test_the_whole_path_to_an_upheld_objection_and_a_withdrawn_application(client, notice, secretariat):
    public = Client()
    public.post(_create_url(notice), _data())
    objection = Objection.objects.get()
    application = objection.application
    assert _status(public, objection.tracking_number, FILER.email).context["objection"].status == "received"
    client.force_login(secretariat)

    _follow(client, "objection_investigate", objection, {})
    _follow(
        client,
        "objection_forward",
        objection,
        {"forward-organisations": [application.group_id, application.recommender_id], "forward-question": "请说明。"},
    )
    group_forward, recommender_forward = objection.forwards.order_by("pk")
    staff = Client()
    staff.force_login(member_of(application.group))
    answered = staff.post(reverse("publicity:answer_detail", kwargs={"pk": group_forward.pk}), {"answer": "已核实。"})
    _follow(
        client,
        "objection_record_answer",
        objection,
        {f"answer-{recommender_forward.pk}-answer": "推荐单位电话答复：属实。"},
        forward_pk=recommender_forward.pk,
    )
    page = client.get(reverse("publicity:objection_detail", kwargs={"pk": objection.pk})).content.decode()
    _follow(
        client,
        "objection_decide",
        objection,
        {
            "decide-decision": "uphold",
            "decide-finding": "指标未严于行业标准。",
            "decide-response": "异议成立，已撤销。",
        },
    )

    assert answered.status_code == 302
    assert "已核实。" in page
    assert "推荐单位电话答复：属实。" in page
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    status = _status(public, objection.tracking_number, FILER.email)
    assert status.context["objection"].status == ObjectionStatus.UPHELD
    assert "异议成立，已撤销。" in status.content.decode()
    actions = list(AuditEvent.objects.filter(action__startswith="objection.").values_list("action", flat=True))
    assert [action for action in actions if action != "objection.read"] == [
        "objection.file",
        "objection.investigate",
        "objection.forward",
        "objection.answer",
        "objection.answer",
        "objection.uphold",
    ]
    notes = " ".join(AuditEvent.objects.values_list("note", flat=True))
    assert [detail in notes for detail in (FILER.name, FILER.phone, FILER.email)] == [False, False, False]


def test_dismissing_after_the_close_announces_the_application(client, notice, secretariat):
    from django.utils import timezone

    from publicity import jobs

    objection = file(notice)
    end_window(notice)
    jobs.close_one(notice.pk, timezone.now())
    client.force_login(secretariat)

    _follow(client, "objection_decide", objection, {"decide-decision": "dismiss", "decide-response": "不成立。"})

    objection.application.refresh_from_db()
    assert objection.application.status == ApplicationStatus.ANNOUNCED
