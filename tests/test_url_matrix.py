"""The (role × URL) matrix: what each kind of user gets from every named URL of the project.

Every named URL pattern must have a row here, and every row must name a URL that exists: a new page fails
this test until its author says who may open it. To add a page: add a `Row` to `MATRIX` with the status for
each actor; if the URL takes parameters, give `kwargs` (a callable receiving the `World`, which holds the
actors and whatever objects the stages add for them to act on).
"""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.core import signing
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from portal import notifications
from portal.accounts import EMAIL_LINK_SALT
from portal.models import CalendarDay, Invitation, Membership, Notification, RegistrationRequest, User
from portal.models.onboarding import hash_token
from projects import workflow
from projects.models import Application, Call, CallAttachment
from projects.services.calls import add_call_attachment
from reviews.models import Assignment, Expert, Panel
from reviews.services import experts as expert_services
from standards.files import minimal_pdf
from standards.models import Adoption, Evaluation, GroupDocument, GroupStandard, SocialGroup
from standards.services import publish_group_document
from tests.factories import (
    AdoptionFactory,
    CallFactory,
    EvaluationFactory,
    ExpertFactory,
    GroupProfileFactory,
    GroupStandardFactory,
    MinistryFactory,
    ProvincialDepartmentFactory,
    SocialGroupFactory,
    admitted_applications,
    make_application,
    make_registration,
    member_of,
)

ANONYMOUS = "anonymous"
APPLICANT = "applicant"
OTHER_APPLICANT = "other_applicant"
RECOMMENDER = "recommender"
OTHER_RECOMMENDER = "other_recommender"
ASSIGNED_EXPERT = "assigned_expert"
UNASSIGNED_EXPERT = "unassigned_expert"
SECRETARIAT = "secretariat"
ACTORS = [
    ANONYMOUS,
    APPLICANT,
    OTHER_APPLICANT,
    RECOMMENDER,
    OTHER_RECOMMENDER,
    ASSIGNED_EXPERT,
    UNASSIGNED_EXPERT,
    SECRETARIAT,
]

# An expected outcome is an HTTP status, or LOGIN: a redirect to the login page that comes back here.
LOGIN = "login"
Expected = int | str

# Namespaces whose URLs are not the portal's own pages.
SKIPPED_NAMESPACES = {"admin"}


@dataclass
class World:
    """The actors, and the objects they act on. Stages add their objects here (e.g. an application of
    `applicant`'s group that names `recommender` and is assigned to `assigned_expert`)."""

    users: dict[str, User | None]
    calendar_day: CalendarDay
    # portal: a notification of `applicant`'s, linking to NOTIFICATION_URL
    notification: Notification
    # standards: the applicant's group profile, one of its standards (full text not public) and its records
    group_profile: SocialGroup
    standard: GroupStandard
    adoption: Adoption
    evaluation: Evaluation
    document: GroupDocument
    # projects: a call with a published attachment; the applicant's group's submitted application naming
    # `recommender`'s department (with its attachments), and a draft of the same group
    call: Call
    call_attachment: CallAttachment
    application: Application
    draft: Application
    # portal, getting in: `applicant` administers its group, which has an open invitation (its link's token);
    # a pending registration request of a contact who is none of the actors; a confirmation link of applicant's
    invitation: Invitation
    invitation_token: str
    registration: RegistrationRequest
    email_token: str
    # reviews: the assigned expert's entry in the pool, and a panel of the call with that expert on it; an
    # application of the applicant's group admitted to review (in a call of its own, past its deadlines),
    # assigned to the assigned expert (who holds the view and review rights on it)
    expert: Expert
    panel: Panel
    admitted: Application
    assignment: Assignment


@dataclass(frozen=True)
class Row:
    expected: dict[str, Expected]
    kwargs: Callable[[World], dict] = field(default=lambda world: {})
    method: str = "get"
    data: dict = field(default_factory=dict)
    # Where a 302 that is not the login redirect must lead.
    redirect_to: str | None = None


NOTIFICATION_URL = "/dashboard/"


def everyone(expected: Expected) -> dict[str, Expected]:
    return dict.fromkeys(ACTORS, expected)


