"""`seed_demo`: the demo accounts of DESIGN.md, the same after a second run, and a sound audit chain; the open
demo call, and last year's call in expert review with its queue and totals."""

from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import verify_chain
from portal.choices import Role
from portal.models import AuditEvent, Membership, Organisation, User
from portal.roles import roles_for
from projects.models import Application, Call
from projects.services.seed import DEMO_NOTICE_SEQUENCE
from reviews.conflicts import conflict_reason
from reviews.models import Assignment, Criterion, Expert, ExpertField, Review, ReviewSettings, Score
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
        "expert_fields": sorted(ExpertField.objects.values_list("expert__user__username", "field")),
        "calls": sorted(Call.objects.values_list("notice_number", "deadline", "recommendation_deadline")),
        "applications": sorted(Application.objects.values_list("call__notice_number", "standard__number", "status")),
        "assignments": sorted(
            Assignment.objects.values_list("application__standard__number", "expert__user__username", "status")
        ),
        "reviews": sorted(
            Review.objects.values_list(
                "assignment__application__standard__number", "assignment__expert__user__username", "status", "total"
            )
        ),
        "scores": sorted(Score.objects.values_list("review__assignment__id", "criterion__name", "score")),
    }


def open_call() -> Call:
    """The open demo call of this year (projects.services.seed)."""
    year = timezone.localdate().year
    return Call.objects.get(notice_number=f"工信厅科函〔{year}〕{DEMO_NOTICE_SEQUENCE}号")


def review_call() -> Call:
    """Last year's demo call, in expert review."""
    return Call.objects.get(notice_number=f"工信厅科函〔{timezone.localdate().year - 1}〕165号")


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
    seed()
    seed()  # a second run adds none

    rows = sorted(
        Application.objects.filter(call=open_call()).values_list(
            "standard__number", "status", "recommender__code", "submission_count"
        )
    )
    assert rows == [
        ("T/CCSA 273—2019", "recommended", None, 1),
        ("T/ZZB 128—2021", "submitted", "ZJJXT", 1),
    ]
    assert verify_chain()[1] is None


# --- the open demo call and last year's call in expert review ----------------------------------------------------
def test_seed_demo_leaves_the_open_demo_call_open_and_out_of_review():
    seed()
    call = open_call()
    now = timezone.now()

    assert (call.opens_at < now < call.deadline < call.recommendation_deadline, call.is_published) == (True, True)
    assert ReviewSettings.objects.filter(call=call).exists() is False
    assert Criterion.objects.filter(call=call).count() == 0
    assert Assignment.objects.filter(application__call=call).count() == 0


def test_seed_demo_adds_last_years_call_past_its_recommendation_deadline_with_its_complete_one_shortlisted():
    seed()
    call = review_call()

    rows = sorted(call.applications.values_list("standard__number", "group__code", "status", "industry_field"))

    assert call.recommendation_deadline < timezone.now()
    assert call.deadline < call.recommendation_deadline
    assert call.year == timezone.localdate().year - 1
    assert rows == [
        ("T/CCSA 312—2021", "CCSA", "shortlisted", "electronics"),
        ("T/CCSA 358—2022", "CCSA", "under_review", "electronics"),
        ("T/ZZB 1—2019", "ZZB", "under_review", "consumer_goods"),
    ]


def test_seed_demo_review_call_went_through_the_workflow():
    seed()

    application = Application.objects.get(call=review_call(), standard__number="T/ZZB 1—2019")

    actions = list(
        AuditEvent.objects.for_object(application)
        .filter(action__startswith="application.")
        .exclude(action="application.edit")
        .order_by("pk")
        .values_list("action", "to_state")
    )

    assert actions == [
        ("application.create", "draft"),
        ("application.submit", "submitted"),
        ("application.recommend", "recommended"),
        ("application.admit", "under_review"),
    ]


def test_seed_demo_assigns_every_review_call_application_to_experts_1_to_3_free_of_conflicts():
    seed()
    call = review_call()

    assigned = {
        application.standard.number: sorted(
            application.assignments.filter(status="active").values_list("expert__user__username", flat=True)
        )
        for application in call.applications.select_related("standard")
    }
    assignments = Assignment.objects.filter(application__call=call).select_related("expert", "application")

    assert assigned == {number: ["expert1", "expert2", "expert3"] for number in assigned}
    assert call.review_settings.reviews_per_application == 3
    assert [conflict_reason(a.expert, a.application) for a in assignments] == [None] * 9
    assert all(a.application.industry_field in a.expert.field_codes for a in assignments)


