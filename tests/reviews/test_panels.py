"""Panels (评审组) of a call: creating them, members in and out, the chair; and their pages."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from portal.models import AuditEvent
from reviews.models import Panel, PanelMembership
from reviews.services import experts
from tests.factories import (
    CallFactory,
    ExpertFactory,
    MinistryFactory,
    ProvincialDepartmentFactory,
    SocialGroupFactory,
    member_of,
)

pytestmark = pytest.mark.django_db


def _expert(*fields: str, **kwargs):
    expert = ExpertFactory(**kwargs)
    for field in fields:
        expert.expertise.create(field=field)
    return expert


@pytest.fixture
def panel():
    return experts.create_panel(call=CallFactory(), field="equipment", name="装备制造一组")


@pytest.fixture
def secretariat():
    return member_of(MinistryFactory())


def test_create_panel_refuses_a_name_the_call_has(panel):
    with pytest.raises(ValidationError) as error:
        experts.create_panel(call=panel.call, field="electronics", name="装备制造一组")
    assert list(error.value.message_dict) == ["name"]


def test_add_member_once_and_audit_once(panel):
    expert = _expert("equipment")
    assert [experts.add_panel_member(panel=panel, expert=expert) for _ in range(2)] == [True, False]
    assert list(panel.members.all()) == [expert]
    assert AuditEvent.objects.filter(action="panel.member_add").count() == 1


def test_add_member_of_another_field_is_refused(panel):
    with pytest.raises(ValidationError) as error:
        experts.add_panel_member(panel=panel, expert=_expert("electronics"))
    assert list(error.value.message_dict) == ["expert"]
    assert PanelMembership.objects.count() == 0


def test_add_inactive_member_is_refused(panel):
    with pytest.raises(ValidationError):
        experts.add_panel_member(panel=panel, expert=_expert("equipment", is_active=False))


def test_chair_must_be_a_member(panel):
    with pytest.raises(ValidationError):
        experts.set_chair(panel=panel, expert=_expert("equipment"))


def test_removing_the_chair_leaves_the_panel_without_one(panel):
    expert = _expert("equipment")
    experts.add_panel_member(panel=panel, expert=expert)
    assert experts.set_chair(panel=panel, expert=expert) is True

    assert experts.remove_panel_member(panel=panel, expert=expert) is True

    panel.refresh_from_db()
    assert (panel.chair, list(panel.members.all())) == (None, [])
    assert experts.remove_panel_member(panel=panel, expert=expert) is False


def test_secretariat_creates_a_panel_on_the_call_page(client, secretariat):
    call = CallFactory()
    client.force_login(secretariat)
    response = client.post(reverse("reviews:panel_list", args=[call.pk]), {"field": "safety", "name": "安全生产组"})

    panel = Panel.objects.get()
    assert (response.status_code, response["Location"]) == (302, reverse("reviews:panel_detail", args=[panel.pk]))
    assert (panel.call, panel.field, panel.name) == (call, "safety", "安全生产组")


def test_secretariat_adds_a_member_names_the_chair_and_removes_them(client, secretariat, panel):
    expert = _expert("equipment")
    other_field = _expert("electronics")
    client.force_login(secretariat)
    url = reverse("reviews:panel_detail", args=[panel.pk])

    page = client.get(url)
    assert list(page.context["member_form"].fields["expert"].queryset) == [expert]
    assert client.post(url, {"expert": other_field.pk}).status_code == 400
    assert client.post(url, {"expert": expert.pk}).status_code == 302
    assert client.post(reverse("reviews:panel_chair", args=[panel.pk]), {"chair": expert.pk}).status_code == 302
    panel.refresh_from_db()
    assert (list(panel.members.all()), panel.chair) == ([expert], expert)

    client.post(reverse("reviews:panel_member_remove", args=[panel.pk, expert.pk]))
    panel.refresh_from_db()
    assert (list(panel.members.all()), panel.chair) == ([], None)


@pytest.mark.parametrize("who", ["expert", "applicant", "recommender"])
@pytest.mark.parametrize("name", ["panel_chair", "panel_member_remove"])
def test_panel_moves_are_refused_to_everyone_but_the_secretariat(client, panel, who, name):
    expert = _expert("equipment")
    experts.add_panel_member(panel=panel, expert=expert)
    users = {
        "expert": lambda: expert.user,
        "applicant": lambda: member_of(SocialGroupFactory()),
        "recommender": lambda: member_of(ProvincialDepartmentFactory()),
    }
    client.force_login(users[who]())
    kwargs = {"pk": panel.pk} | ({"expert_pk": expert.pk} if name == "panel_member_remove" else {})

    response = client.post(reverse(f"reviews:{name}", kwargs=kwargs), {"chair": expert.pk})

    assert response.status_code == 403
    assert (list(panel.members.all()), Panel.objects.get().chair) == ([expert], None)


def test_panel_moves_send_anonymous_users_to_log_in(client, panel):
    url = reverse("reviews:panel_chair", args=[panel.pk])
    response = client.post(url)
    assert (response.status_code, response["Location"]) == (302, f"{reverse('login')}?next={url}")


def test_a_panel_that_does_not_exist_is_not_found(client, secretariat):
    client.force_login(secretariat)
    assert client.get(reverse("reviews:panel_detail", args=[999999])).status_code == 404
