"""What the home page and the dashboards show of the public-notice stage, in constant queries."""

import pytest
from django.urls import reverse
from django.utils import translation

from portal.models import User
from publicity.models import ObjectionForward
from tests.factories import member_of
from tests.publicity import factories
from tests.publicity.register_factories import published_announcement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.mark.parametrize("rows", [1, 5])
def test_home_lists_open_notices_and_latest_projects_in_three_queries(client, django_assert_num_queries, rows):
    notices = [factories.open_notice(count=1) for _ in range(rows)]
    announcement = published_announcement(count=rows)

    # The open calls, the open notices (with their calls and project counts), the latest announced projects.
    with django_assert_num_queries(3):
        response = client.get(reverse("portal:home"))

    content = response.content.decode()
    assert [notice.pk for notice in response.context["open_notices"]] == [n.pk for n in reversed(notices)][::-1]
    assert [project.announcement_id for project in response.context["announced_projects"]] == [announcement.pk] * rows
    for notice in notices:
        assert notice.get_absolute_url() in content
    for project in announcement.projects.all():
        assert f'href="{project.get_absolute_url()}"' in content


def test_home_shows_a_notice_once_it_opens_even_from_the_cache(client):
    assert "No public notice is open" in client.get(reverse("portal:home")).content.decode()

    notice = factories.open_notice(count=1)

    assert notice.title in client.get(reverse("portal:home")).content.decode()


def test_dashboard_asks_the_secretariat_for_the_notice_and_the_announcement():
    shortlisted = factories.shortlisted_applications(count=1)[0]
    closed = factories.closed_notice(count=1)
    secretariat = User.objects.filter(memberships__organisation__kind="ministry").first()
    from django.test import Client

    client = Client()
    client.force_login(secretariat)

    content = client.get(reverse("portal:dashboard")).content.decode()

    assert reverse("publicity:notice_prepare", kwargs={"pk": shortlisted.call_id}) in content
    assert reverse("publicity:announcement_prepare", kwargs={"pk": closed.call_id}) in content


def test_dashboard_tells_the_group_of_questions_forwarded_to_it(client):
    notice = factories.open_notice(count=1)
    application = notice.applications.get()
    from publicity.models import Objection

    objection = Objection.objects.create(
        notice=notice,
        application=application,
        tracking_number="YY2026-TESTTEST",
        name="王某",
        phone="13800000000",
        email="wang@example.cn",
        grounds="实施企业数量不实。",
        created_at=notice.opened_at,
    )
    ObjectionForward.objects.create(
        objection=objection,
        organisation=application.group,
        question="请说明实施企业数量。",
        forwarded_by=notice.created_by,
        forwarded_at=notice.opened_at,
    )
    client.force_login(member_of(application.group))

    content = client.get(reverse("portal:dashboard")).content.decode()

    assert 'id="forwarded-questions"' in content
    assert reverse("publicity:answer_list") in content


def test_standard_page_lists_the_announced_projects_built_on_it(client):
    announcement = published_announcement(count=1)
    project = announcement.projects.get()

    content = client.get(project.standard.get_absolute_url()).content.decode()

    assert f'<a href="{project.get_absolute_url()}">{project.name}</a>' in content
