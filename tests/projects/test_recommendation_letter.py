"""The recommendation letter (推荐函): a recommender's ranked recommendations in a call, with opinions, to print."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from projects import workflow
from projects.models import Application, QuotaOverride
from projects.services.recommendation import reorder_recommendations
from tests.factories import (
    CallFactory,
    GroupStandardFactory,
    MinistryFactory,
    ProvincialDepartmentFactory,
    SocialGroupFactory,
    member_of,
    profile_of,
    submitted_application,
)

pytestmark = pytest.mark.django_db
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
# user, recommender organisations, call, roles (memberships, expert register), the call in their inbox,
# the recommended applications with group and standard, quota, deadline extension, unread notifications
QUERIES = 10


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def call():
    return CallFactory(default_quota=3, title="2026年团体标准应用示范项目", notice_number="工信厅科函〔2026〕88号")


def _submitted(call, department, group=None, standard=None) -> Application:
    return submitted_application(call=call, group=group, standard=standard, recommender=department, same_province=True)


@pytest.fixture
def recommended(call, department, recommender) -> list[Application]:
    """Three applications: two recommended (then swapped, so rank order is not creation order), one declined."""
    first, second, declined = (_submitted(call, department) for _ in range(3))
    workflow.recommend(first, by=recommender, opinion="甲标准先进，同意推荐。", rank=1)
    workflow.recommend(second, by=recommender, opinion="乙标准效果显著，同意推荐。", rank=2)
    workflow.decline(declined, by=recommender, reason="实施范围不足。")
    reorder_recommendations(call=call, recommender=department, ranks={first.pk: 2, second.pk: 1}, by=recommender)
    return [second, first]


def letter_url(call, organisation=None) -> str:
    url = reverse("projects:recommendation_letter", kwargs={"call_pk": call.pk})
    return f"{url}?organisation={organisation.pk}" if organisation else url


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _table(page: str) -> str:
    return page[page.index('id="letter-rows"') : page.index("</table>")]


def test_letter_lists_the_recommendations_in_rank_order_with_opinions(
    client, call, department, recommender, recommended
):
    top, second = recommended
    client.force_login(recommender)

    response = client.get(letter_url(call), **ENGLISH)

    assert response.context["rows"] == [top, second]
    page = text(response)
    table = _table(page)
    assert table.index("乙标准效果显著，同意推荐。") < table.index("甲标准先进，同意推荐。")
    assert top.standard.display_number in table
    assert top.group.name in table
    assert "Innovative" in table
    assert "实施范围不足" not in page
    assert "Department of Science and Technology, Ministry of Industry and Information Technology:" in page
    assert "浙江省经济和信息化厅" in page
    assert "2026年团体标准应用示范项目（工信厅科函〔2026〕88号）" in page
    assert "recommends the 2 applications below (quota: 3)" in page
    counts = page[page.index('id="letter-counts"') :]
    assert "Applications recommended</dt><dd>2</dd>" in counts.replace("> <", "><")
    assert "Quota</dt><dd>3</dd>" in counts.replace("> <", "><")


def test_letter_is_dated_today_with_lines_for_seal_and_signature(client, call, recommender, recommended):
    client.force_login(recommender)

    response = client.get(letter_url(call), **ENGLISH)

    today = timezone.localtime(timezone.now(), timezone.get_default_timezone()).date()
    with translation.override("en"):
        expected = date_format(today, "F j, Y")  # a letter writes its date out (in Chinese: 2027年1月13日)
    page = text(response)
    assert f'<time datetime="{today.isoformat()}">{expected}</time>' in page
    assert "Recommending organisation (seal)" in page
    assert "Person in charge (signature)" in page


def test_letter_is_a_print_page_with_a_script_made_print_button(client, call, recommender, recommended):
    client.force_login(recommender)

    response = client.get(letter_url(call), **ENGLISH)

    page = text(response)
    assert 'media="print"' in page
    assert "js/print.js" in page
    assert 'id="print-button-slot" data-label="Print"' in page
    assert "<script>" not in page  # no inline script: the Content Security Policy allows none


def test_letter_warns_while_the_ranks_may_still_change(client, call, recommender, recommended):
    client.force_login(recommender)
    before = text(client.get(letter_url(call), **ENGLISH))
    call.deadline = timezone.now() - datetime.timedelta(hours=2)
    call.recommendation_deadline = timezone.now() - datetime.timedelta(minutes=1)
    call.save(update_fields=["deadline", "recommendation_deadline"])

    after = text(client.get(letter_url(call), **ENGLISH))

    assert 'id="letter-still-open"' in before
    assert 'id="letter-still-open"' not in after
    assert "乙标准效果显著，同意推荐。" in after


def test_letter_keeps_the_recommendations_the_formal_check_has_moved_on(client, call, recommender, recommended):
    top, second = recommended
    call.deadline = timezone.now() - datetime.timedelta(hours=2)
    call.recommendation_deadline = timezone.now() - datetime.timedelta(minutes=1)
    call.save(update_fields=["deadline", "recommendation_deadline"])
    secretariat = member_of(MinistryFactory())
    workflow.admit(top, by=secretariat)
    workflow.reject_ineligible(second, by=secretariat, reason="缺少标准文本。")
    client.force_login(recommender)

    response = client.get(letter_url(call), **ENGLISH)

    assert [application.pk for application in response.context["rows"]] == [top.pk, second.pk]


def test_letter_without_recommendations_says_so(client, call, department, recommender):
    _submitted(call, department)
    client.force_login(recommender)

    response = client.get(letter_url(call), **ENGLISH)

    assert "No application is recommended in this call yet." in text(response)
    assert "recommends the 0 applications below (quota: 3)" in text(response)


# --- who may open it ---------------------------------------------------------------------------------
def test_secretariat_opens_the_letter_of_any_recommender(client, call, department, recommended):
    client.force_login(member_of(MinistryFactory()))

    response = client.get(letter_url(call, department), **ENGLISH)

    assert response.status_code == 200
    assert response.context["rows"] == recommended
    assert "乙标准效果显著，同意推荐。" in text(response)
    assert "Back to the call" in text(response)


@pytest.mark.parametrize("organisation", ["none", "a social group", "unknown"])
def test_secretariat_without_a_recommender_named_gets_404(client, call, recommended, organisation):
    group = recommended[0].group
    query = {"none": "", "a social group": f"?organisation={group.pk}", "unknown": "?organisation=999999"}
    client.force_login(member_of(MinistryFactory()))

    response = client.get(letter_url(call) + query[organisation])

    assert response.status_code == 404
    assert "同意推荐" not in text(response)


def test_letter_of_another_department_is_404(client, call, department, recommended):
    client.force_login(member_of(ProvincialDepartmentFactory(province="320000")))

    own = client.get(letter_url(call))
    naming_theirs = client.get(letter_url(call, department))

    assert (own.status_code, naming_theirs.status_code) == (404, 404)
    assert "同意推荐" not in text(own) + text(naming_theirs)


def test_letter_for_an_applicant_is_403(client, call, department, recommended):
    client.force_login(recommended[0].created_by)

    response = client.get(letter_url(call, department))

    assert response.status_code == 403
    assert "同意推荐" not in text(response)


def test_letter_refuses_post(client, call, recommender, recommended):
    client.force_login(recommender)

    response = client.post(letter_url(call))

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


# --- queries -----------------------------------------------------------------------------------------
@pytest.fixture(params=[1, 20], ids=["1 row", "20 rows"])
def rows(request, call, department, recommender):
    QuotaOverride.objects.create(call=call, recommender=department, quota=20)
    group = SocialGroupFactory(province=department.province)
    profile = profile_of(group)
    for rank in range(1, request.param + 1):
        standard = GroupStandardFactory(issuer=profile, fills_gap=True)
        application = _submitted(call, department, group=group, standard=standard)
        workflow.recommend(application, by=recommender, opinion=f"同意推荐第{rank}。", rank=rank)
    return request.param


def test_letter_asks_the_same_number_of_queries_for_1_and_20_rows(
    client, django_assert_num_queries, recommender, call, rows
):
    client.force_login(recommender)
    client.get(letter_url(call))  # warms the content-type cache, as a running server has it

    with django_assert_num_queries(QUERIES):
        response = client.get(letter_url(call))

    assert len(response.context["rows"]) == rows