def logged_in(expected: Expected = 200) -> dict[str, Expected]:
    return {**everyone(expected), ANONYMOUS: LOGIN}


def only(roles: set[str], expected: Expected = 200) -> dict[str, Expected]:
    """`expected` for the given roles, 403 for the other logged-in users, the login page for anonymous."""
    return {actor: expected if actor in roles else 403 for actor in ACTORS} | {ANONYMOUS: LOGIN}


def secretariat_only(expected: Expected = 200) -> dict[str, Expected]:
    return only({SECRETARIAT}, expected)


def seen_by_group_recommender_secretariat() -> dict[str, Expected]:
    """An application's own pages: its group, its recommender once submitted, the secretariat; 404 for others."""
    return {**everyone(404), ANONYMOUS: LOGIN, APPLICANT: 200, RECOMMENDER: 200, SECRETARIAT: 200}


def seen_by_members_and_secretariat(expected: Expected = 200) -> dict[str, Expected]:
    """The applicant's group's own page and moves: its administrator (applicant) and the secretariat."""
    return {**everyone(404), ANONYMOUS: LOGIN, APPLICANT: expected, SECRETARIAT: expected}


def seen_by_secretariat(expected: Expected = 200) -> dict[str, Expected]:
    """A registration request: the secretariat (and its contact, who is none of the actors); 404 for others."""
    return {**everyone(404), ANONYMOUS: LOGIN, SECRETARIAT: expected}


def _group(world: "World") -> dict:
    return {"pk": world.application.group_id}


def _applicant_membership(world: "World") -> dict:
    membership = Membership.objects.get(user=world.users[APPLICANT], organisation_id=world.application.group_id)
    return {**_group(world), "membership_pk": membership.pk}


