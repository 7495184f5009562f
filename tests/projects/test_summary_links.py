"""Finding the summary table (汇总表, issue 10): the applicant's dashboard and the call page link it as soon as the
group has two or more live applications in the call, counted for every call shown in one query."""

import pytest
from django.urls import reverse

from projects import workflow
from projects.selectors.summary import SummaryTable, summary_tables
from tests.factories import CallFactory, SocialGroupFactory, make_application, member_of

pytestmark = pytest.mark.django_db
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
DASHBOARD = reverse("portal:dashboard")


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def group():
    return SocialGroupFactory(name="浙江省品牌建设促进会")


@pytest.fixture
def applicant(group):
    return member_of(group)


def applications(call, group, by, n: int) -> list:
    return [make_application(call=call, group=group, by=by) for _ in range(n)]


def summary_url(call, group) -> str:
    return f"{reverse('projects:group_summary', kwargs={'pk': call.pk})}?group={group.pk}"


def element(content: str, element_id: str, end: str) -> str:
    """The markup of the element with `element_id`, up to the first `end` after it ("" when it is not there)."""
    if f'id="{element_id}"' not in content:
        return ""
    return content.split(f'id="{element_id}"', 1)[1].split(end, 1)[0]


# --- the selector ---------------------------------------------------------------------------------------
def test_summary_tables_counts_the_live_applications_of_every_call_in_one_query(
    django_assert_num_queries, group, applicant
):
    first, second, third = CallFactory.create_batch(3)
    other = SocialGroupFactory()
    applications(first, group, applicant, 2)
    applications(first, other, member_of(other), 1)
    withdrawn, *_ = applications(second, group, applicant, 3)
    workflow.withdraw(withdrawn, by=applicant, reason="重复申报。")
    applications(third, group, applicant, 1)

    with django_assert_num_queries(1):
        tables = summary_tables([second, first, third], [group, other])

    assert tables == [SummaryTable(second, group, 2), SummaryTable(first, group, 2)]


def test_summary_tables_without_calls_or_groups_asks_nothing(django_assert_num_queries, group):
    with django_assert_num_queries(0):
        tables = (summary_tables([], [group]), summary_tables([CallFactory.build()], []))

    assert tables == ([], [])


# --- the dashboard ----------------------------------------------------------------------------------------
def test_dashboard_links_the_summary_table_once_the_group_has_two_applications(client, group, applicant):
    call = CallFactory(title="2026年第一批")
    applications(call, group, applicant, 1)
    client.force_login(applicant)
    before = client.get(DASHBOARD, **ENGLISH).content.decode()
    applications(call, group, applicant, 1)

    after = client.get(DASHBOARD, **ENGLISH).content.decode()

    assert element(before, "applicant-summary-tables", "</ul>") == ""
    listed = element(after, "applicant-summary-tables", "</ul>")
    assert f'href="{summary_url(call, group)}"' in listed
    assert "Summary table (汇总表) of 2026年第一批" in listed
    assert " ".join(listed.split("<br>", 1)[1].split()).startswith(
        "浙江省品牌建设促进会 has 2 applications in this call: rank them and print the table."
    )


def test_dashboard_leaves_a_withdrawn_application_out_of_the_count(client, group, applicant):
    call = CallFactory()
    first, _second = applications(call, group, applicant, 2)
    workflow.withdraw(first, by=applicant, reason="重复申报。")
    client.force_login(applicant)

    response = client.get(DASHBOARD, **ENGLISH)

    assert (response.context["summary_tables"], 'id="applicant-summary-tables"' in response.content.decode()) == (
        [],
        False,
    )


@pytest.mark.parametrize("calls", [1, 20])
def test_dashboard_links_every_open_calls_summary_table_in_constant_queries(
    client, django_assert_num_queries, group, applicant, calls
):
    for call in CallFactory.create_batch(calls):
        applications(call, group, applicant, 2)
    client.force_login(applicant)

    # user, memberships, expert register, organisations; the open calls, their extensions for the group, their
    # summary tables (one query for all); the applications waiting and their memberships; the person's
    # registration requests; the unread notifications' count (navigation); the questions about objections
    # forwarded to the group (issue 13)
    with django_assert_num_queries(12):
        response = client.get(DASHBOARD)

    assert [table.applications for table in response.context["summary_tables"]] == [2] * calls


# --- the call page -----------------------------------------------------------------------------------------
def test_call_page_links_the_groups_summary_table_to_its_staff_only(client, group, applicant):
    call = CallFactory()
    applications(call, group, applicant, 2)
    url = call.get_absolute_url()
    link = f'href="{summary_url(call, group)}"'
    other = member_of(SocialGroupFactory())

    anonymous = client.get(url, **ENGLISH).content.decode()
    client.force_login(other)
    others = client.get(url, **ENGLISH).content.decode()
    client.force_login(applicant)
    own = client.get(url, **ENGLISH).content.decode()

    notice = element(own, f"summary-table-{group.pk}", "</p>")
    assert (link in anonymous, link in others, link in notice) == (False, False, True)
    assert " ".join(notice.split(">", 1)[1].split("<a", 1)[0].split()) == (
        "浙江省品牌建设促进会 has 2 applications in this call: rank them and print the table."
    )


def test_call_page_with_one_application_links_no_summary_table(client, group, applicant):
    call = CallFactory()
    applications(call, group, applicant, 1)
    client.force_login(applicant)

    content = client.get(call.get_absolute_url(), **ENGLISH).content.decode()

    assert (f'id="summary-table-{group.pk}"' in content, summary_url(call, group) in content) == (False, False)
