"""An organisation's people: invitations, administrators, removal and deactivation."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone, translation

from portal import members
from portal.exceptions import Conflict, LinkInvalid
from portal.models import AuditEvent, Invitation, Membership, User
from tests.factories import (
    ExpertFactory,
    MinistryFactory,
    ProvincialDepartmentFactory,
    SocialGroupFactory,
    UserFactory,
    admin_of,
    member_of,
)

pytestmark = pytest.mark.django_db

ACCOUNT = {"username": "newcolleague", "name": "冯同事", "phone": "13700000000", "password": "Zj-2026-xyz!"}


def token_of(message) -> str:
    return re.search(r"/invitations/([^/\s]+)/", message.body).group(1)


@pytest.fixture
def invite(django_capture_on_commit_callbacks):
    """Invite through the service, running the mail callback; returns the invitation and its e-mail's token."""

    def invite(organisation, by, email="colleague@example.cn", **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            invitation = members.invite(organisation=organisation, email=email, by=by, **kwargs)
        return invitation, token_of(mail.outbox[-1])

    return invite


@pytest.fixture
def group():
    return SocialGroupFactory()


@pytest.fixture
def administrator(group):
    return admin_of(group)


def test_invite_mails_a_single_use_link_valid_for_a_week(group, administrator, settings, invite):
    settings.PORTAL_URL = "https://portal.example.cn"

    invitation, token = invite(group, administrator, as_admin=True)

    assert (invitation.email, invitation.as_admin, invitation.expires_at - invitation.created_at) == (
        "colleague@example.cn",
        True,
        datetime.timedelta(days=7),
    )
    assert mail.outbox[-1].to == ["colleague@example.cn"]
    assert f"https://portal.example.cn/invitations/{token}/" in mail.outbox[-1].body
    # Only the hash is stored: the database does not hold a working link.
    assert invitation.token_hash != token
    assert len(invitation.token_hash) == 64


def test_invite_is_for_administrators_and_the_secretariat(group, administrator):
    colleague = member_of(group)

    with pytest.raises(PermissionDenied):
        members.invite(organisation=group, email="x@example.cn", by=colleague)
    members.invite(organisation=group, email="y@example.cn", by=member_of(MinistryFactory()))

    assert list(Invitation.objects.values_list("email", flat=True)) == ["y@example.cn"]


def test_inviting_an_address_again_withdraws_the_earlier_link(group, administrator, invite):
    first, first_token = invite(group, administrator)
    second, second_token = invite(group, administrator, email="COLLEAGUE@example.cn")

    first.refresh_from_db()
    assert (first.revoked_at is not None, second.revoked_at) == (True, None)
    with pytest.raises(LinkInvalid):
        members.invitation_for(first_token)
    assert members.invitation_for(second_token) == second


def test_invite_refuses_a_members_address(group, administrator):
    member_of(group, email="taken@example.cn")

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        members.invite(organisation=group, email="taken@example.cn", by=administrator)

    assert refused.value.message_dict == {"email": [f"A member of {group.name} has this address already."]}


def test_accept_with_a_new_account_makes_a_member_with_a_confirmed_address(group, administrator, invite):
    invitation, token = invite(group, administrator, as_admin=True)

    membership = members.accept_invitation(token=token, account=ACCOUNT)

    user = membership.user
    invitation.refresh_from_db()
    assert (
        user.username,
        user.email,
        user.email_confirmed_at is not None,
        user.check_password(ACCOUNT["password"]),
    ) == (
        "newcolleague",
        "colleague@example.cn",
        True,
        True,
    )
    assert (membership.organisation, membership.is_admin, invitation.accepted_by) == (group, True, user)
    assert user.groups.filter(pk=group.group_id).exists()
    actions = list(AuditEvent.objects.for_object(group).values_list("action", flat=True))
    assert actions[-4:] == ["invitation.create", "membership.add", "membership.admin", "invitation.accept"]


def test_an_invitation_works_once(group, administrator, invite):
    _invitation, token = invite(group, administrator)
    members.accept_invitation(token=token, account=ACCOUNT)

    with translation.override("en"), pytest.raises(LinkInvalid) as refused:
        members.accept_invitation(token=token, account={**ACCOUNT, "username": "second"})

    assert (refused.value.status, refused.value.message) == (
        410,
        "This invitation has been used already. Log in with the account that accepted it.",
    )
    assert Membership.objects.filter(organisation=group).count() == 2


def test_an_invitation_expires_after_seven_days(group, administrator, invite):
    _invitation, token = invite(group, administrator)

    with time_machine.travel(timezone.now() + datetime.timedelta(days=7, minutes=1)), pytest.raises(LinkInvalid):
        members.accept_invitation(token=token, account=ACCOUNT)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=6, hours=23)):
        assert members.accept_invitation(token=token, account=ACCOUNT).organisation == group


def test_an_unknown_token_is_not_found():
    with pytest.raises(LinkInvalid) as refused:
        members.invitation_for("not-a-token")

    assert refused.value.status == 404


def test_a_logged_in_person_accepts_with_their_own_account(group, administrator, invite):
    other_department_member = member_of(ProvincialDepartmentFactory())
    _invitation, token = invite(group, administrator)

    membership = members.accept_invitation(token=token, user=other_department_member)

    assert sorted(other_department_member.memberships.values_list("organisation__name", flat=True)) == sorted(
        [group.name, other_department_member.memberships.exclude(organisation=group).get().organisation.name]
    )
    assert membership.is_admin is False


