"""`seed_demo`: the demo accounts of DESIGN.md, the same after a second run, and a sound audit chain."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import RequestFactory

from portal.audit import verify_chain
from portal.choices import Role
from portal.models import AuditEvent, Membership, Organisation, User
from portal.roles import roles_for
from reviews.models import Expert
from tests.factories import SocialGroupFactory

pytestmark = pytest.mark.django_db

DEMO_ROLES = {
    "secretariat": {Role.SECRETARIAT},
    "applicant": {Role.APPLICANT},
    "applicant2": {Role.APPLICANT},
    "recommender": {Role.RECOMMENDER},
    **{f"expert{n}": {Role.EXPERT} for n in range(1, 7)},
}


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, list]:
    """Every row seed_demo writes, by natural key."""
    return {
        "organisations": sorted(Organisation.objects.values_list("code", "name", "kind")),
        "users": sorted(User.objects.values_list("username", "name", "email")),
        "memberships": sorted(Membership.objects.values_list("user__username", "organisation__code")),
        "experts": sorted(Expert.objects.values_list("user__username", "affiliation")),
        "groups": sorted(Group.objects.values_list("name", flat=True)),
        "group_members": sorted(User.groups.through.objects.values_list("user__username", "group__name")),
        "audit_events": sorted(AuditEvent.objects.values_list("action", "target_label", "note")),
    }


def test_seed_demo_twice_creates_the_same_rows():
    seed()
    first = snapshot()

    seed()

    assert snapshot() == first
    assert sorted(DEMO_ROLES) == [username for username, _, _ in first["users"]]


def test_seed_demo_every_account_authenticates_with_the_demo_password():
    seed()
    request = RequestFactory().post("/accounts/login/")

    authenticated = {
        username: authenticate(request, username=username, password="portal-demo") for username in DEMO_ROLES
    }

    assert {username: user and user.username for username, user in authenticated.items()} == {
        username: username for username in DEMO_ROLES
    }


def test_seed_demo_gives_each_account_its_role():
    seed()

    roles = {user.username: set(roles_for(user)) for user in User.objects.all()}

    assert roles == DEMO_ROLES


def test_seed_demo_recommender_acts_for_a_provincial_department_and_applicants_for_social_groups():
    seed()

    kinds = dict(Membership.objects.values_list("user__username", "organisation__kind"))

    assert kinds == {
        "secretariat": "ministry",
        "applicant": "social_group",
        "applicant2": "social_group",
        "recommender": "provincial_department",
    }


def test_seed_demo_if_empty_does_nothing_when_organisations_exist():
    SocialGroupFactory()
    before = snapshot()

    output = seed("--if-empty")

    assert snapshot() == before
    assert User.objects.count() == 0
    assert "demo data not added" in output


def test_seed_demo_if_empty_seeds_an_empty_database():
    output = seed("--if-empty")

    assert sorted(User.objects.values_list("username", flat=True)) == sorted(DEMO_ROLES)
    assert "portal-demo" in output


def test_seed_demo_leaves_an_audit_chain_that_verifies():
    seed()
    seed()

    checked, broken = verify_chain()

    assert broken is None
    assert checked == AuditEvent.objects.count()
    assert checked > 0


def test_seed_demo_gives_the_recommender_and_the_secretariat_an_application_each():
    from projects.models import Application

    seed()
    seed()  # a second run adds none

    rows = sorted(
        Application.objects.values_list("standard__number", "status", "recommender__code", "submission_count")
    )
    assert rows == [
        ("T/CCSA 273—2019", "recommended", None, 1),
        ("T/ZZB 128—2021", "submitted", "ZJJXT", 1),
    ]
    assert verify_chain()[1] is None