def test_seed_demo_expert1_queue_lists_one_review_submitted_one_in_draft_and_one_not_started(client):
    seed()
    client.force_login(User.objects.get(username="expert1"))

    response = client.get(reverse("reviews:queue"))

    html = response.content.decode()
    rows = [(row["assignment"].application.standard.number, row["progress"]) for row in response.context["rows"]]
    assert rows == [
        ("T/CCSA 312—2021", "submitted"),
        ("T/ZZB 1—2019", "draft"),
        ("T/CCSA 358—2022", "not_started"),
    ]
    assert (html.count(_("Draft saved")), html.count(_("Not started"))) == (1, 1)
    for row in response.context["rows"]:
        assert reverse("reviews:review", kwargs={"pk": row["assignment"].pk}) in html
        assert row["assignment"].application.standard.title_zh in html


def test_seed_demo_submitted_reviews_give_the_ranking_its_weighted_totals():
    seed()

    totals = sorted(
        Review.objects.filter(status="submitted").values_list(
            "assignment__application__standard__number", "assignment__expert__user__username", "total"
        )
    )
    drafts = sorted(
        Review.objects.filter(status="draft").values_list(
            "assignment__application__standard__number", "assignment__expert__user__username"
        )
    )

    # 30/30/20/20 on the notice's four criteria, e.g. (88×30 + 92×30 + 85×20 + 86×20) / 100 = 88.20.
    assert totals == [
        ("T/CCSA 312—2021", "expert1", Decimal("88.20")),
        ("T/CCSA 312—2021", "expert2", Decimal("84.30")),
        ("T/CCSA 312—2021", "expert3", Decimal("87.20")),
        ("T/CCSA 358—2022", "expert2", Decimal("70.00")),
        ("T/ZZB 1—2019", "expert2", Decimal("79.80")),
        ("T/ZZB 1—2019", "expert3", Decimal("77.20")),
    ]
    assert drafts == [("T/CCSA 358—2022", "expert3"), ("T/ZZB 1—2019", "expert1")]
    assert review_call().review_settings.frozen_at is not None


def test_seed_demo_gives_an_expert_whose_fields_were_set_no_other_fields():
    seed()
    expert = Expert.objects.get(user__username="expert4")
    expert.expertise.all().delete()
    ExpertField.objects.create(expert=expert, field="safety")

    seed()

    assert expert.field_codes == ["safety"]


def test_seed_demo_adds_a_call_of_two_years_ago_noticed_closed_and_announced():
    from publicity.models import AnnouncedProject, NoticeStatus

    seed()
    call = Call.objects.get(year=timezone.localdate().year - 2)

    rows = sorted(call.applications.values_list("standard__number", "status"))
    listed = sorted(AnnouncedProject.objects.filter(announcement__call=call).values_list("standard_number", flat=True))
    assert (call.notice.status, call.announcement.published_at is not None) == (NoticeStatus.CLOSED, True)
    assert rows == [("T/CCSA 273—2019", "announced"), ("T/ZZB 1102—2019", "announced"), ("T/ZZB 128—2021", "announced")]
    assert listed == [number for number, _status in rows]
    assert call.announcement.lists.get().entry_count == 3


def test_seed_demo_announced_call_went_through_the_job_and_the_workflow():
    seed()
    application = Application.objects.get(call__year=timezone.localdate().year - 2, standard__number="T/CCSA 273—2019")

    actions = list(
        AuditEvent.objects.for_object(application)
        .filter(action__startswith="application.")
        .exclude(action="application.edit")
        .order_by("pk")
        .values_list("action", "to_state", "actor__username")
    )

    assert actions[-4:] == [
        ("application.admit", "under_review", "secretariat"),
        ("application.shortlist", "shortlisted", "secretariat"),
        ("application.open_notice", "in_publicity", None),
        ("application.close_notice", "announced", None),
    ]
