import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.views.defaults import server_error

from portal.models import CalendarDay
from portal.workdays import local_zone
from tests.factories import (
    ExpertFactory,
    MinistryFactory,
    ProvincialDepartmentFactory,
    SocialGroupFactory,
    UserFactory,
    member_of,
)

pytestmark = pytest.mark.django_db

ROLE_SECTIONS = ["role-applicant", "role-recommender", "role-expert", "role-secretariat", "role-none"]


def _user_with_role(role):
    if role == "applicant":
        return member_of(SocialGroupFactory(name="浙江省品牌建设促进会"))
    if role == "recommender":
        return member_of(ProvincialDepartmentFactory(name="浙江省经济和信息化厅"))
    if role == "expert":
        return ExpertFactory(affiliation="浙江大学").user
    if role == "secretariat":
        return member_of(MinistryFactory(name="工业和信息化部科技司"))
    return UserFactory()


def _sections_shown(content: str) -> list[str]:
    return [section for section in ROLE_SECTIONS if f'id="{section}"' in content]


def _this_year() -> int:
    return timezone.now().astimezone(local_zone()).year


def test_home_for_anonymous_shows_three_empty_states(client, django_assert_num_queries):
    # The open calls (projects' selector), the open notices and the latest announced projects (publicity's).
    with django_assert_num_queries(3):
        response = client.get(reverse("portal:home"))

    content = response.content.decode()
    assert response.status_code == 200
    assert [content.count(f'id="{section}"') for section in ["open-calls", "open-notices", "announced-projects"]] == [
        1,
        1,
        1,
    ]
    assert content.count('class="empty-state"') == 3
    assert response.context["open_calls"] == []
    assert response.context["open_notices"] == []
    assert response.context["announced_projects"] == []


def test_home_for_anonymous_offers_login_not_dashboard(client):
    content = client.get(reverse("portal:home")).content.decode()

    assert f'href="{reverse("login")}"' in content
    assert f'href="{reverse("portal:dashboard")}"' not in content


def test_home_for_logged_in_user_links_the_dashboard_in_seven_queries(client, django_assert_num_queries):
    client.force_login(_user_with_role("applicant"))

    # The user, their memberships, the expert register, the open calls, the open notices, the latest announced
    # projects, the unread notifications' count.
    with django_assert_num_queries(7):
        response = client.get(reverse("portal:home"))

    assert f'href="{reverse("portal:dashboard")}"' in response.content.decode()


def test_home_has_one_h1_and_landmarks(client):
    content = client.get(reverse("portal:home")).content.decode()

    assert content.count("<h1") == 1
    assert [content.count(tag) for tag in ["<header", "<nav", "<main", "<footer"]] == [1, 1, 1, 1]
    assert 'href="#main"' in content
    assert 'aria-current="page"' in content


def test_dashboard_for_anonymous_redirects_to_login(client):
    response = client.get(reverse("portal:dashboard"))

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={reverse('portal:dashboard')}"


@pytest.mark.parametrize(
    ("role", "queries"),
    [
        # user, memberships, expert register, organisations (+ open calls, the applications waiting and their
        # groups' memberships for an applicant, + calendar for the secretariat); the open calls' extensions add one
        # more when a call is open; each, the unread notifications' count in the navigation; the applications
        # awaiting a decision for a recommender, the calls with work waiting for the secretariat; for everyone the
        # person's registration requests, and for the secretariat the count of those pending; the questions about
        # objections forwarded to a group or recommender, and for the secretariat the notices to prepare, the
        # announcements to publish and the objections pending (issue 13)
        ("applicant", 10),
        ("recommender", 8),
        # user, memberships, expert register, expert profile, registration requests, unread notifications
        ("expert", 6),
        ("secretariat", 12),
        # user, memberships, expert register, registration requests, unread notifications
        (None, 5),
    ],
)
def test_dashboard_shows_only_the_section_of_the_users_role(client, django_assert_num_queries, role, queries):
    client.force_login(_user_with_role(role))

    with django_assert_num_queries(queries):
        response = client.get(reverse("portal:dashboard"))

    assert response.status_code == 200
    assert _sections_shown(response.content.decode()) == [f"role-{role or 'none'}"]


@pytest.mark.parametrize(
    ("role", "organisation"),
    [
        ("applicant", "浙江省品牌建设促进会"),
        ("recommender", "浙江省经济和信息化厅"),
        ("secretariat", "工业和信息化部科技司"),
        ("expert", "浙江大学"),
    ],
)
def test_dashboard_names_the_organisation_the_user_acts_for(client, role, organisation):
    client.force_login(_user_with_role(role))

    content = client.get(reverse("portal:dashboard")).content.decode()

    # Counted inside the role's own section: the footer names the ministry's department too.
    section = content.split(f'id="role-{role}"', 1)[1].split("</section>", 1)[0]
    assert section.count(organisation) == 1


