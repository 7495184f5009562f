"""The questions forwarded to a group or a recommender: their list and answer page show the question and the
project, never the filer, the grounds as filed, the evidence or another organisation's question."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.models import AuditEvent
from publicity.models import ObjectionForward
from publicity.services import objections as services
from tests.factories import member_of
from tests.publicity.factories import open_notice, secretariat_user
from tests.publicity.test_objection_services import FILER, GROUNDS, file

pytestmark = pytest.mark.django_db
QUESTION = "有意见认为贵单位标准的关键指标未严于行业标准，请说明。"


@pytest.fixture
def forwarded():
    """An objection with evidence, its question forwarded to the group and to the recommender."""
    objection = file(open_notice(count=1), with_evidence=True)
    application = objection.application
    services.forward(
        objection=objection,
        by=secretariat_user(),
        organisations=[application.group, application.recommender],
        question=QUESTION,
    )
    return objection


def _forward(objection, organisation) -> ObjectionForward:
    return objection.forwards.get(organisation=organisation)


def _url(forward) -> str:
    return reverse("publicity:answer_detail", kwargs={"pk": forward.pk})


def _filer_shown(html: str) -> list[str]:
    return [detail for detail in (FILER.name, FILER.phone, FILER.email, FILER.organisation, GROUNDS) if detail in html]


def test_list_shows_the_organisations_own_questions_only(client, forwarded):
    group = forwarded.application.group
    client.force_login(member_of(group))

    response = client.get(reverse("publicity:answer_list"))

    assert list(response.context["page_obj"]) == [_forward(forwarded, group)]
    assert _filer_shown(response.content.decode()) == []


def test_list_is_empty_for_another_organisation(client, forwarded):
    client.force_login(member_of(open_notice(count=1).entries.get().application.group))

    response = client.get(reverse("publicity:answer_list"))

    assert (response.status_code, list(response.context["page_obj"])) == (200, [])


def test_answer_page_shows_the_question_without_the_filer_nor_the_evidence(client, forwarded):
    client.force_login(member_of(forwarded.application.group))

    response = client.get(_url(_forward(forwarded, forwarded.application.group)))

    html = response.content.decode()
    assert response.status_code == 200
    assert QUESTION in html
    assert _filer_shown(html) == []
    assert "evidence" not in html
    assert forwarded.evidence_name not in html


def test_the_recommender_does_not_see_the_groups_question(client, forwarded):
    client.force_login(member_of(forwarded.application.recommender))

    assert client.get(_url(_forward(forwarded, forwarded.application.group))).status_code == 404
    assert client.get(_url(_forward(forwarded, forwarded.application.recommender))).status_code == 200


def test_anyone_else_gets_404_and_the_secretariat_reads_without_answering(client, forwarded):
    forward = _forward(forwarded, forwarded.application.group)
    client.force_login(member_of(open_notice(count=1).entries.get().application.group))
    stranger = client.get(_url(forward)).status_code
    client.force_login(secretariat_user())

    read = client.get(_url(forward))
    posted = client.post(_url(forward), {"answer": "代答"})

    assert (stranger, read.status_code, read.context["form"], posted.status_code) == (404, 200, None, 403)


def test_the_group_answers_once(client, forwarded, mailoutbox, django_capture_on_commit_callbacks):
    forward = _forward(forwarded, forwarded.application.group)
    staff = member_of(forwarded.application.group)
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        answered = client.post(_url(forward), {"answer": "关键指标严于行业标准，见附件对比表。"})
    again = client.post(_url(forward), {"answer": "改一下"})

    forward.refresh_from_db()
    assert (answered.status_code, again.status_code) == (302, 409)
    assert (forward.answer, forward.answered_by) == ("关键指标严于行业标准，见附件对比表。", staff)
    assert AuditEvent.objects.get(action="objection.answer").actor == staff
    assert any(forwarded.tracking_number in message.subject for message in mailoutbox)


def test_an_empty_or_too_long_answer_is_refused_and_kept(client, forwarded):
    client.force_login(member_of(forwarded.application.group))
    url = _url(_forward(forwarded, forwarded.application.group))

    empty = client.post(url, {"answer": " "})
    long = client.post(url, {"answer": "答" * 3001})

    assert (empty.status_code, long.status_code) == (400, 400)
    assert "答" * 3001 in long.content.decode()


def test_no_answer_once_the_objection_is_decided(client, forwarded):
    services.dismiss(objection=forwarded, by=secretariat_user(), response="不成立。")
    client.force_login(member_of(forwarded.application.group))

    response = client.post(_url(_forward(forwarded, forwarded.application.group)), {"answer": "迟到的答复"})

    assert (response.status_code, response.context["form"]) == (409, None)


def test_the_application_page_links_the_group_to_its_question_and_the_secretariat_to_the_objection(client, forwarded):
    application = forwarded.application
    client.force_login(member_of(application.group))
    group_page = client.get(application.get_absolute_url()).content.decode()
    client.force_login(secretariat_user())
    secretariat_page = client.get(application.get_absolute_url()).content.decode()

    assert _url(_forward(forwarded, application.group)) in group_page
    assert reverse("publicity:objection_detail", kwargs={"pk": forwarded.pk}) not in group_page
    assert _filer_shown(group_page) == []
    assert reverse("publicity:objection_detail", kwargs={"pk": forwarded.pk}) in secretariat_page
    assert forwarded.tracking_number in secretariat_page


def test_list_asks_the_same_number_of_queries_for_1_and_50_questions(client):
    notice = open_notice(count=1)
    group = notice.entries.get().application.group
    secretariat = secretariat_user()
    client.force_login(member_of(group))
    counts = {}
    for total in (1, 50):
        while ObjectionForward.objects.count() < total:
            services.forward(objection=file(notice), by=secretariat, organisations=[group], question=QUESTION)
        client.get(reverse("publicity:answer_list"))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("publicity:answer_list"))
        assert response.status_code == 200
        counts[total] = len(queries)

    assert counts[50] == counts[1]
