"""Public pages from the shared cache: served to anonymous visitors only, and never once what they show changed."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from portal import public_cache, services
from projects.services import calls as call_services
from standards.models import GroupStandard
from standards.services import registry
from tests.factories import CallFactory, GroupProfileFactory, GroupStandardFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db

STANDARDS = reverse("standards:standard_list")


@pytest.fixture
def group():
    return GroupProfileFactory()


@pytest.fixture
def standard(group):
    return GroupStandardFactory(issuer=group, title_zh="针织服装")


def test_an_anonymous_visitor_is_served_the_page_from_the_cache_without_a_query(
    client, standard, django_assert_num_queries
):
    first = client.get(STANDARDS)

    with django_assert_num_queries(0):
        second = Client().get(STANDARDS)

    assert second.status_code == 200
    assert "针织服装" in second.content.decode()
    assert _without_tokens(second.content) == _without_tokens(first.content)


def test_a_change_through_a_service_shows_at_once(client, group, standard, django_capture_on_commit_callbacks):
    client.get(STANDARDS)
    client.get(reverse("standards:group_detail", args=[group.pk]))

    with django_capture_on_commit_callbacks(execute=True):
        registry.create_standard(
            issuer=group,
            number_as_typed=f"T/{group.organisation.code} 9—2024",
            title_zh="机织面料",
            publication_date=datetime.date(2024, 1, 1),
            implementation_date=datetime.date(2024, 2, 1),
        )

    assert "机织面料" in Client().get(STANDARDS).content.decode()
    assert "机织面料" in Client().get(reverse("standards:group_detail", args=[group.pk])).content.decode()


def test_a_change_shows_at_once_within_the_transaction_that_makes_it(client, group, standard):
    client.get(STANDARDS)

    registry.update_standard(standard=standard, title_zh="经编面料")

    assert "经编面料" in Client().get(STANDARDS).content.decode()


def test_a_renamed_organisation_shows_at_once_on_the_registry(client, group, standard):
    client.get(reverse("standards:group_list"))

    services.rename_organisation(organisation=group.organisation, name="更名后的协会", by=None)

    assert "更名后的协会" in Client().get(reverse("standards:group_list")).content.decode()


def test_a_published_call_appears_at_once_on_the_list_and_the_home_page(client):
    call = CallFactory(unpublished=True, title="二〇二七年度征集")
    client.get(reverse("projects:call_list"))
    client.get("/")

    call_services.publish_call(call=call, by=None)

    assert "二〇二七年度征集" in Client().get(reverse("projects:call_list")).content.decode()


def test_a_change_of_another_topic_keeps_the_page(client, standard, django_assert_num_queries):
    client.get(STANDARDS)

    public_cache.changed("calls")

    with django_assert_num_queries(0):
        Client().get(STANDARDS)


def test_no_signed_in_users_page_reaches_another_user_or_the_public(standard):
    staff = member_of(standard.issuer.organisation, first_name="甲", last_name="张")
    other = UserFactory(first_name="乙", last_name="李")
    as_staff, as_other, anonymous = Client(), Client(), Client()
    as_staff.force_login(staff)
    as_other.force_login(other)

    staff_page = as_staff.get(STANDARDS).content.decode()
    public_page = anonymous.get(STANDARDS).content.decode()
    other_page = as_other.get(STANDARDS).content.decode()
    staff_again = as_staff.get(STANDARDS).content.decode()

    assert staff.get_full_name() in staff_page
    assert staff.get_full_name() in staff_again
    assert staff.get_full_name() not in public_page + other_page
    assert other.get_full_name() in other_page
    assert other.get_full_name() not in public_page
    add = reverse("standards:standard_create")
    assert (add in staff_page, add in public_page, add in other_page) == (True, False, False)


def test_a_signed_in_user_is_never_served_from_the_cache(client, standard, django_assert_max_num_queries):
    Client().get(STANDARDS)
    client.force_login(UserFactory())

    with django_assert_max_num_queries(20) as queries:
        client.get(STANDARDS)

    assert any("standards_groupstandard" in query["sql"] for query in queries.captured_queries)


def test_each_visitor_of_a_cached_page_gets_a_form_token_of_their_own(standard):
    Client().get(STANDARDS)
    visitor = Client(enforce_csrf_checks=True)

    page = visitor.get(STANDARDS)
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    switched = visitor.post(
        reverse("set_language"), {"language": "en", "next": STANDARDS, "csrfmiddlewaretoken": token}
    )

    assert token != "__csrf__"
    assert "csrftoken" in page.cookies
    assert switched.status_code == 302


def test_the_language_and_an_htmx_fragment_are_pages_of_their_own(standard):
    chinese = Client().get(STANDARDS).content.decode()
    english = Client(headers={"accept-language": "en"}).get(STANDARDS).content.decode()
    fragment = Client(headers={"hx-request": "true"}).get(STANDARDS).content.decode()
    chinese_again = Client().get(STANDARDS).content.decode()

    assert ("团体标准" in chinese, "Group standards" in english) == (True, True)
    assert "<html" in chinese_again
    assert "<html" not in fragment
    assert "团体标准" in chinese_again


def test_a_visitor_with_a_message_waiting_reads_it_and_no_one_else_does(standard):
    Client().get(STANDARDS)  # the page is stored
    visitor = Client()
    visitor.cookies["messages"] = _message_cookie("您已退出登录。")

    own = visitor.get(STANDARDS).content.decode()
    anyone = Client().get(STANDARDS).content.decode()

    assert "您已退出登录。" in own
    assert "您已退出登录。" not in anyone


def _message_cookie(text: str) -> str:
    from django.contrib import messages
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpResponse
    from django.test import RequestFactory

    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(messages.INFO, text)
    response = HttpResponse()
    storage.update(response)
    return response.cookies["messages"].value


def test_a_missing_page_is_not_stored(client, django_assert_num_queries):
    missing = reverse("standards:standard_detail", args=[999999])
    client.get(missing)

    with django_assert_num_queries(1):
        assert Client().get(missing).status_code == 404


def test_the_actions_of_each_app_name_their_public_topics():
    assert public_cache.topics_of_action("standard.create") == ("registry",)
    assert public_cache.topics_of_action("organisation.rename") == ("registry",)
    assert public_cache.topics_of_action("call.publish") == ("calls",)
    assert public_cache.topics_of_action("calendar.set") == ("calls",)
    assert public_cache.topics_of_action("application.submit") == ()


def test_standards_change_only_through_services_that_audit(standard):
    """What the cache relies on: the registry's writes are audited, so they move the topic."""
    before = public_cache._versions(["registry"], page_key="none")

    registry.update_standard(standard=standard, title_zh="新标题")

    assert public_cache._versions(["registry"], page_key="none") != before
    assert GroupStandard.objects.get(pk=standard.pk).title_zh == "新标题"


def _without_tokens(content: bytes) -> bytes:
    return public_cache._TOKEN.sub(public_cache._TOKEN_PLACEHOLDER, content)


def test_the_blank_registration_form_is_shared_and_posting_it_still_works(django_assert_num_queries):
    Client().get(reverse("portal:register"))
    visitor = Client(enforce_csrf_checks=True)

    with django_assert_num_queries(0):
        page = visitor.get(reverse("portal:register"))
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    refused = visitor.post(reverse("portal:register"), {"csrfmiddlewaretoken": token, "name": "半填的协会"})

    assert refused.status_code == 400
    assert "半填的协会" in refused.content.decode()