MATRIX: dict[str, Row] = {
    # --- portal -----------------------------------------------------------------------------------
    "portal:home": Row(everyone(200)),
    "portal:dashboard": Row(logged_in(200)),
    "portal:healthz": Row(everyone(200)),
    "portal:audit_list": Row(secretariat_only()),
    "portal:audit_export": Row(secretariat_only()),
    "portal:calendar": Row(secretariat_only()),
    "portal:calendar_year": Row(secretariat_only(), kwargs=lambda world: {"year": 2027}),
    # POST only: the secretariat's GET is refused by method, everyone else's by role first.
    "portal:calendar_delete": Row(
        secretariat_only(405), kwargs=lambda world: {"year": 2027, "pk": world.calendar_day.pk}
    ),
    "portal:calendar_schedule": Row(secretariat_only(), kwargs=lambda world: {"year": 2027}),
    "portal:notifications": Row(logged_in(200)),
    # Each user's own only: another's notification is not found.
    "portal:notification_open": Row(
        {**everyone(404), ANONYMOUS: LOGIN, APPLICANT: 302},
        kwargs=lambda world: {"pk": world.notification.pk},
        method="post",
        redirect_to=NOTIFICATION_URL,
    ),
    "portal:notifications_read_all": Row(logged_in(302), method="post", redirect_to="/notifications/"),
    # --- portal: getting in ------------------------------------------------------------------------------
    "portal:register": Row(everyone(200)),
    "portal:join_request": Row(everyone(405)),  # POST only, from the registration page's offer
    # Whoever holds a link may open it: the page asks to confirm, or to make an account or log in.
    "portal:email_confirm": Row(everyone(200), kwargs=lambda w: {"token": w.email_token}),
    "portal:invitation_accept": Row(everyone(200), kwargs=lambda w: {"token": w.invitation_token}),
    "portal:account": Row(logged_in(200)),
    "portal:email_change": Row(everyone(405)),
    "portal:email_resend": Row(everyone(405)),
    "portal:organisation": Row(logged_in(200)),
    "portal:organisation_list": Row(secretariat_only()),
    "portal:organisation_create": Row(secretariat_only()),
    # An organisation's page: its members and the secretariat; the administrators' moves (the applicant
    # administers its group). Removing or demoting its last administrator is refused in this state (409).
    "portal:organisation_detail": Row(seen_by_members_and_secretariat(), kwargs=lambda w: _group(w)),
    "portal:organisation_invite": Row(seen_by_members_and_secretariat(400), kwargs=lambda w: _group(w), method="post"),
    "portal:member_remove": Row(seen_by_members_and_secretariat(409), kwargs=_applicant_membership, method="post"),
    "portal:member_admin": Row(
        seen_by_members_and_secretariat(409), kwargs=_applicant_membership, method="post", data={"admin": "0"}
    ),
    # The applicant withdraws the invitation; the secretariat after it finds it withdrawn already.
    "portal:invitation_revoke": Row(
        {**seen_by_members_and_secretariat(302), SECRETARIAT: 409},
        kwargs=lambda w: {**_group(w), "invitation_pk": w.invitation.pk},
        method="post",
        redirect_to="/organisation/",
    ),
    "portal:registration_list": Row(secretariat_only()),
    "portal:registration_detail": Row(seen_by_secretariat(), kwargs=lambda w: {"pk": w.registration.pk}),
    "portal:registration_certificate": Row(seen_by_secretariat(), kwargs=lambda w: {"pk": w.registration.pk}),
    "portal:registration_approve": Row(
        seen_by_secretariat(302),
        kwargs=lambda w: {"pk": w.registration.pk},
        method="post",
        redirect_to="/organisations/requests/",
    ),
    "portal:registration_refuse": Row(
        seen_by_secretariat(400), kwargs=lambda w: {"pk": w.registration.pk}, method="post"
    ),
    # --- django.contrib.auth ----------------------------------------------------------------------
    "login": Row(everyone(200)),
    "logout": Row(everyone(405)),  # POST only, so that a link or an image cannot log anyone out
    "password_change": Row(logged_in(200)),
    "password_change_done": Row(logged_in(200)),
    "password_reset": Row(everyone(200)),
    "password_reset_done": Row(everyone(200)),
    "password_reset_confirm": Row(everyone(200), kwargs=lambda world: {"uidb64": "MQ", "token": "not-a-token"}),
    "password_reset_complete": Row(everyone(200)),
    # --- django.conf.urls.i18n --------------------------------------------------------------------
    "set_language": Row(everyone(302), method="post", data={"language": "en", "next": "/"}, redirect_to="/"),
    # --- standards ----------------------------------------------------------------------------------
    "standards:standard_list": Row(everyone(200)),
    "standards:standard_detail": Row(everyone(200), kwargs=lambda w: {"pk": w.standard.pk}),
    "standards:standard_full_text": Row(
        {**everyone(404), APPLICANT: 200, SECRETARIAT: 200}, kwargs=lambda w: {"pk": w.standard.pk}
    ),
    "standards:evaluation_report": Row(
        everyone(200), kwargs=lambda w: {"pk": w.standard.pk, "evaluation_pk": w.evaluation.pk}
    ),
    "standards:group_list": Row(everyone(200)),
    "standards:group_detail": Row(everyone(200), kwargs=lambda w: {"pk": w.group_profile.pk}),
    "standards:group_document": Row(
        everyone(200), kwargs=lambda w: {"pk": w.group_profile.pk, "document_pk": w.document.pk}
    ),
    "standards:standard_create": Row(only({APPLICANT, OTHER_APPLICANT, SECRETARIAT})),
    "standards:standard_edit": Row(only({APPLICANT, SECRETARIAT}), kwargs=lambda w: {"pk": w.standard.pk}),
    "standards:adoption_create": Row(only({APPLICANT, SECRETARIAT}), kwargs=lambda w: {"pk": w.standard.pk}),
    "standards:evaluation_create": Row(only({APPLICANT, SECRETARIAT}), kwargs=lambda w: {"pk": w.standard.pk}),
    "standards:group_edit": Row(only({APPLICANT, SECRETARIAT}), kwargs=lambda w: {"pk": w.group_profile.pk}),
    "standards:group_document_create": Row(only({APPLICANT, SECRETARIAT}), kwargs=lambda w: {"pk": w.group_profile.pk}),
    "standards:group_create": Row(secretariat_only()),
    "standards:standard_import": Row(secretariat_only()),
    "standards:import_template": Row(secretariat_only()),
    "standards:group_import": Row(secretariat_only()),
    "standards:group_import_template": Row(secretariat_only()),
    # POST-only deletions: the method is checked before the right.
    "standards:adoption_delete": Row(
        logged_in(405), kwargs=lambda w: {"pk": w.standard.pk, "adoption_pk": w.adoption.pk}
    ),
    "standards:evaluation_delete": Row(
        logged_in(405), kwargs=lambda w: {"pk": w.standard.pk, "evaluation_pk": w.evaluation.pk}
    ),
    "standards:group_document_delete": Row(
        logged_in(405), kwargs=lambda w: {"pk": w.group_profile.pk, "document_pk": w.document.pk}
    ),
    # --- projects: calls ------------------------------------------------------------------------------
    "projects:call_list": Row(everyone(200)),
    "projects:call_create": Row(secretariat_only()),
    "projects:call_detail": Row(everyone(200), kwargs=lambda w: {"pk": w.call.pk}),
    "projects:call_edit": Row(secretariat_only(), kwargs=lambda w: {"pk": w.call.pk}),
    # The world's call is published: its preview is the secretariat's; publishing it again, or withdrawing the
    # publication of a call that has opened, is refused in this state (409).
    "projects:call_preview": Row(secretariat_only(), kwargs=lambda w: {"pk": w.call.pk}),
    "projects:call_publish": Row(secretariat_only(409), kwargs=lambda w: {"pk": w.call.pk}, method="post"),
    "projects:call_unpublish": Row(secretariat_only(409), kwargs=lambda w: {"pk": w.call.pk}, method="post"),
    "projects:call_attachment_create": Row(secretariat_only(), kwargs=lambda w: {"pk": w.call.pk}),
    "projects:call_attachment": Row(
        everyone(200), kwargs=lambda w: {"pk": w.call.pk, "attachment_pk": w.call_attachment.pk}
    ),
    # A GET is the page that names the file and asks; the POST removes it.
    "projects:call_attachment_delete": Row(
        secretariat_only(), kwargs=lambda w: {"pk": w.call.pk, "attachment_pk": w.call_attachment.pk}
    ),
    "projects:call_quotas": Row(secretariat_only(), kwargs=lambda w: {"pk": w.call.pk}),
    "projects:call_extensions": Row(secretariat_only(), kwargs=lambda w: {"pk": w.call.pk}),
    "projects:call_recommenders": Row(secretariat_only(), kwargs=lambda w: {"pk": w.call.pk}),
    "projects:call_recommenders_csv": Row(secretariat_only(), kwargs=lambda w: {"pk": w.call.pk}),
    "projects:recommender_extension": Row(
        secretariat_only(), kwargs=lambda w: {"pk": w.call.pk, "organisation_pk": w.application.recommender_id}
    ),
    "projects:formal_check": Row(secretariat_only(), kwargs=lambda w: {"pk": w.call.pk}),
    # --- projects: the group's summary table (a social group's staff, each for their own group) -----------
    "projects:group_summary": Row(
        {**everyone(403), ANONYMOUS: LOGIN, APPLICANT: 200, OTHER_APPLICANT: 200}, kwargs=lambda w: {"pk": w.call.pk}
    ),
    "projects:group_summary_print": Row(
        {**everyone(403), ANONYMOUS: LOGIN, APPLICANT: 200, OTHER_APPLICANT: 200}, kwargs=lambda w: {"pk": w.call.pk}
    ),
    # --- projects: applications ------------------------------------------------------------------------
    "projects:application_list": Row(logged_in(200)),
    "projects:application_create": Row(only({APPLICANT, OTHER_APPLICANT})),
    "projects:application_detail": Row(
        seen_by_group_recommender_secretariat(), kwargs=lambda w: {"pk": w.application.pk}
    ),
    # A draft never submitted is its group's own: the secretariat does not see it either.
    "projects:application_edit": Row(
        {**everyone(404), ANONYMOUS: LOGIN, APPLICANT: 200},
        kwargs=lambda w: {"pk": w.draft.pk, "section": "claim"},
    ),
    # The submission's confirmation page (issue 10): its group gets 409 once the application is submitted, as
    # for the POST it sends; the recommender and the secretariat see the application but never submit it.
    "projects:application_submit": Row(
        {**everyone(404), ANONYMOUS: LOGIN, APPLICANT: 409, RECOMMENDER: 403, SECRETARIAT: 403},
        kwargs=lambda w: {"pk": w.application.pk},
    ),
    # The receipt (回执) of its first submission: whoever sees the application.
    "projects:application_receipt": Row(
        seen_by_group_recommender_secretariat(), kwargs=lambda w: {"pk": w.application.pk, "number": 1}
    ),
    "projects:application_withdraw": Row(
        {**everyone(404), ANONYMOUS: LOGIN, APPLICANT: 200, RECOMMENDER: 403, SECRETARIAT: 403},
        kwargs=lambda w: {"pk": w.application.pk},
    ),
    "projects:application_print": Row(
        seen_by_group_recommender_secretariat(), kwargs=lambda w: {"pk": w.application.pk}
    ),
    "projects:application_pdf": Row(seen_by_group_recommender_secretariat(), kwargs=lambda w: {"pk": w.application.pk}),
    # --- projects: recommendation ------------------------------------------------------------------------
    # Every department's staff have an inbox (the other department's is empty of this application).
    "projects:recommendation_inbox": Row(only({RECOMMENDER, OTHER_RECOMMENDER})),
    "projects:application_decide": Row(logged_in(405), kwargs=lambda w: {"pk": w.application.pk}),
    # A recommender's ranks and letter in a call: 404 for a department with no application in it; the
    # secretariat opens a letter only with ?organisation= (tested in test_recommendation_letter.py).
    "projects:recommendation_ranks": Row(
        {**only({RECOMMENDER}), OTHER_RECOMMENDER: 404}, kwargs=lambda w: {"call_pk": w.call.pk}
    ),
    "projects:recommendation_letter": Row(
        {**only({RECOMMENDER}), OTHER_RECOMMENDER: 404, SECRETARIAT: 404}, kwargs=lambda w: {"call_pk": w.call.pk}
    ),
    "projects:application_formal_check": Row(logged_in(405), kwargs=lambda w: {"pk": w.application.pk}),
    "projects:attachment_upload": Row(
        seen_by_group_recommender_secretariat(), kwargs=lambda w: {"pk": w.application.pk}
    ),
    "projects:attachment_download": Row(
        seen_by_group_recommender_secretariat(),
        kwargs=lambda w: {"pk": w.application.pk, "attachment_pk": w.application.attachments.first().pk},
    ),
    # Removal is asked first on its page (issue 10): its group gets 409 once the application is submitted.
    "projects:attachment_delete": Row(
        {**everyone(404), ANONYMOUS: LOGIN, APPLICANT: 409, RECOMMENDER: 403, SECRETARIAT: 403},
        kwargs=lambda w: {"pk": w.application.pk, "attachment_pk": w.application.attachments.first().pk},
    ),
    # An empty table row for the edit page's script (an htmx request); opened as a page, a 400 pointing back.
    "projects:application_row": Row(
        {**everyone(404), ANONYMOUS: LOGIN, APPLICANT: 400},
        kwargs=lambda w: {"pk": w.draft.pk, "section": "advancement"},
    ),
    # --- reviews: the expert pool and the panels (the secretariat's) -----------------------------------------
    "reviews:expert_list": Row(secretariat_only()),
    "reviews:expert_add": Row(secretariat_only()),
    "reviews:expert_import": Row(secretariat_only()),
    "reviews:expert_import_template": Row(secretariat_only()),
    "reviews:expert_detail": Row(secretariat_only(), kwargs=lambda w: {"pk": w.expert.pk}),
    "reviews:panel_list": Row(secretariat_only(), kwargs=lambda w: {"pk": w.call.pk}),
    "reviews:panel_detail": Row(secretariat_only(), kwargs=lambda w: {"pk": w.panel.pk}),
    # POST only: the method is checked before the right (the roles are tested in tests/reviews/test_panels.py).
    "reviews:panel_chair": Row(everyone(405), kwargs=lambda w: {"pk": w.panel.pk}),
    "reviews:panel_member_remove": Row(everyone(405), kwargs=lambda w: {"pk": w.panel.pk, "expert_pk": w.expert.pk}),
}