def test_an_active_account_with_the_invited_address_must_log_in(group, administrator, invite):
    UserFactory(email="colleague@example.cn")
    _invitation, token = invite(group, administrator)

    with pytest.raises(Conflict):
        members.accept_invitation(token=token, account=ACCOUNT)


def test_a_deactivated_account_comes_back_with_a_new_password(group, administrator, invite):
    former = UserFactory(email="colleague@example.cn", is_active=False)
    _invitation, token = invite(group, administrator)

    membership = members.accept_invitation(token=token, account={"password": "Another-2026-pass"})

    former.refresh_from_db()
    assert (membership.user, former.is_active, former.check_password("Another-2026-pass")) == (former, True, True)


def test_revoke_stops_the_link(group, administrator, invite):
    invitation, token = invite(group, administrator)

    members.revoke_invitation(invitation=invitation, by=administrator)

    with pytest.raises(LinkInvalid):
        members.invitation_for(token)
    with pytest.raises(Conflict):
        members.revoke_invitation(invitation=invitation, by=administrator)


def test_set_administrator_names_and_ends_but_keeps_the_last(group, administrator):
    colleague_membership = Membership.objects.get(user=member_of(group))

    members.set_administrator(membership=colleague_membership, admin=True, by=administrator)
    members.set_administrator(
        membership=Membership.objects.get(user=administrator), admin=False, by=colleague_membership.user
    )

    with translation.override("en"), pytest.raises(Conflict) as refused:
        members.set_administrator(membership=colleague_membership, admin=False, by=colleague_membership.user)
    assert refused.value.message.endswith("is the last administrator: name another one first.")
    assert list(Membership.objects.filter(organisation=group, is_admin=True).values_list("user", flat=True)) == [
        colleague_membership.user_id
    ]


def test_a_plain_member_cannot_name_administrators(group, administrator):
    colleague = member_of(group)

    with pytest.raises(PermissionDenied):
        members.set_administrator(membership=Membership.objects.get(user=colleague), admin=True, by=colleague)


def test_removing_a_colleague_deactivates_them_and_ends_their_sessions(group, administrator):
    colleague = member_of(group)
    client = Client()
    client.force_login(colleague)
    assert client.get("/dashboard/").status_code == 200

    members.remove(membership=Membership.objects.get(user=colleague), by=administrator)

    colleague.refresh_from_db()
    response = client.get("/dashboard/")
    assert (colleague.is_active, response.status_code, response["Location"]) == (
        False,
        302,
        "/accounts/login/?next=/dashboard/",
    )
    assert User.objects.filter(pk=colleague.pk).exists()
    assert colleague.groups.filter(pk=group.group_id).exists() is False
    assert list(AuditEvent.objects.for_object(colleague).values_list("action", flat=True)) == ["user.deactivate"]


def test_a_person_with_another_organisation_or_an_expert_place_stays_active(group, administrator):
    in_two = member_of(group)
    Membership.objects.create(user=in_two, organisation=ProvincialDepartmentFactory())
    expert = ExpertFactory().user
    Membership.objects.create(user=expert, organisation=group)

    members.remove(membership=Membership.objects.get(user=in_two, organisation=group), by=administrator)
    members.remove(membership=Membership.objects.get(user=expert, organisation=group), by=administrator)

    assert list(User.objects.filter(pk__in=[in_two.pk, expert.pk]).values_list("is_active", flat=True)) == [True, True]


def test_the_last_administrator_cannot_leave(group, administrator):
    with translation.override("en"), pytest.raises(Conflict) as refused:
        members.remove(membership=Membership.objects.get(user=administrator), by=administrator)

    assert refused.value.message.endswith(
        "is the last administrator and cannot leave: name another administrator first."
    )
    assert Membership.objects.filter(user=administrator).exists()


def test_a_member_may_leave_but_not_remove_others(group, administrator):
    colleague, other = member_of(group), member_of(group)

    with pytest.raises(PermissionDenied):
        members.remove(membership=Membership.objects.get(user=other), by=colleague)
    members.remove(membership=Membership.objects.get(user=colleague), by=colleague)

    assert sorted(Membership.objects.filter(organisation=group).values_list("user", flat=True)) == sorted(
        [administrator.pk, other.pk]
    )


def test_the_secretariat_creates_a_department_and_invites_its_first_administrator():
    secretariat = member_of(MinistryFactory())

    organisation, invitation = members.create_with_administrator(
        admin_email="head@zj.gov.cn",
        by=secretariat,
        kind="provincial_department",
        name="江西省工业和信息化厅",
        short_name="江西工信厅",
        code="JXGXT",
        credit_code=ProvincialDepartmentFactory.build().credit_code,
        province="360000",
    )

    assert (organisation.kind, organisation.province, invitation.as_admin, invitation.email) == (
        "provincial_department",
        "360000",
        True,
        "head@zj.gov.cn",
    )


def test_only_the_secretariat_creates_organisations_and_never_social_groups():
    with pytest.raises(PermissionDenied):
        members.create_with_administrator(
            admin_email="a@example.cn", by=member_of(SocialGroupFactory()), kind="ministry"
        )
    with pytest.raises(ValidationError):
        members.create_with_administrator(
            admin_email="a@example.cn", by=member_of(MinistryFactory()), kind="social_group"
        )
