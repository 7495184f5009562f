import pytest
from django.contrib.auth.models import AnonymousUser

from portal import services as portal_services
from standards.permissions import can_edit_group, can_edit_standard, can_import, can_register_group, can_see_full_text
from standards.selectors import editable_groups
from tests.factories import ExpertFactory, GroupStandardFactory, ProvincialDepartmentFactory, member_of
from tests.standards.conftest import pdf_upload

pytestmark = pytest.mark.django_db


def test_group_staff_maintain_their_own_group_only(group, group_staff, cntac):
    assert (can_edit_group(group_staff, group), can_edit_group(group_staff, cntac)) == (True, False)


def test_the_secretariat_maintains_every_group(group, cntac, secretariat):
    assert (can_edit_group(secretariat, group), can_edit_group(secretariat, cntac)) == (True, True)


@pytest.mark.parametrize(
    "make_user",
    [
        lambda: AnonymousUser(),
        lambda: member_of(ProvincialDepartmentFactory()),
        lambda: ExpertFactory().user,
    ],
    ids=["anonymous", "recommender", "expert"],
)
def test_nobody_else_edits(group, make_user):
    user = make_user()

    assert (can_edit_group(user, group), can_register_group(user), can_import(user)) == (False, False, False)


def test_a_member_who_leaves_loses_the_right(group, group_staff):
    portal_services.remove_member(user=group_staff, organisation=group.organisation)
    group_staff = type(group_staff).objects.get(pk=group_staff.pk)  # a fresh object: no cached permissions

    assert can_edit_group(group_staff, group) is False


def test_a_standard_is_maintained_by_its_issuers_staff_not_its_co_issuers(group, group_staff, cntac):
    co_issued = GroupStandardFactory(issuer=cntac, co_issuers=[group])

    assert can_edit_standard(group_staff, co_issued) is False


def test_a_non_public_full_text_is_seen_only_by_its_maintainers(group, group_staff, other_staff, secretariat):
    standard = GroupStandardFactory(issuer=group, full_text=pdf_upload(), full_text_public=False)

    seen = [can_see_full_text(user, standard) for user in (AnonymousUser(), other_staff, group_staff, secretariat)]

    assert seen == [False, False, True, True]


def test_editable_groups_are_the_users_own_or_all_for_the_secretariat(group, group_staff, cntac, secretariat):
    assert list(editable_groups(group_staff)) == [group]
    assert set(editable_groups(secretariat)) == {group, cntac}
    assert list(editable_groups(AnonymousUser())) == []
