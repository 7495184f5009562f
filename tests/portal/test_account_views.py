"""`/account/`: one's own name and mobile, and an e-mail address changed only through a confirmation link."""

import re

import pytest
from django.core import mail
from django.test import Client

from portal.models import AuditEvent
from tests.factories import SocialGroupFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return member_of(SocialGroupFactory(), name="李申报", email="li@example.cn")


@pytest.fixture
def client(person):
    client = Client()
    client.force_login(person)
    return client


def test_the_account_page_shows_the_persons_details(client):
    page = client.get("/account/").content.decode()

    assert 'value="李申报"' in page
    assert "li@example.cn" in page
    assert 'href="/accounts/password_change/"' in page


def test_name_and_mobile_are_saved_and_audited(client, person):
    response = client.post("/account/", {"profile-name": "李新名", "profile-phone": "+86 138-0013-8000"}, follow=True)

    person.refresh_from_db()
    assert (person.name, person.phone) == ("李新名", "13800138000")
    assert "您的信息已保存" in response.content.decode()
    assert list(AuditEvent.objects.for_object(person).values_list("action", "note")) == [("user.update", "name, phone")]


def test_a_bad_mobile_is_refused_and_the_name_kept(client, person):
    response = client.post("/account/", {"profile-name": "李新名", "profile-phone": "12345"})

    person.refresh_from_db()
    assert response.status_code == 400
    assert 'value="李新名"' in response.content.decode()
    assert "请填写 11 位手机号码" in response.content.decode()
    assert person.name == "李申报"


def change_link(message) -> str:
    return re.search(r"https?://[^/]+(/email/confirm/\S+/)", message.body).group(1)


def test_the_address_changes_only_through_the_link_sent_to_it(client, person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/account/email/", {"email-email": "li.new@example.cn"})
    person.refresh_from_db()
    assert (person.email, [m.to for m in mail.outbox]) == ("li@example.cn", [["li.new@example.cn"]])

    client.post(change_link(mail.outbox[0]))

    person.refresh_from_db()
    assert person.email == "li.new@example.cn"
    assert person.email_confirmed_at is not None


def test_an_older_link_does_not_undo_a_later_change(client, person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/account/email/", {"email-email": "first@example.cn"})
        client.post("/account/email/", {"email-email": "second@example.cn"})
    first, second = (change_link(message) for message in mail.outbox)
    client.post(second)

    stale = client.post(first)

    person.refresh_from_db()
    assert (stale.status_code, person.email) == (410, "second@example.cn")


def test_an_address_of_another_account_is_refused(client):
    UserFactory(email="taken@example.cn")

    response = client.post("/account/email/", {"email-email": "Taken@example.cn"})

    assert response.status_code == 400
    assert "该电子邮箱已被其他账号使用" in response.content.decode()
    assert mail.outbox == []


def test_resending_the_confirmation_is_limited(client, person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(7):
            client.post("/account/email/resend/", {"next": "/account/"})

    assert len(mail.outbox) == 5
