"""The recommender's page of ranks: reordering its recommendations in a call until its deadline."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.models import AuditEvent, Organisation
from projects import workflow
from projects.models import Application, QuotaOverride
from projects.services.calls import extend_recommendation_deadline
from tests.factories import (
    CallFactory,
    GroupStandardFactory,
    MembershipFactory,
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
# the recommended applications, quota, deadline extension, unread notifications (base.html)
QUERIES = 10


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def call():
    return CallFactory(default_quota=3)


def _submitted(call, department, group=None, standard=None) -> Application:
    return submitted_application(call=call, group=group, standard=standard, recommender=department, same_province=True)


@pytest.fixture
def recommended(call, department, recommender) -> list[Application]:
    applications = [_submitted(call, department) for _ in range(2)]
    for rank, application in enumerate(applications, start=1):
        workflow.recommend(application, by=recommender, opinion=f"同意推荐，排序第{rank}。", rank=rank)
    return applications


def ranks_url(call, organisation=None) -> str:
    url = reverse("projects:recommendation_ranks", kwargs={"call_pk": call.pk})
    return f"{url}?organisation={organisation.pk}" if organisation else url


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _state() -> tuple:
    return list(Application.objects.order_by("pk").values_list("pk", "recommendation_rank")), AuditEvent.objects.count()


def _close(call) -> None:
    call.deadline = timezone.now() - datetime.timedelta(hours=2)
    call.recommendation_deadline = timezone.now() - datetime.timedelta(minutes=1)
    call.save(update_fields=["deadline", "recommendation_deadline"])


# --- the page ----------------------------------------------------------------------------------------
def test_ranks_page_lists_the_recommendations_in_rank_order_with_prefilled_ranks(
    client, call, department, recommender, recommended
):
    first, second = recommended
    Application.objects.filter(pk=first.pk).update(recommendation_rank=3)
    client.force_login(recommender)

    response = client.get(ranks_url(call), **ENGLISH)

    assert [application.pk for application, _ in response.context["ranked"]] == [second.pk, first.pk]
    page = text(response)
    assert f'name="rank_{second.pk}" value="2"' in page
    assert f'name="rank_{first.pk}" value="3"' in page
    assert page.index("同意推荐，排序第2。") < page.index("同意推荐，排序第1。")
    assert "give each a different rank from 1 to 3" in page
    assert "Save the ranks" in page
    assert response.context["organisation"] == department


def test_ranks_page_without_recommendations_says_so(client, call, department, recommender):
    _submitted(call, department)
    client.force_login(recommender)

    response = client.get(ranks_url(call), **ENGLISH)

    assert "You have not recommended any application in this call yet." in text(response)
    assert 'id="ranks-form"' not in text(response)


def test_ranks_post_saves_the_new_order(client, call, department, recommender, recommended):
    first, second = recommended
    client.force_login(recommender)

    response = client.post(ranks_url(call), {f"rank_{first.pk}": "2", f"rank_{second.pk}": "1"}, follow=True, **ENGLISH)

    assert response.redirect_chain == [(ranks_url(call, department), 302)]
    assert dict(Application.objects.values_list("pk", "recommendation_rank")) == {first.pk: 2, second.pk: 1}
    assert "The ranks of your recommendations are saved." in text(response)
    assert AuditEvent.objects.filter(action="recommendation.reorder").count() == 2


REFUSALS = {
    "duplicate": (("1", "1"), "Rank 1 is given to more than one application."),
    "above the quota": (("4", "1"), "Give a whole number from 1 to 3."),
    "not a number": (("一", "1"), "Give a whole number from 1 to 3."),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_ranks_post_refused_keeps_the_typed_ranks(client, call, recommender, recommended, case):
    first, second = recommended
    (typed_first, typed_second), message = REFUSALS[case]
    before = _state()
    client.force_login(recommender)

    response = client.post(ranks_url(call), {f"rank_{first.pk}": typed_first, f"rank_{second.pk}": typed_second})

    assert response.status_code == 400
    page = text(response)
    assert message in page
    assert "The ranks were not saved" in page
    assert f'name="rank_{first.pk}" value="{typed_first}"' in page
    assert f'name="rank_{second.pk}" value="{typed_second}"' in page
    assert _state() == before


def test_ranks_post_after_the_deadline_is_refused_with_the_reason(client, call, recommender, recommended):
    first, second = recommended
    _close(call)
    before = _state()
    client.force_login(recommender)

    response = client.post(ranks_url(call), {f"rank_{first.pk}": "2", f"rank_{second.pk}": "1"}, **ENGLISH)

    assert response.status_code == 400
    page = text(response)
    assert "(Beijing time) has passed: the ranks can no longer be changed." in page
    assert f'name="rank_{first.pk}" value="2"' in page
    assert "Save the ranks" not in page
    assert _state() == before


def test_ranks_page_after_the_deadline_is_read_only(client, call, recommender, recommended):
    _close(call)
    client.force_login(recommender)

    response = client.get(ranks_url(call), **ENGLISH)

    page = text(response)
    assert "(Beijing time) has passed: the ranks can no longer be changed." in page
    assert 'name="rank_' not in page
    assert "Save the ranks" not in page


def test_ranks_page_of_a_user_acting_for_two_recommenders_follows_the_parameter(client, call, department):
    second_department = ProvincialDepartmentFactory(province="320000", name="江苏省工业和信息化厅")
    user = member_of(department)
    MembershipFactory(organisation=second_department, user=user)
    theirs = _submitted(call, second_department)
    workflow.recommend(theirs, by=user, opinion="江苏推荐。", rank=1)
    client.force_login(user)

    default = client.get(ranks_url(call))
    chosen = client.get(ranks_url(call, second_department))

    first_by_name = Organisation.objects.filter(pk__in=[department.pk, second_department.pk]).order_by("name")[0]
    assert default.context["organisation"] == first_by_name
    assert [application for application, _ in chosen.context["ranked"]] == [theirs]
    assert "江苏推荐。" in text(chosen)


# --- after the formal check has decided on some (an extension that follows an admission) ----------------
@pytest.fixture
def admitted_then_extended(call, department, recommended):
    """A (rank 1) admitted and B (rank 2) still recommended, the deadline passed, then extended."""
    secretariat = member_of(MinistryFactory())
    first, second = recommended
    _close(call)
    workflow.admit(first, by=secretariat, note="材料齐全。")
    extend_recommendation_deadline(
        call=call,
        recommender=department,
        until=timezone.now() + datetime.timedelta(days=2),
        reason="补充。",
        by=secretariat,
    )
    return first, second


def test_ranks_page_shows_an_admitted_recommendation_with_its_state_and_rank_fixed(
    client, call, recommender, admitted_then_extended
):
    first, second = admitted_then_extended
    client.force_login(recommender)

    response = client.get(ranks_url(call), **ENGLISH)

    rows = [(application.pk, field is not None) for application, field in response.context["ranked"]]
    assert rows == [(first.pk, False), (second.pk, True)]
    page = text(response)
    table_rows = [row.strip() for row in page.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]]
    assert table_rows[0].startswith(
        f'<td class="rank-cell"> 1 </td> <td><a href="{first.get_absolute_url()}">{first.standard.display_number}</a>'
    )
    assert (
        '<td><span class="badge badge-info">Under expert review</span> <small class="muted">rank fixed</small></td>'
        in table_rows[0]
    )
    assert f'name="rank_{first.pk}"' not in page
    assert f'name="rank_{second.pk}" value="2"' in table_rows[1]
    assert "they keep their ranks, and the others take ranks they do not hold." in page
    assert "Save the ranks" in page


def test_ranks_post_refuses_the_rank_of_an_admitted_recommendation_beside_the_field(
    client, call, recommender, admitted_then_extended
):
    first, second = admitted_then_extended
    before = _state()
    client.force_login(recommender)

    response = client.post(ranks_url(call), {f"rank_{second.pk}": "1"}, **ENGLISH)

    assert response.status_code == 400
    assert response.context["form"].errors == {
        f"rank_{second.pk}": [f"Rank 1 stays with {first}, which the formal check has decided on: give another rank."]
    }
    assert f'name="rank_{second.pk}" value="1"' in text(response)
    assert _state() == before


def test_ranks_post_moves_what_is_still_recommended_around_the_admitted_rank(
    client, call, department, recommender, admitted_then_extended
):
    first, second = admitted_then_extended
    client.force_login(recommender)

    response = client.post(ranks_url(call), {f"rank_{second.pk}": "3"}, follow=True, **ENGLISH)

    assert response.redirect_chain == [(ranks_url(call, department), 302)]
    assert dict(Application.objects.values_list("pk", "recommendation_rank")) == {first.pk: 1, second.pk: 3}


def test_ranks_page_with_only_fixed_ranks_offers_nothing_to_save(client, call, recommender, admitted_then_extended):
    _first, second = admitted_then_extended
    workflow.withdraw(second, by=second.created_by, reason="标准即将修订。")
    client.force_login(recommender)

    response = client.get(ranks_url(call), **ENGLISH)

    assert [field for _application, field in response.context["ranked"]] == [None]
    assert ("Save the ranks" in text(response), 'name="rank_' in text(response)) == (False, False)


# --- who may open it ---------------------------------------------------------------------------------
def test_ranks_of_another_department_is_404(client, call, recommended):
    client.force_login(member_of(ProvincialDepartmentFactory(province="320000")))

    response = client.get(ranks_url(call))

    assert response.status_code == 404
    assert "同意推荐" not in text(response)


def test_ranks_naming_an_organisation_the_user_does_not_act_for_is_404(client, call, recommender, recommended):
    other = ProvincialDepartmentFactory(province="320000")
    client.force_login(recommender)

    response = client.get(ranks_url(call, other))

    assert response.status_code == 404
    assert "同意推荐" not in text(response)


@pytest.mark.parametrize("who", ["applicant", "secretariat"])
def test_ranks_for_a_user_of_no_recommender_is_403(client, call, recommended, who):
    user = recommended[0].created_by if who == "applicant" else member_of(MinistryFactory())
    before = _state()
    client.force_login(user)

    response = client.post(ranks_url(call), {f"rank_{recommended[0].pk}": "2", f"rank_{recommended[1].pk}": "1"})

    assert response.status_code == 403
    assert _state() == before


def test_ranks_sends_anonymous_users_to_login(client, call):
    response = client.get(ranks_url(call))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


# --- queries -----------------------------------------------------------------------------------------
@pytest.fixture(params=[1, 20], ids=["1 row", "20 rows"])
def rows(request, call, department, recommender):
    QuotaOverride.objects.create(call=call, recommender=department, quota=20)
    group = SocialGroupFactory(province=department.province)
    profile = profile_of(group)
    for rank in range(1, request.param + 1):
        standard = GroupStandardFactory(issuer=profile, fills_gap=True)
        application = _submitted(call, department, group=group, standard=standard)
        workflow.recommend(application, by=recommender, opinion="同意推荐。", rank=rank)
    return request.param


def test_ranks_page_asks_the_same_number_of_queries_for_1_and_20_rows(
    client, django_assert_num_queries, recommender, call, rows
):
    client.force_login(recommender)
    client.get(ranks_url(call))  # warms the content-type cache, as a running server has it

    with django_assert_num_queries(QUERIES):
        response = client.get(ranks_url(call))

    assert len(response.context["ranked"]) == rows
