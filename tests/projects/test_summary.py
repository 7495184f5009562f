"""A social group's summary table (汇总表): ranking its applications in a call, and printing the table."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from portal.models import AuditEvent
from projects import workflow
from projects.models import Application, Call, DeadlineExtension
from projects.services.ranking import set_group_ranks
from tests.factories import (
    CallFactory,
    MinistryFactory,
    SocialGroupFactory,
    UserFactory,
    make_application,
    member_of,
)

pytestmark = pytest.mark.django_db
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def call():
    return CallFactory()


@pytest.fixture
def group():
    return SocialGroupFactory(name="中国示范标准化协会")


@pytest.fixture
def applicant(group):
    return member_of(group)


@pytest.fixture
def applications(call, group, applicant):
    return [make_application(call=call, group=group, by=applicant) for _ in range(3)]


def summary_url(call) -> str:
    return reverse("projects:group_summary", kwargs={"pk": call.pk})


def print_url(call) -> str:
    return reverse("projects:group_summary_print", kwargs={"pk": call.pk})


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def ranks_of(applications) -> list[int | None]:
    return [Application.objects.get(pk=application.pk).group_rank for application in applications]


def numbers_in_order(body: str, applications) -> list[int]:
    """Which of `applications` (by index) the page shows, in the order it shows them."""
    positions = {
        body.index(application.standard.display_number): index for index, application in enumerate(applications)
    }
    return [positions[position] for position in sorted(positions)]


def rank_data(applications, ranks) -> dict[str, str]:
    # A rank of "" is a field left empty.
    return {f"rank_{application.pk}": str(rank) for application, rank in zip(applications, ranks, strict=True)}


def ranks(applications, values) -> dict[int, int | None]:
    return {application.pk: value for application, value in zip(applications, values, strict=True)}


def close(call: Call) -> None:
    Call.objects.filter(pk=call.pk).update(deadline=timezone.now() - datetime.timedelta(minutes=1))


# --- the page ---------------------------------------------------------------------------------------
def test_group_summary_lists_the_live_applications_in_the_order_they_were_started(client, applications, applicant):
    workflow.withdraw(applications[1], by=applicant, reason="改投下一批次。")
    client.force_login(applicant)

    response = client.get(summary_url(applications[0].call), **ENGLISH)

    body = text(response)
    assert "中国示范标准化协会" in body
    assert applications[1].standard.display_number not in body
    assert numbers_in_order(body, [applications[0], applications[2]]) == [0, 1]
    assert re.findall(r'name="rank_(\d+)"[^>]*value="(\d)"', body) == [
        (str(applications[0].pk), "1"),
        (str(applications[2].pk), "2"),
    ]


def test_group_summary_saves_the_ranks_and_shows_the_new_order(client, applications, applicant):
    client.force_login(applicant)

    response = client.post(
        summary_url(applications[0].call), rank_data(applications, [3, 1, 2]), follow=True, **ENGLISH
    )

    assert ranks_of(applications) == [3, 1, 2]
    body = text(response)
    assert "The order of the summary table is saved." in body
    assert numbers_in_order(body, applications) == [1, 2, 0]


def test_group_summary_swaps_ranks_without_clashing(client, applications, group, applicant):
    set_group_ranks(call=applications[0].call, group=group, ranks=ranks(applications, [1, 2, 3]), by=applicant)
    client.force_login(applicant)

    client.post(summary_url(applications[0].call), rank_data(applications, [2, 1, 3]), **ENGLISH)

    assert ranks_of(applications) == [2, 1, 3]


def test_group_summary_audits_each_application_whose_rank_changed(client, applications, group, applicant):
    set_group_ranks(call=applications[0].call, group=group, ranks=ranks(applications, [1, 2, 3]), by=applicant)
    client.force_login(applicant)

    client.post(summary_url(applications[0].call), rank_data(applications, [2, 1, 3]), **ENGLISH)

    notes = [
        list(
            AuditEvent.objects.for_object(application).filter(action="application.rank").values_list("note", flat=True)
        )
        for application in applications
    ]
    assert notes == [["— → 1", "1 → 2"], ["— → 2", "2 → 1"], ["— → 3"]]


def test_group_summary_refuses_a_duplicated_rank_and_keeps_what_was_typed(client, applications, applicant):
    client.force_login(applicant)

    response = client.post(summary_url(applications[0].call), rank_data(applications, [2, 2, 1]), **ENGLISH)

    body = text(response)
    assert response.status_code == 400
    assert body.count("Rank 2 is given to more than one application.") == 2
    assert "The order was not saved" in body
    assert re.findall(r'name="rank_\d+"[^>]*value="(\d)"', body) == ["2", "2", "1"]
    assert ranks_of(applications) == [None, None, None]


def test_group_summary_refuses_a_rank_out_of_range_and_keeps_what_was_typed(client, applications, applicant):
    client.force_login(applicant)

    response = client.post(summary_url(applications[0].call), rank_data(applications, [1, 7, 0]), **ENGLISH)

    body = text(response)
    assert response.status_code == 400
    assert body.count("Give a rank from 1 to 3.") == 2
    assert re.findall(r'name="rank_\d+"[^>]*value="(\d)"', body) == ["1", "7", "0"]
    assert ranks_of(applications) == [None, None, None]


def test_group_summary_clears_the_order_when_every_rank_is_left_empty(client, applications, group, applicant):
    set_group_ranks(call=applications[0].call, group=group, ranks=ranks(applications, [2, 3, 1]), by=applicant)
    client.force_login(applicant)

    response = client.post(
        summary_url(applications[0].call), rank_data(applications, ["", "", ""]), follow=True, **ENGLISH
    )

    body = text(response)
    assert ranks_of(applications) == [None, None, None]
    assert "The order is cleared: the summary table lists the applications in the order they were started." in body
    assert numbers_in_order(body, applications) == [0, 1, 2]


def test_group_summary_clear_button_clears_whatever_the_ranks_held(client, applications, group, applicant):
    set_group_ranks(call=applications[0].call, group=group, ranks=ranks(applications, [2, 3, 1]), by=applicant)
    client.force_login(applicant)

    response = client.post(
        summary_url(applications[0].call), {**rank_data(applications, [1, 1, 9]), "clear": "1"}, **ENGLISH
    )

    assert (response.status_code, ranks_of(applications)) == (302, [None, None, None])


def test_group_summary_audits_each_cleared_rank(client, applications, group, applicant):
    set_group_ranks(call=applications[0].call, group=group, ranks=ranks(applications, [2, 3, 1]), by=applicant)
    client.force_login(applicant)

    client.post(summary_url(applications[0].call), {"clear": "1"}, **ENGLISH)

    notes = [
        list(
            AuditEvent.objects.for_object(application).filter(action="application.rank").values_list("note", flat=True)
        )
        for application in applications
    ]
    assert notes == [["— → 2", "2 → —"], ["— → 3", "3 → —"], ["— → 1", "1 → —"]]


def test_group_summary_may_be_ranked_again_once_cleared(client, applications, group, applicant):
    call = applications[0].call
    set_group_ranks(call=call, group=group, ranks=ranks(applications, [2, 3, 1]), by=applicant)
    set_group_ranks(call=call, group=group, ranks=ranks(applications, [None, None, None]), by=applicant)
    client.force_login(applicant)

    client.post(summary_url(call), rank_data(applications, [1, 2, 3]), **ENGLISH)

    assert ranks_of(applications) == [1, 2, 3]


def test_group_summary_refuses_some_ranks_left_empty_and_keeps_what_was_typed(client, applications, group, applicant):
    set_group_ranks(call=applications[0].call, group=group, ranks=ranks(applications, [2, 3, 1]), by=applicant)
    client.force_login(applicant)

    response = client.post(summary_url(applications[0].call), rank_data(applications, [1, "", 2]), **ENGLISH)

    body = text(response)
    assert response.status_code == 400
    assert re.findall(r'<ul class="errorlist[^"]*"[^>]*><li>(.*?)</li>', body) == [
        "Give a rank from 1 to 3 here too, or leave every rank empty to clear the order."
    ]
    fields = re.findall(r'<input[^>]*name="rank_\d+"[^>]*>', body)
    # In the table's order, the saved one: the third application first.
    assert [next(iter(re.findall(r'value="(\d*)"', field)), "") for field in fields] == ["2", "1", ""]
    assert ranks_of(applications) == [2, 3, 1]


def test_group_summary_offers_to_clear_the_order_once_ranked(client, applications, group, applicant):
    client.force_login(applicant)
    before = text(client.get(summary_url(applications[0].call), **ENGLISH))
    set_group_ranks(call=applications[0].call, group=group, ranks=ranks(applications, [2, 3, 1]), by=applicant)

    after = text(client.get(summary_url(applications[0].call), **ENGLISH))

    assert (before.count('name="clear"'), after.count('name="clear"')) == (0, 1)
    assert "Clearing the order (or leaving every rank empty) removes every rank" in after


def test_group_summary_is_read_only_once_the_call_closed(client, applications, applicant):
    close(applications[0].call)
    client.force_login(applicant)

    response = client.get(summary_url(applications[0].call), **ENGLISH)

    body = text(response)
    assert "The order can be changed only while the call is open for your group." in body
    assert 'name="rank_' not in body
    assert "Save the order" not in body


def test_group_summary_refuses_ranking_once_the_call_closed(client, applications, applicant):
    close(applications[0].call)
    client.force_login(applicant)

    response = client.post(summary_url(applications[0].call), rank_data(applications, [3, 2, 1]), **ENGLISH)

    assert response.status_code == 400
    assert "The ranking can be changed only while the call is open for your group" in text(response)
    assert ranks_of(applications) == [None, None, None]


def test_group_summary_may_be_ranked_during_the_groups_extension(client, applications, applicant, group):
    call = applications[0].call
    close(call)
    DeadlineExtension.objects.create(
        call=call,
        organisation=group,
        until=timezone.now() + datetime.timedelta(days=1),
        reason="系统故障",
        granted_by=UserFactory(),
    )
    client.force_login(applicant)

    client.post(summary_url(call), rank_data(applications, [3, 2, 1]), **ENGLISH)

    assert ranks_of(applications) == [3, 2, 1]


def test_group_summary_shows_another_group_only_its_own_applications(client, applications):
    client.force_login(member_of(SocialGroupFactory()))

    response = client.get(summary_url(applications[0].call), **ENGLISH)

    body = text(response)
    assert "Your group has no applications in this call." in body
    assert applications[0].standard.display_number not in body


def test_group_summary_of_a_group_the_user_does_not_act_for_is_not_found(client, applications):
    other = SocialGroupFactory()
    client.force_login(member_of(other))

    response = client.get(f"{summary_url(applications[0].call)}?group={applications[0].group_id}", **ENGLISH)

    assert response.status_code == 404


def test_group_summary_is_forbidden_to_the_secretariat(client, applications):
    client.force_login(member_of(MinistryFactory()))

    response = client.get(summary_url(applications[0].call), **ENGLISH)

    assert response.status_code == 403
    assert applications[0].standard.display_number not in text(response)


def test_group_summary_anonymous_is_sent_to_log_in(client, call):
    response = client.get(summary_url(call))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={summary_url(call)}"


def test_group_summary_of_an_unknown_call_is_not_found(client, applicant):
    client.force_login(applicant)

    response = client.get(reverse("projects:group_summary", kwargs={"pk": 999999}))

    assert response.status_code == 404


# --- the service --------------------------------------------------------------------------------------
def test_set_group_ranks_refuses_someone_not_acting_for_the_group(applications, group):
    with pytest.raises(PermissionDenied):
        set_group_ranks(call=applications[0].call, group=group, ranks=ranks(applications, [1, 2, 3]), by=UserFactory())

    assert ranks_of(applications) == [None, None, None]


def test_set_group_ranks_refuses_a_list_that_misses_an_application(applications, group, applicant):
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        set_group_ranks(call=applications[0].call, group=group, ranks=ranks(applications[:2], [1, 2]), by=applicant)

    assert raised.value.messages == [
        "The group's applications in this call changed meanwhile: reload the page and rank them again."
    ]
    assert ranks_of(applications) == [None, None, None]


def test_set_group_ranks_refuses_ranks_that_are_not_one_to_n(applications, group, applicant):
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        set_group_ranks(call=applications[0].call, group=group, ranks=ranks(applications, [1, 2, 4]), by=applicant)

    assert raised.value.messages == ["Give each application a different rank from 1 to 3."]


def test_set_group_ranks_clears_every_rank(applications, group, applicant):
    call = applications[0].call
    set_group_ranks(call=call, group=group, ranks=ranks(applications, [1, 2, 3]), by=applicant)

    changed = set_group_ranks(call=call, group=group, ranks=ranks(applications, [None, None, None]), by=applicant)

    assert (changed, ranks_of(applications)) == (applications, [None, None, None])


def test_set_group_ranks_refuses_a_ranking_with_one_left_empty(applications, group, applicant):
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        set_group_ranks(call=applications[0].call, group=group, ranks=ranks(applications, [1, None, 2]), by=applicant)

    assert (raised.value.messages, ranks_of(applications)) == (
        ["Give each application a different rank from 1 to 3."],
        [None, None, None],
    )


def test_set_group_ranks_clearing_an_order_never_set_changes_nothing(applications, group, applicant):
    before = AuditEvent.objects.count()

    changed = set_group_ranks(
        call=applications[0].call, group=group, ranks=ranks(applications, [None] * 3), by=applicant
    )

    assert (changed, AuditEvent.objects.count()) == ([], before)


def test_set_group_ranks_changes_nothing_when_nothing_moved(applications, group, applicant):
    call = applications[0].call
    set_group_ranks(call=call, group=group, ranks=ranks(applications, [1, 2, 3]), by=applicant)
    before = AuditEvent.objects.count()

    changed = set_group_ranks(call=call, group=group, ranks=ranks(applications, [1, 2, 3]), by=applicant)

    assert (changed, AuditEvent.objects.count()) == ([], before)


# --- the printable table --------------------------------------------------------------------------------
def test_group_summary_print_shows_the_table_with_every_column(client, call, group, applicant):
    application = make_application(call=call, group=group, by=applicant, complete=True)
    client.force_login(applicant)

    response = client.get(print_url(call), **ENGLISH)

    body = text(response)
    assert call.title in body
    assert call.notice_number in body
    assert "中国示范标准化协会" in body
    row = re.search(r"<tbody>(.*?)</tbody>", body).group(1)
    cells = [re.sub(r"<[^>]+>", " ", cell).split() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
    assert cells == [
        ["1"],
        [application.standard.display_number.split()[0], application.standard.display_number.split()[1]],
        application.standard.title_zh.split(),
        ["Innovative", "(创新性)"],
        ["Electronic", "information"],
        application.recommender.name.split(),
        ["Draft"],
        ["李联系", "0571-88888888", "contact@example.cn"],
    ]
    assert "Seal of the social group" in body
    assert "Person in charge (signature)" in body
    assert 'href="/static/css/print.css" media="print"' in body
    assert "Printed from the portal on" in body


def test_group_summary_print_follows_the_saved_order(client, applications, group, applicant):
    set_group_ranks(call=applications[0].call, group=group, ranks=ranks(applications, [2, 3, 1]), by=applicant)
    client.force_login(applicant)

    response = client.get(print_url(applications[0].call), **ENGLISH)

    assert numbers_in_order(text(response), applications) == [2, 0, 1]


def test_group_summary_print_is_forbidden_to_a_recommender(client, call, group, applicant):
    application = make_application(call=call, group=group, by=applicant, complete=True)
    client.force_login(member_of(application.recommender))

    response = client.get(print_url(call), **ENGLISH)

    assert response.status_code == 403
    assert application.standard.display_number not in text(response)


# --- query counts ---------------------------------------------------------------------------------------
@pytest.fixture
def ranked_applications(call, group, applicant, request):
    return [make_application(call=call, group=group, by=applicant, complete=True) for _ in range(request.param)]


@pytest.mark.parametrize("ranked_applications", [1, 20], indirect=True)
def test_group_summary_query_count_does_not_grow(
    client, call, applicant, ranked_applications, django_assert_num_queries
):
    client.force_login(applicant)

    with django_assert_num_queries(8):  # 7, plus the unread notifications' count in the navigation
        response = client.get(summary_url(call))

    assert len(re.findall(r'name="rank_\d+"', response.content.decode())) == len(ranked_applications)


@pytest.mark.parametrize("ranked_applications", [1, 20], indirect=True)
def test_group_summary_print_query_count_does_not_grow(
    client, call, applicant, ranked_applications, django_assert_num_queries
):
    client.force_login(applicant)

    with django_assert_num_queries(7):  # 6, plus the unread notifications' count in the navigation
        response = client.get(print_url(call))

    assert response.content.decode().count("李联系") == len(ranked_applications)
