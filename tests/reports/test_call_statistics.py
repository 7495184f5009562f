"""A call's statistics for the secretariat (/statistics/calls/<id>/): the funnel from the audit trail (an
application withdrawn later still counts at the stages it reached), per province and per recommender; each
expert's review progress; the objections; who may open it; a fixed number of queries."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from portal.choices import Province
from projects import workflow
from projects.models import ApplicationStatus
from reports import selectors
from reviews.services import reviews as review_services
from reviews.services.rubric import ensure_rubric
from tests.factories import (
    CallFactory,
    ExpertFactory,
    IndustryDelegateFactory,
    MinistryFactory,
    ProvincialDepartmentFactory,
    SocialGroupFactory,
    admitted_applications,
    make_application,
    member_of,
    submitted_application,
)
from tests.publicity.factories import open_notice
from tests.publicity.test_objection_services import file
from tests.reviews.test_reviews import assign, full_draft

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def url(call) -> str:
    return reverse("reports:call_statistics", kwargs={"pk": call.pk})


@pytest.fixture
def secretariat():
    return member_of(MinistryFactory())


@pytest.fixture
def programme(secretariat):
    """One call with an application at each point of the path, some withdrawn on the way:

    - a draft never submitted (not counted);
    - of Zhejiang groups: one submitted to the Zhejiang department, then withdrawn; one submitted to an industry
      federation, which declines it;
    - a direct application of a ministry-managed Beijing group (submitted is recommended at once);
    - four of Jiangsu groups admitted through the federation: one withdrawn during the review, one shortlisted,
      one not selected, one with every review of its one expert in.
    """
    call = CallFactory()
    department = ProvincialDepartmentFactory(province=Province.ZHEJIANG, name="浙江省经济和信息化厅")
    federation = IndustryDelegateFactory(name="中国机械工业联合会")
    zhejiang, jiangsu = SocialGroupFactory(province=Province.ZHEJIANG), SocialGroupFactory(province=Province.JIANGSU)
    direct_group = SocialGroupFactory(province=Province.BEIJING, ministry_managed=True)
    make_application(call=call, group=zhejiang)
    withdrawn = submitted_application(call=call, group=zhejiang, recommender=department)
    workflow.withdraw(withdrawn, by=withdrawn.created_by, reason="材料需要补充。")
    declined = submitted_application(call=call, group=zhejiang, recommender=federation)
    workflow.decline(declined, by=member_of(federation), reason="不符合推荐条件。")
    direct = submitted_application(call=call, group=direct_group)
    assert direct.status == S.RECOMMENDED
    left, chosen, passed, reviewed = admitted_applications(
        call=call, count=4, recommender=federation, groups=[jiangsu], secretariat=secretariat
    )
    workflow.withdraw(left, by=left.created_by, reason="企业停产。")
    workflow.shortlist(chosen, by=secretariat)
    workflow.not_select(passed, by=secretariat)
    ensure_rubric(call)
    expert = ExpertFactory(user__name="赵专家", affiliation="中国标准化研究院")
    review_services.submit(assignment=assign(reviewed, expert), by=expert.user, draft=full_draft(call))
    assign(chosen, expert)  # assigned, not reviewed yet
    return call


def test_the_funnel_counts_each_application_at_every_stage_it_reached(programme):
    funnel = selectors.funnel(programme)

    # submitted, recommended, admitted, reviewed, shortlisted, announced
    assert (funnel.total.stages, funnel.total.withdrawn) == ([7, 5, 4, 3, 1, 0], 2)


def test_the_funnel_per_province_is_the_groups_province(programme):
    funnel = selectors.funnel(programme)

    rows = {row.key: (row.stages, row.withdrawn) for row in funnel.by_province}
    assert rows == {
        Province.JIANGSU: ([4, 4, 4, 3, 1, 0], 1),
        Province.ZHEJIANG: ([2, 0, 0, 0, 0, 0], 1),
        Province.BEIJING: ([1, 1, 0, 0, 0, 0], 0),
    }
    assert [row.key for row in funnel.by_province] == [Province.JIANGSU, Province.ZHEJIANG, Province.BEIJING]


def test_the_funnel_per_recommender_has_a_line_for_direct_applications(programme):
    funnel = selectors.funnel(programme)

    rows = {row.name: row.stages for row in funnel.by_recommender}
    assert rows == {
        "中国机械工业联合会": [5, 4, 4, 3, 1, 0],
        "浙江省经济和信息化厅": [1, 0, 0, 0, 0, 0],
        "": [1, 1, 0, 0, 0, 0],
    }
    assert [row.name for row in funnel.by_recommender] == ["中国机械工业联合会", "", "浙江省经济和信息化厅"]


def test_review_progress_counts_each_experts_assignments_and_reviews(programme):
    [progress] = selectors.review_progress(programme)

    assert (progress.name, progress.affiliation) == ("赵专家", "中国标准化研究院")
    assert (progress.assigned, progress.submitted, progress.outstanding, progress.declined) == (2, 1, 1, 0)


def test_an_announced_call_reaches_the_end_of_the_funnel_and_counts_its_objections(secretariat):
    notice = open_notice(count=2, secretariat=secretariat)
    file(notice, position=1)
    file(notice, position=2)

    funnel = selectors.funnel(notice.call)

    assert funnel.total.stages == [2, 2, 2, 2, 2, 0]
    assert selectors.objection_counts(notice.call) == {"total": 2, "pending": 2, "upheld": 0, "dismissed": 0}


def test_the_page_shows_the_funnel_its_lines_the_experts_and_the_objections(client, secretariat, programme):
    client.force_login(secretariat)

    response = client.get(url(programme))

    html = response.content.decode()
    funnel = re.search(r'<table class="table" id="funnel-table".*?</table>', html, re.S).group(0)
    cells = re.findall(r'<th scope="row">(.*?)</th><td class="num">(\d+)</td>', funnel)
    assert cells == [
        ("Submitted", "7"),
        ("Recommended", "5"),
        ("Admitted to review", "4"),
        ("Reviewed", "3"),
        ("Shortlisted", "1"),
        ("Announced", "0"),
        ("Withdrawn since", "2"),
    ]
    assert response.context["chart"]["values"] == [7, 5, 4, 3, 1, 0]
    assert "Jiangsu" in html
    assert "中国机械工业联合会" in html
    assert "None: applied directly (a ministry-managed social group)" in html
    assert "赵专家" in html
    assert re.search(r'id="objection-counts".*?<dd>0</dd>', html, re.S)


def test_a_call_without_applications_says_so(client, secretariat):
    client.force_login(secretariat)

    html = client.get(url(CallFactory())).content.decode()

    assert html.count("No application has been submitted in this call yet.") == 2
    assert "No expert has been assigned in this call yet." in html


@pytest.mark.parametrize(
    ("who", "expected"),
    [("applicant", 403), ("recommender", 403), ("expert", 403), ("secretariat", 200)],
)
def test_only_the_secretariat_opens_a_calls_statistics(secretariat, who, expected):
    [application] = admitted_applications(secretariat=secretariat)
    expert = ExpertFactory()
    assign(application, expert)
    users = {
        "applicant": member_of(application.group),
        "recommender": member_of(application.recommender),
        "expert": expert.user,
        "secretariat": secretariat,
    }
    client = Client()
    client.force_login(users[who])

    response = client.get(url(application.call))

    assert response.status_code == expected
    template = "reports/call_statistics.html" if expected == 200 else "403.html"
    assert template in [used.name for used in response.templates]


def test_anonymous_visitors_are_sent_to_log_in(client):
    call = CallFactory()

    response = client.get(url(call))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url(call)}"


@pytest.mark.parametrize("pk", ["99999999999999999999", "9223372036854775808", "0"])
def test_a_call_out_of_any_range_is_not_found(client, secretariat, pk):
    client.force_login(secretariat)

    response = client.get(f"/statistics/calls/{pk}/")

    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]


def test_unknown_query_parameters_are_ignored(client, secretariat, programme):
    client.force_login(secretariat)

    response = client.get(url(programme), {"page": "NaN", "province": "\x00", "call": "99999999999999999999"})

    assert response.status_code == 200
    assert response.context["funnel"].total.stages == [7, 5, 4, 3, 1, 0]


@pytest.mark.parametrize("count", [1, 20])
def test_call_statistics_query_count_does_not_grow_with_applications(
    client, secretariat, django_assert_num_queries, count
):
    applications = admitted_applications(count=count, secretariat=secretariat)
    ensure_rubric(applications[0].call)
    for application in applications:
        assign(application, ExpertFactory())
    client.force_login(secretariat)

    # The session's user, its roles (2) and unread notifications; the call, the latest audit event, the funnel,
    # the experts' progress and the objections.
    with django_assert_num_queries(9):
        response = client.get(url(applications[0].call))

    assert response.context["funnel"].total.counts["admitted"] == count
    assert len(response.context["experts"]) == count


def test_call_statistics_are_counted_again_after_the_next_audit_event_only(
    client, secretariat, django_assert_num_queries
):
    applications = admitted_applications(count=2, secretariat=secretariat)
    call = applications[0].call
    client.force_login(secretariat)
    client.get(url(call))

    with django_assert_num_queries(6):  # the counts come from the cache
        kept = client.get(url(call))
    workflow.withdraw(applications[0], by=applications[0].created_by, reason="不再申报")
    again = client.get(url(call))

    assert kept.context["funnel"].total.withdrawn == 0
    assert again.context["funnel"].total.withdrawn == 1
    assert again.context["funnel"].total.counts["admitted"] == 2
