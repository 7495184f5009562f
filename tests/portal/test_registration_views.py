"""The registration pages: `/register/`, asking to join, the e-mail link, the secretariat's queue and decision."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from portal.models import AuditEvent, Notification, Organisation, RegistrationRequest, User
from tests.factories import (
    MinistryFactory,
    SocialGroupFactory,
    admin_of,
    certificate_upload,
    make_registration,
    member_of,
    registration_data,
)

pytestmark = pytest.mark.django_db


def form_data(n: int = 1, **overrides) -> dict:
    """The whole registration form as an anonymous visitor fills it in."""
    contact = {
        "contact-name": "周联络",
        "contact-phone": "138 0013 8000",
        "contact-email": f"contact{n}@example.cn",
        "contact-username": f"zhou{n}",
        "contact-password1": "Zj-2026-xyz!",
        "contact-password2": "Zj-2026-xyz!",
    }
    return {**registration_data(n), "certificate": certificate_upload(), **contact, **overrides}


@pytest.fixture
def secretariat_client():
    client = Client()
    client.force_login(member_of(MinistryFactory()))
    return client


def test_register_page_shows_the_group_and_contact_fields():
    response = Client().get("/register/")

    page = response.content.decode()
    assert response.status_code == 200
    for name in ("name", "code", "credit_code", "certificate", "contact-email", "contact-password1"):
        assert f'name="{name}"' in page
    assert 'accept=".pdf,.jpg,.jpeg,.png"' in page


def test_register_files_the_request_logs_the_contact_in_and_shows_its_state(django_capture_on_commit_callbacks):
    client = Client()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/register/", form_data(credit_code=" " + registration_data(1)["credit_code"].lower()))

    request = RegistrationRequest.objects.get()
    assert (response.status_code, response["Location"]) == (302, "/dashboard/")
    assert (request.contact.username, request.contact.phone, request.credit_code) == (
        "zhou1",
        "13800138000",
        registration_data(1)["credit_code"],
    )
    dashboard = client.get("/dashboard/").content.decode()
    assert "浙江省示例产业协会1" in dashboard
    assert "等待主管部门审核" in dashboard
    assert "请先确认电子邮箱" in dashboard
    assert [m.to for m in mail.outbox] == [["contact1@example.cn"]]


def test_register_refusal_keeps_what_was_typed_and_asks_for_the_file_again():
    response = Client().post("/register/", form_data(**{"contact-password2": "different"}))

    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="浙江省示例产业协会1"' in page
    assert 'value="zhou1"' in page
    assert "两次输入的密码不一致" in page
    assert "请重新选择登记证书" in page
    assert RegistrationRequest.objects.count() == 0


def test_register_with_a_registered_credit_code_offers_to_ask_its_administrators():
    group = SocialGroupFactory(name="中国示例已注册协会")

    response = Client().post("/register/", form_data(credit_code=group.credit_code))

    page = response.content.decode()
    assert response.status_code == 400
    assert "中国示例已注册协会已在本门户注册" in page
    assert 'action="/register/join/"' in page
    assert 'name="join-email" value="contact1@example.cn"' in page


def test_join_request_tells_the_administrators(django_capture_on_commit_callbacks):
    group = SocialGroupFactory(name="中国示例已注册协会")
    administrator = admin_of(group)
    data = {
        "join-credit_code": group.credit_code,
        "join-name": "周联络",
        "join-email": "z@example.cn",
        "join-phone": "1",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/register/join/", data, follow=True)

    assert "中国示例已注册协会的管理员已收到通知" in response.content.decode()
    assert list(Notification.objects.values_list("recipient", flat=True)) == [administrator.pk]


def test_join_request_for_an_unknown_credit_code_is_refused_on_the_page():
    data = {"join-credit_code": "X", "join-name": "周联络", "join-email": "z@example.cn", "join-phone": "1"}

    response = Client().post("/register/join/", data)

    assert response.status_code == 400
    assert 'value="z@example.cn"' in response.content.decode()


def test_register_is_rate_limited_per_address(settings):
    settings.REGISTRATION_RATE = "2/h"
    client = Client()
    for n in (1, 2):
        client.post("/register/", form_data(n, **{"contact-password2": "different"}), REMOTE_ADDR="10.0.0.7")

    response = client.post("/register/", form_data(3), REMOTE_ADDR="10.0.0.7")
    elsewhere = Client().post("/register/", form_data(4), REMOTE_ADDR="10.0.0.8")

    assert response.status_code == 429
    assert "同一地址提交注册过于频繁" in response.content.decode()
    assert 'value="浙江省示例产业协会3"' in response.content.decode()
    assert elsewhere.status_code == 302
    assert list(RegistrationRequest.objects.values_list("name", flat=True)) == ["浙江省示例产业协会4"]


def test_a_logged_in_person_registers_as_the_contact():
    user = member_of(SocialGroupFactory(), email="known@example.cn")
    client = Client()
    client.force_login(user)
    data = {key: value for key, value in form_data().items() if not key.startswith("contact-")}

    response = client.post("/register/", data)

    assert response.status_code == 302
    assert RegistrationRequest.objects.get().contact == user


def email_link(message) -> str:
    return re.search(r"https?://[^/]+(/email/confirm/\S+/)", message.body).group(1)


def test_the_confirmation_link_asks_then_confirms(django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/register/", form_data())
    link = email_link(mail.outbox[0])

    page = client.get(link)
    user = User.objects.get(username="zhou1")
    assert (page.status_code, user.email_confirmed_at) == (200, None)
    assert "<form" in page.content.decode()

    response = client.post(link, follow=True)

    user.refresh_from_db()
    assert user.email_confirmed_at is not None
    assert "电子邮箱 contact1@example.cn 已确认" in response.content.decode()


def test_a_forged_link_is_not_found_and_an_old_one_is_gone(django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/register/", form_data())
    link = email_link(mail.outbox[0])

    forged = client.get(link[:-3] + "xx/")
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        expired = client.post(link)

    assert (forged.status_code, expired.status_code) == (404, 410)
    assert "确认链接已过期" in expired.content.decode()
    assert User.objects.get(username="zhou1").email_confirmed_at is None


def test_registration_queue_lists_pending_requests_oldest_first(secretariat_client):
    first, second = make_registration(n=1), make_registration(n=2, confirmed=False)

    page = secretariat_client.get("/organisations/requests/").content.decode()

    assert page.index(first.name) < page.index(second.name)
    assert "未确认" in page


def test_registration_queue_query_count_does_not_grow(secretariat_client, django_assert_max_num_queries):
    make_registration(n=1)
    with django_assert_max_num_queries(100) as one:
        secretariat_client.get("/organisations/requests/")
    for n in range(2, 21):
        make_registration(n=n)

    with django_assert_max_num_queries(len(one.captured_queries)):
        response = secretariat_client.get("/organisations/requests/")

    assert response.content.decode().count("/organisations/requests/") >= 20


def test_the_secretariat_approves_from_the_request_page(secretariat_client, django_capture_on_commit_callbacks):
    request = make_registration()
    detail = secretariat_client.get(f"/organisations/requests/{request.pk}/").content.decode()
    assert f"/organisations/requests/{request.pk}/certificate/" in detail

    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(f"/organisations/requests/{request.pk}/approve/", follow=True)

    assert "浙江省示例产业协会1已注册" in response.content.decode()
    assert Organisation.objects.get(code="ZJSL1").memberships.get().user == request.contact


def test_approving_twice_is_a_conflict(secretariat_client):
    request = make_registration()
    secretariat_client.post(f"/organisations/requests/{request.pk}/approve/")

    response = secretariat_client.post(f"/organisations/requests/{request.pk}/approve/")

    assert response.status_code == 409
    assert "该申请已处理" in response.content.decode()
    assert AuditEvent.objects.filter(action="registration.approve").count() == 1


def test_refusing_needs_a_reason_which_the_contact_reads(secretariat_client):
    request = make_registration()
    empty = secretariat_client.post(f"/organisations/requests/{request.pk}/refuse/", {"reason": ""})

    secretariat_client.post(f"/organisations/requests/{request.pk}/refuse/", {"reason": "证书与名称不符。"})

    contact = Client()
    contact.force_login(request.contact)
    own = contact.get(f"/organisations/requests/{request.pk}/").content.decode()
    dashboard = contact.get("/dashboard/").content.decode()
    assert empty.status_code == 400
    assert "证书与名称不符。" in own
    assert "证书与名称不符。" in dashboard
    assert "重新注册" in dashboard


def test_the_contact_sees_the_request_but_may_not_decide():
    request = make_registration()
    contact = Client()
    contact.force_login(request.contact)

    page = contact.get(f"/organisations/requests/{request.pk}/")
    certificate = contact.get(f"/organisations/requests/{request.pk}/certificate/")
    decide = contact.post(f"/organisations/requests/{request.pk}/approve/")

    assert (page.status_code, certificate.status_code, decide.status_code) == (200, 200, 403)
    assert "registration-decision" not in page.content.decode()
    assert certificate["Content-Disposition"].startswith("attachment;")
    request.refresh_from_db()
    assert request.status == "pending"


def test_the_certificate_is_served_as_uploaded(secretariat_client):
    request = make_registration()

    response = secretariat_client.get(f"/organisations/requests/{request.pk}/certificate/")

    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