def test_dashboard_for_expert_who_is_also_secretariat_shows_both_sections(client):
    user = member_of(MinistryFactory())
    ExpertFactory(user=user)
    client.force_login(user)

    content = client.get(reverse("portal:dashboard")).content.decode()

    assert _sections_shown(content) == ["role-expert", "role-secretariat"]


def test_dashboard_warns_secretariat_of_years_without_calendar_data(client):
    year = _this_year()
    CalendarDay.objects.filter(date__year__in=[year, year + 1]).delete()
    CalendarDay.objects.create(date=datetime.date(year, 10, 1), kind=CalendarDay.Kind.HOLIDAY, name="国庆节")
    client.force_login(_user_with_role("secretariat"))

    response = client.get(reverse("portal:dashboard"))

    content = response.content.decode()
    assert response.context["missing_calendar_years"] == [year + 1]
    assert 'id="calendar-warning"' in content
    assert f'href="{reverse("portal:calendar_year", kwargs={"year": year + 1})}"' in content
    assert f'href="{reverse("portal:calendar_year", kwargs={"year": year})}"' not in content


def test_dashboard_does_not_warn_when_both_years_have_calendar_data(client):
    year = _this_year()
    for y in (year, year + 1):
        CalendarDay.objects.get_or_create(
            date=datetime.date(y, 10, 1), defaults={"kind": CalendarDay.Kind.HOLIDAY, "name": "国庆节"}
        )
    client.force_login(_user_with_role("secretariat"))

    response = client.get(reverse("portal:dashboard"))

    assert response.context["missing_calendar_years"] == []
    assert 'id="calendar-warning"' not in response.content.decode()


def test_dashboard_does_not_warn_other_roles_of_missing_calendar(client):
    year = _this_year()
    CalendarDay.objects.filter(date__year__in=[year, year + 1]).delete()
    client.force_login(_user_with_role("applicant"))

    response = client.get(reverse("portal:dashboard"))

    assert 'id="calendar-warning"' not in response.content.decode()


def test_navigation_shows_secretariat_links_only_to_the_secretariat(client):
    client.force_login(_user_with_role("applicant"))
    applicant_page = client.get(reverse("portal:home")).content.decode()
    client.force_login(_user_with_role("secretariat"))
    secretariat_page = client.get(reverse("portal:home")).content.decode()

    audit_link = f'href="{reverse("portal:audit_list")}"'
    assert (audit_link in applicant_page, audit_link in secretariat_page) == (False, True)


def test_dashboard_marks_its_nav_link_current(client):
    client.force_login(_user_with_role("applicant"))

    content = client.get(reverse("portal:dashboard")).content.decode()

    assert f'<a href="{reverse("portal:dashboard")}" aria-current="page">' in content


def test_unknown_page_answers_404_with_the_portal_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert [t.name for t in response.templates][:2] == ["404.html", "base.html"]
    assert response.content.decode().count("<h1") == 1


def test_server_error_page_renders_without_a_request_context(rf):
    response = server_error(rf.get("/"))

    content = response.content.decode()
    assert response.status_code == 500
    assert content.count("<h1") == 1
    assert 'href="/static/css/portal.css"' in content


@pytest.mark.django_db
def test_csrf_failure_shows_the_portal_page_with_403():
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("login"), {"username": "someone", "password": "x"})

    assert response.status_code == 403
    assert "403_csrf.html" in [t.name for t in response.templates]


def test_dashboard_lists_the_applications_waiting_for_the_applicant_in_constant_queries(
    client, django_assert_num_queries
):
    from projects import workflow
    from tests.factories import CallFactory, make_application, member_of

    user = _user_with_role("applicant")
    group = user.memberships.get().organisation
    call = CallFactory()
    drafts = [make_application(call=call, group=group, by=user) for _ in range(3)]
    submitted = make_application(call=call, group=group, by=user, complete=True)
    workflow.submit(submitted, by=user)
    member_of(group)  # another colleague: the list must not repeat rows per member
    client.force_login(user)

    # eight, plus the open call's extensions, the group's summary tables in it (issue 10), the unread notifications,
    # the questions about objections forwarded to the group (issue 13)
    with django_assert_num_queries(12):
        content = client.get(reverse("portal:dashboard")).content.decode()

    section = content.split('id="applicant-next-actions"', 1)[1].split("</ul>", 1)[0]
    assert [section.count(draft.standard.display_number) for draft in drafts] == [1, 1, 1]
    assert submitted.standard.display_number not in section
