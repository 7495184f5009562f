import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from portal import audit
from portal.choices import OrganisationKind, Province, SocialGroupType
from portal.models import AuditEvent, CalendarDay, Membership, Organisation
from tests.factories import ExpertFactory, UserFactory, make_credit_code, make_registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    client.admin = admin
    return client


def _organisation_form(**overrides) -> dict[str, str]:
    data = {
        "name": "中国示例标准化协会",
        "short_name": "示例标协",
        "code": "CSA",
        "kind": OrganisationKind.SOCIAL_GROUP,
        "social_group_type": SocialGroupType.ASSOCIATION,
        "province": Province.BEIJING,
        "credit_code": make_credit_code(77),
        "is_active": "on",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    return {**data, **overrides}


def test_admin_add_organisation_goes_through_the_service(admin_client):
    member = UserFactory(username="li")
    form = _organisation_form(
        **{"memberships-TOTAL_FORMS": "1", "memberships-0-user": str(member.pk), "memberships-0-title": "标准部"}
    )

    response = admin_client.post(reverse("admin:portal_organisation_add"), form)

    organisation = Organisation.objects.get(code="CSA")
    membership = Membership.objects.get(organisation=organisation)
    assert (response.status_code, organisation.group, list(member.groups.all())) == (
        302,
        Group.objects.get(name="org:CSA"),
        [organisation.group],
    )
    assert (membership.user, membership.title) == (member, "标准部")
    assert list(AuditEvent.objects.values_list("action", "actor")) == [
        ("organisation.create", admin_client.admin.pk),
        ("membership.add", admin_client.admin.pk),
    ]


def test_admin_delete_membership_inline_removes_the_group(admin_client):
    admin_client.post(
        reverse("admin:portal_organisation_add"),
        _organisation_form(
            **{"memberships-TOTAL_FORMS": "1", "memberships-0-user": str(UserFactory(username="li").pk)}
        ),
    )
    organisation = Organisation.objects.get(code="CSA")
    membership = Membership.objects.get()
    form = _organisation_form(
        **{
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "1",
            "memberships-0-id": str(membership.pk),
            "memberships-0-organisation": str(organisation.pk),
            "memberships-0-user": str(membership.user_id),
            "memberships-0-DELETE": "on",
        }
    )

    admin_client.post(reverse("admin:portal_organisation_change", args=[organisation.pk]), form)

    assert (Membership.objects.count(), list(membership.user.groups.all()), AuditEvent.objects.latest("id").action) == (
        0,
        [],
        "membership.remove",
    )


def test_admin_audit_event_is_read_only(admin_client):
    event = audit.record(action="test.read_only", note="只读")

    changelist = admin_client.get(reverse("admin:portal_auditevent_changelist"))
    add = admin_client.get(reverse("admin:portal_auditevent_add"))
    delete = admin_client.post(reverse("admin:portal_auditevent_delete", args=[event.pk]), {"post": "yes"})
    change = admin_client.post(reverse("admin:portal_auditevent_change", args=[event.pk]), {"note": "rewritten"})

    assert (
        "test.read_only" in changelist.content.decode(),
        add.status_code,
        delete.status_code,
        change.status_code,
    ) == (
        True,
        403,
        403,
        403,
    )
    assert AuditEvent.objects.get(pk=event.pk).note == "只读"


def test_admin_calendar_day_add_is_audited(admin_client):
    CalendarDay.objects.filter(date__year=2027).delete()

    admin_client.post(
        reverse("admin:portal_calendarday_add"), {"date": "2027-02-20", "kind": "workday", "name": "调休"}
    )

    event = AuditEvent.objects.get()
    assert (CalendarDay.objects.get(date="2027-02-20").kind, event.action, event.to_state) == (
        "workday",
        "calendar.set",
        "workday",
    )


def test_admin_expert_is_registered(admin_client):
    ExpertFactory(affiliation="北京航空航天大学")

    response = admin_client.get(reverse("admin:reviews_expert_changelist"))

    assert "北京航空航天大学" in response.content.decode()


def test_admin_shows_registration_requests_and_invitations_read_only(admin_client):
    request = make_registration()

    listing = admin_client.get(reverse("admin:portal_registrationrequest_changelist"))
    change = admin_client.post(
        reverse("admin:portal_registrationrequest_change", args=[request.pk]), {"status": "approved"}
    )

    assert request.name in listing.content.decode()
    assert admin_client.get(reverse("admin:portal_invitation_add")).status_code == 403
    request.refresh_from_db()
    assert (change.status_code, request.status) == (403, "pending")
