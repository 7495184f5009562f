"""The organisation pages: `/organisation/` for its staff, the administrators' moves, the invitation link, and
the secretariat's `/organisations/`."""

import re

import pytest
from django.core import mail
from django.test import Client

from portal.models import Invitation, Membership, Organisation, User
from tests.factories import (
    MinistryFactory,
    ProvincialDepartmentFactory,
    SocialGroupFactory,
    admin_of,
    make_credit_code,
    member_of,
)

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def group():
    return SocialGroupFactory(name="中国示例协会")


@pytest.fixture
def administrator(group):
    return admin_of(group, name="管理员甲")


def test_my_organisation_lists_the_members_with_the_administrators_controls(group, administrator):
    member_of(group, name="同事乙", email="yi@example.cn")

    page = client_of(administrator).get("/organisation/").content.decode()

    assert page.index("管理员甲") < page.index("同事乙")
    assert "yi@example.cn" in page
    assert f'action="/organisations/{group.pk}/invite/"' in page
    assert "唯一管理员" in page


def test_a_plain_member_sees_colleagues_but_no_controls(group, administrator):
    colleague = member_of(group, name="同事乙")

    page = client_of(colleague).get("/organisation/").content.decode()

    assert "管理员甲" in page
    assert "/invite/" not in page
    assert "/admin/" not in page
    assert page.count("/remove/") == 1  # leaving, for themself


def test_the_members_page_shows_a_page_of_members_in_a_fixed_number_of_queries(
    group, administrator, django_assert_max_num_queries
):
    client = client_of(administrator)
    with django_assert_max_num_queries(15) as one:
        client.get("/organisation/")
    for n in range(24):
        member_of(group, name=f"同事{n:02d}")
        Invitation.objects.create(
            organisation=group, email=f"i{n}@example.cn", token_hash=f"{n:064d}", expires_at="2099-01-01T00:00Z"
        )

    with django_assert_max_num_queries(len(one.captured_queries) + 1):  # + the count of members, now paged
        first = client.get("/organisation/").content.decode()
    second = client.get("/organisation/", {"page": 2}).content.decode()

    assert (first.count('class="member-row"'), second.count('class="member-row"')) == (20, 5)
    assert "第 1 页，共 2 页" in first
    assert "唯一管理员" in first + second  # the sole administrator, counted over every page


def test_inviting_from_the_page_sends_the_link(group, administrator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(administrator).post(
            f"/organisations/{group.pk}/invite/", {"email": "new@example.cn"}, follow=True
        )

    assert "邀请已发送至 new@example.cn" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["new@example.cn"]]


def test_an_invalid_address_is_refused_on_the_page(group, administrator):
    response = client_of(administrator).post(f"/organisations/{group.pk}/invite/", {"email": "not an address"})

    assert response.status_code == 400
    assert 'value="not an address"' in response.content.decode()
    assert Invitation.objects.count() == 0


def test_refusals_come_in_order_not_found_forbidden_conflict(group, administrator):
    outsider, colleague = member_of(SocialGroupFactory()), member_of(group)
    own = Membership.objects.get(user=administrator)
    url = f"/organisations/{group.pk}/members/{own.pk}/admin/"

    assert client_of(outsider).post(url, {"admin": "0"}).status_code == 404
    assert client_of(colleague).post(url, {"admin": "0"}).status_code == 403
    conflict = client_of(administrator).post(url, {"admin": "0"})
    assert conflict.status_code == 409
    assert "是唯一的管理员" in conflict.content.decode()
    own.refresh_from_db()
    assert own.is_admin is True


def test_making_a_colleague_administrator_lets_the_first_step_down(group, administrator):
    colleague = Membership.objects.get(user=member_of(group))
    client = client_of(administrator)

    client.post(f"/organisations/{group.pk}/members/{colleague.pk}/admin/", {"admin": "1"})
    client.post(
        f"/organisations/{group.pk}/members/{Membership.objects.get(user=administrator).pk}/admin/", {"admin": "0"}
    )

    assert list(Membership.objects.filter(organisation=group, is_admin=True).values_list("pk", flat=True)) == [
        colleague.pk
    ]


def test_removing_from_the_page_deactivates_the_person(group, administrator):
    colleague = member_of(group, name="离开者")
    membership = Membership.objects.get(user=colleague)

    response = client_of(administrator).post(f"/organisations/{group.pk}/members/{membership.pk}/remove/", follow=True)

    colleague.refresh_from_db()
    assert "离开者 已不再是成员" in response.content.decode()
    assert colleague.is_active is False


def test_the_invitation_page_makes_an_account_and_logs_in(group, administrator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_of(administrator).post(f"/organisations/{group.pk}/invite/", {"email": "new@example.cn"})
    link = re.search(r"https?://[^/]+(/invitations/\S+/)", mail.outbox[0].body).group(1)
    client = Client()
    assert "接受并加入" in client.get(link).content.decode()

    data = {"name": "新人", "phone": "13800000000", "username": "xinren"}
    refused = client.post(link, {**data, "phone": "12", "password1": "a", "password2": "a"})
    assert refused.status_code == 400
    assert 'value="xinren"' in refused.content.decode()

    accepted = client.post(link, {**data, "password1": "Zj-2026-xyz!", "password2": "Zj-2026-xyz!"}, follow=True)

    assert "欢迎加入 中国示例协会" in accepted.content.decode()
    assert User.objects.get(username="xinren").memberships.get().organisation == group
    again = Client().get(link)
    assert (again.status_code, "该邀请已被使用" in again.content.decode()) == (410, True)


def test_the_secretariat_lists_every_organisation_with_its_administrators(django_assert_max_num_queries):
    client = client_of(member_of(MinistryFactory(name="工业和信息化部科技司")))
    with django_assert_max_num_queries(100) as one:
        client.get("/organisations/")
    for _ in range(20):
        admin_of(ProvincialDepartmentFactory())

    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get("/organisations/?kind=provincial_department").content.decode()

    assert page.count("示例省工业和信息化厅") == 20
    assert "工业和信息化部科技司" not in page.split("<main", 1)[1].split("</main>")[0]


def test_the_secretariat_creates_a_department_from_the_fixed_provinces(django_capture_on_commit_callbacks):
    client = client_of(member_of(MinistryFactory()))
    data = {
        "kind": "provincial_department",
        "name": "江西省工业和信息化厅",
        "code": "jxgxt",
        "credit_code": make_credit_code(6100, prefix="11"),
        "admin_email": "head@jx.example.cn",
    }
    missing_province = client.post("/organisations/new/", data)
    assert missing_province.status_code == 400
    assert "省级主管部门须选择所属省份" in missing_province.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/organisations/new/", {**data, "province": "360000"}, follow=True)

    department = Organisation.objects.get(code="JXGXT")
    assert "江西省工业和信息化厅 已创建" in response.content.decode()
    assert (department.province, department.invitations.get().email) == ("360000", "head@jx.example.cn")
    assert [m.to for m in mail.outbox] == [["head@jx.example.cn"]]
