"""The expert pool's services: adding (with the set-password mail), updating, deactivating; and its pages."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.models import AuditEvent, User
from portal.roles import roles_for
from reviews.models import Expert, KeptAwayReason
from reviews.services import experts
from tests.factories import (
    ExpertFactory,
    MinistryFactory,
    ProvincialDepartmentFactory,
    SocialGroupFactory,
    UserFactory,
    member_of,
)

pytestmark = pytest.mark.django_db


def _add(**overrides) -> Expert:
    values = {
        "name": "李华",
        "email": "li.hua@example.cn",
        "affiliation": "清华大学",
        "title": "教授",
        "province": "110000",
        "fields": ["equipment", "electronics"],
    }
    return experts.add_expert(**(values | overrides))


def test_add_expert_makes_an_account_without_password_and_mails_the_link(django_capture_on_commit_callbacks):
    secretariat = member_of(MinistryFactory())
    with django_capture_on_commit_callbacks(execute=True):
        expert = _add(by=secretariat)

    user = User.objects.get(email="li.hua@example.cn")
    assert (user.name, user.has_usable_password(), expert.user_id) == ("李华", False, user.pk)
    assert expert.field_codes == ["equipment", "electronics"]
    assert [message.to for message in mail.outbox] == [["li.hua@example.cn"]]
    link = re.search(r"https?://\S+/accounts/reset/(\S+)/(\S+)/", mail.outbox[0].body)
    assert link is not None
    assert list(AuditEvent.objects.filter(actor=secretariat).values_list("action", flat=True)) == [
        "user.create",
        "expert.create",
    ]


def test_the_mailed_link_sets_the_password(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _add()
    path = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)

    form_page = client.get(path, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "Zhuanjia-2027!", "new_password2": "Zhuanjia-2027!"}
    )

    assert response.status_code == 302
    assert User.objects.get(email="li.hua@example.cn").check_password("Zhuanjia-2027!")


def test_add_expert_for_an_existing_account_sends_no_mail(django_capture_on_commit_callbacks):
    user = UserFactory(email="wang@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        expert = _add(email="WANG@example.cn")

    assert (expert.user_id, mail.outbox, roles_for(User.objects.get(pk=user.pk))) == (user.pk, [], {"expert"})


def test_add_expert_twice_is_refused_on_the_address():
    _add()
    with pytest.raises(ValidationError) as error:
        _add(name="李华二")
    assert list(error.value.message_dict) == ["email"]
    assert Expert.objects.count() == 1


def test_add_expert_with_an_organisation_takes_its_name_as_affiliation():
    university = SocialGroupFactory(name="中国示例学会")
    expert = _add(affiliation="", organisation=university)
    assert (expert.affiliation, expert.organisation) == ("中国示例学会", university)


def test_add_expert_without_affiliation_is_refused():
    with pytest.raises(ValidationError) as error:
        _add(affiliation="")
    assert list(error.value.message_dict) == ["affiliation"]


def test_update_expert_returns_what_changed_and_audits_once():
    expert = _add()
    group = SocialGroupFactory()
    kept = [experts.KeptAwaySpec(group, KeptAwayReason.ADVISES)]

    changed = experts.update_expert(expert=expert, title="研究员", fields=["safety"], kept_away=kept)
    again = experts.update_expert(expert=expert, title="研究员", fields=["safety"], kept_away=kept)

    expert.refresh_from_db()
    assert (changed, again) == (["title", "fields", "kept_away"], [])
    assert (expert.title, expert.field_codes, list(expert.kept_away.all())) == ("研究员", ["safety"], [group])
    assert AuditEvent.objects.filter(action="expert.update").count() == 1


def test_update_expert_cannot_keep_away_from_its_own_organisation():
    group = SocialGroupFactory()
    expert = _add(organisation=group)
    with pytest.raises(ValidationError) as error:
        experts.update_expert(expert=expert, kept_away=[experts.KeptAwaySpec(group)])
    assert list(error.value.message_dict) == ["kept_away"]


def test_deactivate_expert_takes_the_role_away_once():
    expert = ExpertFactory()
    assert experts.deactivate_expert(expert=expert) is True
    assert experts.deactivate_expert(expert=expert) is False

    assert roles_for(User.objects.get(pk=expert.user_id)) == frozenset()
    assert AuditEvent.objects.filter(action="expert.deactivate").count() == 1


def test_parse_fields_reads_codes_chinese_and_english_names():
    assert experts.parse_fields("装备制造、electronics; Work safety，原材料") == [
        "raw_materials",
        "equipment",
        "electronics",
        "safety",
    ]


def test_parse_fields_names_what_is_no_field():
    with pytest.raises(ValidationError) as error:
        experts.parse_fields("装备制造、航天")
    assert "航天" in error.value.messages[0]


def test_parse_kept_away_reads_reason_and_date():
    group = SocialGroupFactory(code="CSAX")
    [spec] = experts.parse_kept_away("csax|原单位|2027-06-30")
    assert (spec.organisation, spec.reason, str(spec.until)) == (group, "former_employer", "2027-06-30")


# --- the pages ---------------------------------------------------------------------------------------
@pytest.fixture
def secretariat():
    return member_of(MinistryFactory())


def test_secretariat_adds_an_expert_on_the_page_and_the_link_is_mailed(
    client, secretariat, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    data = {
        "name": "赵敏",
        "email": "zhao.min@example.cn",
        "affiliation": "浙江大学",
        "expertise": ["consumer_goods"],
        "province": "330000",
        "kept_away": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reviews:expert_add"), data)

    expert = Expert.objects.get(user__email="zhao.min@example.cn")
    assert (response.status_code, response["Location"]) == (302, reverse("reviews:expert_detail", args=[expert.pk]))
    assert (expert.affiliation, expert.field_codes, expert.province) == ("浙江大学", ["consumer_goods"], "330000")
    assert [message.to for message in mail.outbox] == [["zhao.min@example.cn"]]
    listed = client.get(reverse("reviews:expert_list"))
    assert [e.user.name for e in listed.context["page_obj"]] == ["赵敏"]


def test_the_add_page_keeps_what_was_typed_on_a_refusal(client, secretariat):
    client.force_login(secretariat)
    response = client.post(
        reverse("reviews:expert_add"),
        {"name": "赵敏", "email": "zhao.min@example.cn", "affiliation": "", "expertise": ["safety"]},
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["affiliation"]
    assert "zhao.min@example.cn" in response.content.decode()
    assert Expert.objects.count() == 0


def test_secretariat_edits_and_deactivates_an_expert(client, secretariat):
    expert = _add()
    client.force_login(secretariat)
    data = {
        "name": "李华",
        "affiliation": "北京大学",
        "title": "教授",
        "expertise": ["equipment"],
        "province": "110000",
        "kept_away": "",
    }

    response = client.post(reverse("reviews:expert_detail", args=[expert.pk]), data)

    expert.refresh_from_db()
    assert response.status_code == 302
    assert (expert.affiliation, expert.field_codes, expert.is_active) == ("北京大学", ["equipment"], False)
    assert expert.user.email == "li.hua@example.cn"


def test_expert_list_filters_by_field_province_status_and_text(client, secretariat):
    a = _add(name="甲", email="a@example.cn", fields=["safety"], province="110000")
    _add(name="乙", email="b@example.cn", fields=["equipment"], province="330000", affiliation="浙江大学")
    c = _add(name="丙", email="c@example.cn", fields=["safety", "equipment"], province="330000")
    experts.deactivate_expert(expert=c)
    client.force_login(secretariat)

    def names(**query) -> list[str]:
        return [e.user.name for e in client.get(reverse("reviews:expert_list"), query).context["page_obj"]]

    assert names(field="safety") == sorted(["甲", "丙"])
    assert names(province="330000", active="yes") == ["乙"]
    assert names(active="no") == ["丙"]
    assert names(q="浙江") == ["乙"]
    assert names(q="a@example") == [a.user.name]


def test_expert_list_refuses_a_field_that_is_none(client, secretariat):
    client.force_login(secretariat)
    response = client.get(reverse("reviews:expert_list"), {"field": "rockets"})
    assert (response.status_code, response.context["page_obj"]) == (400, None)


@pytest.mark.parametrize("who", ["expert", "applicant", "recommender"])
@pytest.mark.parametrize("name", ["expert_list", "expert_add", "expert_import", "expert_detail"])
def test_pool_pages_are_forbidden_to_everyone_but_the_secretariat(client, who, name):
    expert = _add()
    users = {
        "expert": lambda: expert.user,
        "applicant": lambda: member_of(SocialGroupFactory()),
        "recommender": lambda: member_of(ProvincialDepartmentFactory()),
    }
    client.force_login(users[who]())
    kwargs = {"pk": expert.pk} if name == "expert_detail" else {}

    method = client.get if name == "expert_list" else client.post
    response = method(reverse(f"reviews:{name}", kwargs=kwargs), {"name": "改名", "email": "x@example.cn"})

    assert response.status_code == 403
    assert list(Expert.objects.values_list("user__name", flat=True)) == ["李华"]


def test_pool_pages_send_anonymous_users_to_log_in(client):
    url = reverse("reviews:expert_list")
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (302, f"{reverse('login')}?next={url}")


def test_an_expert_that_does_not_exist_is_not_found(client, secretariat):
    client.force_login(secretariat)
    assert client.get(reverse("reviews:expert_detail", args=[999999])).status_code == 404


def _queries(client, url: str) -> int:
    client.get(url)  # what a first request fills once (content types, the site's caches)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_expert_list_queries_do_not_grow_with_the_rows(client, secretariat):
    group = SocialGroupFactory()
    _add(organisation=group, kept_away=[experts.KeptAwaySpec(SocialGroupFactory())])
    client.force_login(secretariat)
    url = reverse("reviews:expert_list") + "?field=equipment&active=yes"
    few = _queries(client, url)

    for n in range(20):
        _add(name=f"专家{n}", email=f"expert{n}@example.cn", organisation=SocialGroupFactory())
    many = _queries(client, url)

    assert (few, len(client.get(url).context["page_obj"])) == (many, 20)


def test_import_page_checks_then_imports(client, secretariat, django_capture_on_commit_callbacks):
    client.force_login(secretariat)
    data = "姓名,电子邮箱,工作单位,专业领域\r\n张伟,zhang.wei@example.cn,清华大学,装备制造\r\n".encode()
    url = reverse("reviews:expert_import")

    check = client.post(url, {"file": SimpleUploadedFile("e.csv", data), "dry_run": "on"})
    assert (check.status_code, check.context["report"].created, Expert.objects.count()) == (
        200,
        ["张伟 <zhang.wei@example.cn>"],
        0,
    )
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"file": SimpleUploadedFile("e.csv", data)})

    assert (done.status_code, Expert.objects.get().user.email, len(mail.outbox)) == (200, "zhang.wei@example.cn", 1)


def test_import_page_shows_the_refused_rows(client, secretariat):
    client.force_login(secretariat)
    data = "姓名,电子邮箱,工作单位,专业领域\r\n张伟,not-an-address,清华大学,装备制造\r\n".encode()

    response = client.post(reverse("reviews:expert_import"), {"file": SimpleUploadedFile("e.csv", data)})

    assert (response.status_code, [e.row for e in response.context["report"].errors]) == (400, [2])
    assert Expert.objects.count() == 0


def test_import_template_has_every_chinese_header(client, secretariat):
    client.force_login(secretariat)
    response = client.get(reverse("reviews:expert_import_template"))
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header == "姓名,电子邮箱,手机,工作单位,职称,专业领域,省份,回避单位"
