"""The recommender's inbox and the decision on an application, through the web pages."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from portal.models import AuditEvent
from projects import workflow
from projects.models import Application, ApplicationStatus, QuotaOverride, RecommenderExtension
from projects.services.ranking import set_group_ranks
from tests.factories import (
    CallFactory,
    GroupStandardFactory,
    MinistryFactory,
    ProvincialDepartmentFactory,
    SocialGroupFactory,
    UserFactory,
    make_application,
    member_of,
    profile_of,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
INBOX = reverse("projects:recommendation_inbox")
# user, recommender organisations, roles (2), calls (rights joined in), counts (unfiltered, the page count
# too), the quotas (used, overridden and each organisation's deadline extension: one query however many),
# page, the unread notifications' count (navigation). The group is typed, not chosen from a list of groups.
QUERIES = 9


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def call():
    return CallFactory(default_quota=3)


def _submitted(call, department, group=None, industry_field=None) -> Application:
    group = group or SocialGroupFactory(province=department.province)
    application = make_application(call=call, group=group, complete=True, recommender=department)
    if industry_field:
        Application.objects.filter(pk=application.pk).update(industry_field=industry_field)
    return workflow.submit(application, by=application.created_by)


def _decide_url(application: Application) -> str:
    return reverse("projects:application_decide", kwargs={"pk": application.pk})


def _state(application: Application) -> tuple:
    row = Application.objects.values_list(
        "status", "updated_at", "recommendation_opinion", "recommendation_rank", "recommended_at"
    ).get(pk=application.pk)
    return row, AuditEvent.objects.count()


def _close_recommendations(call) -> None:
    """Submission and recommendation deadlines both a little in the past."""
    call.deadline = timezone.now() - datetime.timedelta(hours=2)
    call.recommendation_deadline = timezone.now() - datetime.timedelta(minutes=1)
    call.save(update_fields=["deadline", "recommendation_deadline"])


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", html)


def _rows_by_standard(html: str, applications: list[Application]) -> dict[str, str]:
    """The inbox's table row of each application, by its standard's number."""
    rows = html.split("<tr>")
    return {
        a.standard.display_number: next(row for row in rows if a.standard.display_number in row) for a in applications
    }


def listed(response) -> list:
    return list(response.context["page_obj"].object_list)


# --- inbox -------------------------------------------------------------------------------------------
def test_inbox_lists_only_the_organisations_submitted_applications(client, call, department, recommender):
    own = _submitted(call, department)
    others = _submitted(call, ProvincialDepartmentFactory(province="320000", name="江苏省工业和信息化厅"))
    make_application(call=call, complete=True, recommender=department)  # a draft: not received yet
    client.force_login(recommender)

    response = client.get(INBOX, **ENGLISH)

    assert listed(response) == [own]
    content = response.content.decode()
    assert own.standard.display_number in content
    assert others.standard.display_number not in content


def test_inbox_shows_counts_quota_and_deadline(client, call, department, recommender):
    recommended, returned, declined, _undecided = (_submitted(call, department) for _ in range(4))
    workflow.recommend(recommended, by=recommender, opinion="同意推荐。", rank=1)
    workflow.return_for_revision(returned, by=recommender, reason="补充数据。")
    workflow.decline(declined, by=recommender, reason="范围不足。")
    client.force_login(recommender)

    response = client.get(INBOX, **ENGLISH)

    counts = response.context["counts"]
    assert (counts.received, counts.recommended, counts.returned, counts.declined, counts.undecided) == (4, 1, 1, 1, 1)
    [row] = response.context["recommenders"]
    assert (row.quota.quota, row.quota.used, row.quota.left) == (3, 1, 2)
    content = response.content.decode()
    assert "1 of 3 used, 2 left" in content
    assert (row.deadline, row.passed) == (call.recommendation_deadline, False)
    beijing = timezone.localtime(call.recommendation_deadline, timezone.get_default_timezone())
    with translation.override("en"):
        expected = date_format(beijing, "DATETIME_FORMAT")
    assert f"Recommendation deadline: {expected} (Beijing time)" in _text(content)


def test_inbox_shows_a_quota_override_and_a_passed_deadline(client, call, department, recommender):
    _submitted(call, department)
    QuotaOverride.objects.create(call=call, recommender=department, quota=7)
    _close_recommendations(call)
    client.force_login(recommender)

    response = client.get(INBOX, **ENGLISH)

    assert "0 of 7 used, 7 left" in response.content.decode()
    [row] = response.context["recommenders"]
    assert row.passed is True
    assert "passed</span>" in response.content.decode()


def test_inbox_shows_the_recommenders_extended_deadline(client, call, department, recommender):
    _submitted(call, department)
    _close_recommendations(call)
    until = timezone.now() + datetime.timedelta(days=3)
    RecommenderExtension.objects.create(
        call=call, recommender=department, until=until, reason="材料补充", granted_by=UserFactory()
    )
    client.force_login(recommender)

    response = client.get(INBOX, **ENGLISH)

    [row] = response.context["recommenders"]
    assert (row.deadline, row.passed) == (until, False)
    with translation.override("en"):
        expected = date_format(timezone.localtime(until, timezone.get_default_timezone()), "DATETIME_FORMAT")
    assert f"Recommendation deadline: {expected} (Beijing time)" in _text(response.content.decode())
    assert "passed</span>" not in response.content.decode()


def test_inbox_links_to_the_ranks_and_the_letter_of_each_organisation(client, call, department, recommender):
    _submitted(call, department)
    client.force_login(recommender)

    content = client.get(INBOX, **ENGLISH).content.decode()

    ranks = reverse("projects:recommendation_ranks", kwargs={"call_pk": call.pk})
    letter = reverse("projects:recommendation_letter", kwargs={"call_pk": call.pk})
    assert f'href="{ranks}?organisation={department.pk}"' in content
    assert f'href="{letter}?organisation={department.pk}"' in content


def test_inbox_marks_resubmitted_applications(client, call, department, recommender):
    once = _submitted(call, department)
    twice = _submitted(call, department)
    workflow.return_for_revision(twice, by=recommender, reason="补充数据。")
    workflow.submit(twice, by=twice.created_by)
    client.force_login(recommender)

    content = client.get(INBOX, **ENGLISH).content.decode()

    rows = _rows_by_standard(content, [once, twice])
    assert ">resubmitted</span>" in rows[twice.standard.display_number]
    assert ">resubmitted</span>" not in rows[once.standard.display_number]


def test_inbox_shows_each_groups_own_rank_from_its_summary_table(client, call, department, recommender):
    # Issue 10: the group's rank (Application.group_rank) beside the recommender's own, "—" until the group ranks.
    group = SocialGroupFactory(province=department.province)
    staff = member_of(group)
    first, second = (
        make_application(call=call, group=group, by=staff, complete=True, recommender=department) for _ in range(2)
    )
    set_group_ranks(call=call, group=group, ranks={first.pk: 2, second.pk: 1}, by=staff)
    for application in (first, second):
        workflow.submit(application, by=staff)
    unranked = _submitted(call, department)
    client.force_login(recommender)

    content = client.get(INBOX, **ENGLISH).content.decode()

    ranks = {
        a.standard.display_number: _text(content.split(f'id="group-rank-{a.pk}">', 1)[1].split("</td>", 1)[0])
        for a in (first, second, unranked)
    }
    assert ranks == {
        first.standard.display_number: "2",
        second.standard.display_number: "1",
        unranked.standard.display_number: "—",
    }
    head = content.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert re.findall(r"<th[^>]*>([^<]*)</th>", head) == [
        "Group standard",
        "Social group",
        "Industry field",
        "Status",
        "Recommendation rank",
        "Group's summary-table rank",
        "Submitted",
    ]


def test_inbox_defaults_to_the_latest_call_and_switches_by_parameter(client, department, recommender):
    old_call = CallFactory(opens_at=timezone.now() - datetime.timedelta(days=400))
    new_call = CallFactory()
    old = _submitted(old_call, department)
    new = _submitted(new_call, department)
    client.force_login(recommender)

    default = client.get(INBOX)
    chosen = client.get(INBOX, {"call": old_call.pk})

    assert listed(default) == [new]
    assert listed(chosen) == [old]


def test_inbox_unknown_call_is_404(client, call, department, recommender):
    _submitted(call, department)
    other_call = CallFactory()
    client.force_login(recommender)

    response = client.get(INBOX, {"call": other_call.pk})

    assert response.status_code == 404


def test_inbox_filters_by_status_field_and_group(client, call, department, recommender):
    group = SocialGroupFactory(province="330000", name="浙江省节能环保协会", code="ZJJN")
    electronics = _submitted(call, department, industry_field="electronics")
    energy = _submitted(call, department, group=group, industry_field="energy_environment")
    returned = _submitted(call, department, industry_field="electronics")
    workflow.return_for_revision(returned, by=recommender, reason="补充数据。")
    client.force_login(recommender)

    by_status = client.get(INBOX, {"status": S.RETURNED})
    by_field = client.get(INBOX, {"industry_field": "energy_environment"})
    by_group = client.get(INBOX, {"group": " 节能环保 "})
    by_code = client.get(INBOX, {"group": group.code.lower()})

    assert listed(by_status) == [returned]
    assert listed(by_field) == [energy]
    assert listed(by_group) == [energy]
    assert listed(by_code) == [energy]
    assert (by_group.context["page_obj"].paginator.count, by_status.context["counts"].received) == (1, 3)
    assert electronics not in listed(by_status)


def test_inbox_refuses_staff_of_a_social_group(client, call, department):
    application = _submitted(call, department)
    client.force_login(application.created_by)

    response = client.get(INBOX)

    assert response.status_code == 403


def test_inbox_sends_anonymous_users_to_login(client):
    response = client.get(INBOX)

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_inbox_without_applications_says_so(client, recommender):
    client.force_login(recommender)

    response = client.get(INBOX, **ENGLISH)

    assert "No application names your organisation yet." in response.content.decode()


@pytest.fixture(params=[1, 20], ids=["1 row", "20 rows"])
def rows(request, call, department, recommender):
    group = SocialGroupFactory(province="330000")
    profile = profile_of(group)
    for _ in range(request.param):
        standard = GroupStandardFactory(issuer=profile, fills_gap=True)
        application = make_application(call=call, group=group, standard=standard, complete=True, recommender=department)
        workflow.submit(application, by=application.created_by)
    return recommender, request.param


def test_inbox_asks_the_same_number_of_queries_for_1_and_20_rows(client, django_assert_num_queries, rows):
    recommender, count = rows
    client.force_login(recommender)
    client.get(INBOX)  # warms the content-type cache, as a running server has it

    with django_assert_num_queries(QUERIES):
        response = client.get(INBOX)

    assert len(listed(response)) == count


# --- decide ------------------------------------------------------------------------------------------
# A return and a decline are made once confirmed (the confirmation page posts `confirm` back).
DECISIONS = {
    "return": (
        {"reason": "补充实施效果的数据。", "confirm": "yes"},
        S.RETURNED,
        "application.return_for_revision",
        "补充实施效果的数据。",
    ),
    "recommend": (
        {"opinion": "该标准先进，同意推荐。", "rank": "2"},
        S.RECOMMENDED,
        "application.recommend",
        "该标准先进，同意推荐。",
    ),
    "decline": (
        {"reason": "实施范围不足。", "confirm": "yes"},
        S.NOT_RECOMMENDED,
        "application.decline",
        "实施范围不足。",
    ),
}


@pytest.mark.parametrize("decision", DECISIONS)
def test_decide_records_each_decision(client, call, department, recommender, decision):
    application = _submitted(call, department)
    data, status, action, note = DECISIONS[decision]
    client.force_login(recommender)

    response = client.post(_decide_url(application), {"decision": decision, **data}, follow=True, **ENGLISH)

    application.refresh_from_db()
    assert application.status == status
    event = AuditEvent.objects.filter(action=action).latest("pk")
    assert event.note == note
    assert event.to_state == status
    assert response.redirect_chain[-1][0] == application.get_absolute_url()
    if decision == "recommend":
        assert application.recommendation_rank == 2
        assert application.recommendation_opinion == note


def test_detail_shows_the_decision_form_to_the_recommender_only(client, call, department, recommender):
    application = _submitted(call, department)

    client.force_login(recommender)
    as_recommender = client.get(application.get_absolute_url(), **ENGLISH)
    client.force_login(application.created_by)
    as_applicant = client.get(application.get_absolute_url(), **ENGLISH)

    assert 'id="decision-form"' in as_recommender.content.decode()
    assert "From 1 to 3" in as_recommender.content.decode()
    assert 'id="decision-form"' not in as_applicant.content.decode()


REFUSALS = {
    "return without reason": ({"decision": "return", "reason": " ", "opinion": "留着的意见"}, "Give the reasons"),
    "decline without reason": ({"decision": "decline", "reason": "", "opinion": "留着的意见"}, "Give the reasons"),
    "recommend without opinion": (
        {"decision": "recommend", "opinion": "", "rank": "1", "reason": "留着的理由"},
        "Give the recommendation opinion.",
    ),
    "rank out of range": (
        {"decision": "recommend", "opinion": "留着的意见", "rank": "4"},
        "Ensure this value is less than or equal to 3.",
    ),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_decide_refuses_incomplete_forms_keeping_what_was_typed(client, call, department, recommender, case):
    application = _submitted(call, department)
    data, message = REFUSALS[case]
    before = _state(application)
    client.force_login(recommender)

    response = client.post(_decide_url(application), data, **ENGLISH)

    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    assert "留着的" in content
    assert _state(application) == before


def test_decide_refuses_a_recommendation_beyond_the_quota(client, call, department, recommender):
    QuotaOverride.objects.create(call=call, recommender=department, quota=1)
    first = _submitted(call, department)
    workflow.recommend(first, by=recommender, opinion="同意推荐。", rank=1)
    second = _submitted(call, department)
    before = _state(second)
    client.force_login(recommender)

    response = client.post(
        _decide_url(second), {"decision": "recommend", "opinion": "第二个推荐意见", "rank": "1"}, **ENGLISH
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert "The quota of 1 recommendations in this call is used up." in content
    assert "第二个推荐意见" in content
    assert _state(second) == before


def test_decide_refuses_after_the_recommendation_deadline(client, call, department, recommender):
    application = _submitted(call, department)
    _close_recommendations(call)
    before = _state(application)
    client.force_login(recommender)

    response = client.post(
        _decide_url(application), {"decision": "return", "reason": "迟到的理由", "confirm": "yes"}, **ENGLISH
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert "has passed: no decision can be made any more." in content
    assert "迟到的理由" in content
    assert _state(application) == before


def test_decide_on_an_application_already_decided_is_409(client, call, department, recommender):
    application = _submitted(call, department)
    workflow.decline(application, by=recommender, reason="范围不足。")
    before = _state(application)
    client.force_login(recommender)

    response = client.post(_decide_url(application), {"decision": "return", "reason": "再退回"}, **ENGLISH)

    assert response.status_code == 409
    assert "cannot be returned for revision" in response.content.decode()
    assert _state(application) == before


def test_decide_on_a_decided_application_is_409_before_the_form_is_judged(client, call, department, recommender):
    application = _submitted(call, department)
    workflow.decline(application, by=recommender, reason="范围不足。")
    before = _state(application)
    client.force_login(recommender)

    response = client.post(_decide_url(application), {"decision": "recommend", "opinion": " "}, **ENGLISH)

    assert (response.status_code, response.context["refusal"]) == (
        409,
        "An application that is “Not recommended” cannot be recommended.",
    )
    assert _state(application) == before


@pytest.mark.parametrize("who", ["applicant", "secretariat"])
def test_decide_by_who_sees_but_may_not_decide_is_403_in_any_state(client, call, department, recommender, who):
    application = _submitted(call, department)
    workflow.decline(application, by=recommender, reason="范围不足。")
    before = _state(application)
    client.force_login(application.created_by if who == "applicant" else member_of(MinistryFactory()))

    response = client.post(_decide_url(application), {"decision": "return"})

    assert (response.status_code, "403.html" in [t.name for t in response.templates]) == (403, True)
    assert _state(application) == before


def test_decide_by_another_department_is_404(client, call, department):
    application = _submitted(call, department)
    before = _state(application)
    client.force_login(member_of(ProvincialDepartmentFactory(province="320000")))

    response = client.post(_decide_url(application), {"decision": "return", "reason": "无权"})

    assert response.status_code == 404
    assert _state(application) == before


def test_decide_by_the_applicant_is_403(client, call, department):
    application = _submitted(call, department)
    before = _state(application)
    client.force_login(application.created_by)

    response = client.post(_decide_url(application), {"decision": "decline", "reason": "自己拒绝"})

    assert response.status_code == 403
    assert _state(application) == before


def test_decide_sends_anonymous_users_to_login(client, call, department):
    application = _submitted(call, department)
    before = _state(application)

    response = client.post(_decide_url(application), {"decision": "decline", "reason": "匿名"})

    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert _state(application) == before


def test_decide_refuses_get(client, call, department, recommender):
    application = _submitted(call, department)
    client.force_login(recommender)

    response = client.get(_decide_url(application))

    assert response.status_code == 405
    assert response["Allow"] == "POST"


# --- what a resubmission changed, on the detail page -------------------------------------------------------
def _resubmitted(call, department, recommender, **changes) -> Application:
    application = _submitted(call, department)
    workflow.return_for_revision(application, by=recommender, reason="补充实施效果的数据。")
    Application.objects.filter(pk=application.pk).update(**changes)
    return workflow.submit(application, by=application.created_by)


@pytest.mark.parametrize("who", ["recommender", "applicant", "secretariat"])
def test_detail_shows_what_the_resubmission_changed_to_everyone_who_may_view(
    client, call, department, recommender, who
):
    application = _resubmitted(call, department, recommender, effect="产品合格率提高 8%。")
    [first, second] = application.snapshots.order_by("number")
    user = {
        "recommender": recommender,
        "applicant": application.created_by,
        "secretariat": member_of(MinistryFactory()),
    }[who]
    client.force_login(user)

    response = client.get(application.get_absolute_url(), **ENGLISH)

    content = _text(response.content.decode())
    section = content[content.index('id="revision"') : content.index("</section>", content.index('id="revision"'))]
    assert "Changes since the previous submission" in section
    at = {
        snapshot.number: timezone.localtime(snapshot.taken_at).strftime("%Y-%m-%d %H:%M")
        for snapshot in (first, second)
    }
    assert f"Submission #1 of {at[1]} → submission #2 of {at[2]} (Beijing time)" in section
    assert "<dt>Effect of the implementation</dt>" in section
    assert "产品合格率提高 <del>5</del><ins>8</ins>%。" in section
    assert section.count("<dt>") == 1


def test_detail_says_when_a_resubmission_changed_nothing(client, call, department, recommender):
    application = _resubmitted(call, department, recommender)
    client.force_login(recommender)

    response = client.get(application.get_absolute_url(), **ENGLISH)

    content = _text(response.content.decode())
    assert "Changes since the previous submission" in content
    assert "No field changed between the two submissions." in content


def test_detail_after_one_submission_has_no_changes_section(client, call, department, recommender):
    application = _submitted(call, department)
    client.force_login(recommender)

    response = client.get(application.get_absolute_url(), **ENGLISH)

    assert response.context["revision"] is None
    assert 'id="revision"' not in response.content.decode()
