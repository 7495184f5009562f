"""The expert pool's services: adding (with the set-password mail), updating, deactivating; and its pages."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from portal.models import AuditEvent, User
from portal.roles import roles_for
from reviews.models import Expert, KeptAwayReason
from reviews.services import experts
from tests.factories import ExpertFactory, MinistryFactory, SocialGroupFactory, UserFactory, member_of

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