# The review stage's later pages keep their rows beside their tests (they import Row and the helpers above).
from tests.reviews import matrix_assignments, matrix_queue, matrix_ranking  # noqa: E402

MATRIX.update(matrix_assignments.ROWS)
MATRIX.update(matrix_queue.ROWS)
MATRIX.update(matrix_ranking.ROWS)

from tests.publicity import matrix_notices, matrix_objections, matrix_register  # noqa: E402

MATRIX.update(matrix_notices.ROWS)
MATRIX.update(matrix_objections.ROWS)
MATRIX.update(matrix_register.ROWS)

from tests.reports import matrix_reports  # noqa: E402

MATRIX.update(matrix_reports.ROWS)

from tests.api import matrix_api  # noqa: E402

MATRIX.update(matrix_api.ROWS)


def named_urls(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[str | None]:
    """Every URL pattern's full name (`namespace:name`), walking includes; None for an unnamed one."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            yield from named_urls(pattern, f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix)
        elif isinstance(pattern, URLPattern):
            yield f"{prefix}{pattern.name}" if pattern.name else None


class _PageOutline(HTMLParser):
    """What the matrix checks on every page: its h1s and its form controls without a label."""

    UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}

    def __init__(self) -> None:
        super().__init__()
        self.h1_count = 0
        self.label_for: set[str] = set()
        self.controls: list[dict[str, str | None]] = []
        self._open_labels = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "h1":
            self.h1_count += 1
        elif tag == "label":
            self._open_labels += 1
            if attributes.get("for"):
                self.label_for.add(attributes["for"])
        elif tag in {"input", "select", "textarea"} and attributes.get("type") not in self.UNLABELLED_TYPES:
            self.controls.append({**attributes, "_in_label": "yes" if self._open_labels else None})

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._open_labels -= 1

    def unlabelled(self) -> list[str | None]:
        return [
            control.get("name")
            for control in self.controls
            if not (
                control["_in_label"]
                or control.get("id") in self.label_for
                or control.get("aria-label")
                or control.get("aria-labelledby")
            )
        ]


def outline(html: str) -> _PageOutline:
    parser = _PageOutline()
    parser.feed(html)
    return parser


@pytest.fixture
def world(db, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path
    applicant_group, other_group = SocialGroupFactory(), SocialGroupFactory()
    department, other_department = ProvincialDepartmentFactory(), ProvincialDepartmentFactory()
    users = {
        ANONYMOUS: None,
        APPLICANT: member_of(applicant_group),
        OTHER_APPLICANT: member_of(other_group),
        RECOMMENDER: member_of(department),
        OTHER_RECOMMENDER: member_of(other_department),
        ASSIGNED_EXPERT: ExpertFactory().user,
        UNASSIGNED_EXPERT: ExpertFactory().user,
        SECRETARIAT: member_of(MinistryFactory()),
    }
    calendar_day, _ = CalendarDay.objects.get_or_create(
        date="2027-10-01", defaults={"kind": CalendarDay.Kind.HOLIDAY, "name": "国庆节"}
    )
    profile = GroupProfileFactory(organisation=applicant_group)
    GroupProfileFactory(organisation=other_group)
    pdf = ContentFile(minimal_pdf("T/TEST 1-2020"), name="text.pdf")
    standard = GroupStandardFactory(issuer=profile, full_text=pdf, full_text_public=False)
    call = CallFactory()
    application = make_application(
        call=call, group=applicant_group, by=users[APPLICANT], complete=True, recommender=department
    )
    workflow.submit(application, by=users[APPLICANT])
    Membership.objects.filter(user=users[APPLICANT], organisation=applicant_group).update(is_admin=True)
    invitation_token = "matrix-invitation-token"
    now = timezone.now()
    expert = Expert.objects.get(user=users[ASSIGNED_EXPERT])
    expert.expertise.create(field="equipment")
    panel = expert_services.create_panel(call=call, field="equipment", name="装备制造组")
    expert_services.add_panel_member(panel=panel, expert=expert)
    admitted = admitted_applications(groups=[applicant_group], recommender=department)[0]
    assignment = Assignment.objects.create(application=admitted, expert=expert, assigned_by=users[SECRETARIAT])
    for right in ("projects.view_application", "projects.review_application"):
        assign_perm(right, expert.user, admitted)
    return World(
        users=users,
        invitation=Invitation.objects.create(
            organisation=applicant_group,
            email="invited@example.cn",
            token_hash=hash_token(invitation_token),
            expires_at=now + datetime.timedelta(days=7),
        ),
        invitation_token=invitation_token,
        registration=make_registration(n=99),
        email_token=signing.dumps(
            {"u": users[APPLICANT].pk, "from": users[APPLICANT].email, "to": users[APPLICANT].email},
            salt=EMAIL_LINK_SALT,
            compress=True,
        ),
        calendar_day=calendar_day,
        notification=notifications.notify(
            recipients=[users[APPLICANT]], key="matrix", subject="申报书已退回修改", body="", url=NOTIFICATION_URL
        )[0],
        call=call,
        call_attachment=add_call_attachment(
            call=call, kind="other", title="附件", file=ContentFile(minimal_pdf("t"), name="t.pdf"), by=None
        ),
        expert=expert,
        panel=panel,
        admitted=admitted,
        assignment=assignment,
        application=application,
        draft=make_application(call=call, group=applicant_group, by=users[APPLICANT]),
        group_profile=profile,
        standard=standard,
        adoption=AdoptionFactory(standard=standard),
        evaluation=EvaluationFactory(standard=standard, report=ContentFile(minimal_pdf("report"), name="r.pdf")),
        document=publish_group_document(
            group=profile,
            kind=GroupDocument.Kind.PROCEDURE,
            version_date=datetime.date(2024, 1, 1),
            file=ContentFile(minimal_pdf("procedure"), name="procedure.pdf"),
        ),
    )


def test_every_url_pattern_is_named():
    assert [name for name in named_urls() if name is None] == []


def test_every_named_url_is_in_the_matrix():
    assert sorted(set(named_urls()) - set(MATRIX)) == []


def test_every_matrix_row_names_an_existing_url():
    assert sorted(set(MATRIX) - set(named_urls())) == []


def test_every_matrix_row_covers_every_actor():
    assert {name: sorted(row.expected) for name, row in MATRIX.items() if set(row.expected) != set(ACTORS)} == {}


def _observe(response, row: Row, url: str) -> Expected:
    """What the response amounts to, in the matrix's terms; a description of what is wrong when it is off."""
    status = response.status_code
    if status == 302 and response["Location"] == f"{reverse('login')}?next={url}":
        return LOGIN
    if status == 302 and response["Location"] != row.redirect_to:
        return f"302 to {response['Location']}"
    if status == 403 and "403.html" not in [template.name for template in response.templates]:
        return "403 without the portal's 403 page"
    if status == 405 and row.method.upper() in response["Allow"]:
        return f"405 although {response['Allow']} allows {row.method.upper()}"
    if status == 200 and response["Content-Type"].startswith("text/html"):
        # Every full page has exactly one h1 and labels every form control it shows.
        page = outline(response.content.decode())
        if (page.h1_count, page.unlabelled()) != (1, []):
            return f"200 with {page.h1_count} h1 and unlabelled {page.unlabelled()}"
    return status


# One test per URL, every actor in it: the world is built once per URL rather than once per pair.
@pytest.mark.parametrize("name", list(MATRIX))
def test_url_answers_every_actor_as_the_matrix_says(world, name):
    row = MATRIX[name]
    url = reverse(name, kwargs=row.kwargs(world))
    observed = {}
    for actor in ACTORS:
        client = Client()
        if world.users[actor] is not None:
            client.force_login(world.users[actor])
        observed[actor] = _observe(getattr(client, row.method)(url, row.data), row, url)

    assert observed == row.expected
