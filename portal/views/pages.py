"""The shared pages: the public home page and each user's dashboard."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from portal.choices import OrganisationKind, Role
from portal.models import Organisation
from portal.public_cache import public_page
from portal.roles import organisations_of, roles_for
from portal.selectors import calendar_years_missing, registration_queue, registration_requests_of
from projects.selectors.applications import waiting_for_applicant
from projects.selectors.calls import open_calls
from projects.selectors.dashboard import waiting_for_recommender, waiting_for_secretariat
from projects.selectors.summary import summary_tables
from publicity.selectors import dashboard as publicity_selectors

# Which organisations a role acts through, to name them on the dashboard.
_KINDS_OF_ROLE = {
    Role.APPLICANT: {OrganisationKind.SOCIAL_GROUP},
    Role.RECOMMENDER: {OrganisationKind.PROVINCIAL_DEPARTMENT, OrganisationKind.INDUSTRY_DELEGATE},
    Role.SECRETARIAT: {OrganisationKind.MINISTRY},
}


@public_page("calls", "notices", "register", seconds=60)  # "closes in …" moves with the clock
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "open_calls": open_calls(timezone.now()),
        "open_notices": publicity_selectors.open_notices(),
        "announced_projects": publicity_selectors.latest_projects(),
    }
    return render(request, "portal/home.html", context)


@require_safe
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    roles = roles_for(request.user)
    organisations = organisations_of(request.user) if roles - {Role.EXPERT} else []
    applicant_organisations = _of_role(organisations, Role.APPLICANT)
    recommender_organisations = _of_role(organisations, Role.RECOMMENDER)
    # Open for the user's groups, each with the group's own extension when it has one.
    open_for_groups = open_calls(timezone.now(), groups=applicant_organisations) if applicant_organisations else []
    context = {
        "has_role": bool(roles),
        "applicant_organisations": applicant_organisations,
        "open_calls": open_for_groups,
        # The summary tables (汇总表) to rank in those calls: one query, none without an open call.
        "summary_tables": summary_tables([entry.call for entry in open_for_groups], applicant_organisations),
        "applicant_actions": waiting_for_applicant(request.user) if applicant_organisations else [],
        "recommender_organisations": recommender_organisations,
        "recommender_tasks": waiting_for_recommender(recommender_organisations) if recommender_organisations else [],
        "secretariat_organisations": _of_role(organisations, Role.SECRETARIAT),
        "secretariat_tasks": waiting_for_secretariat() if Role.SECRETARIAT in roles else [],
        "now": timezone.now(),
        "expert_profile": getattr(request.user, "expert_profile", None) if Role.EXPERT in roles else None,
        "missing_calendar_years": calendar_years_missing() if Role.SECRETARIAT in roles else [],
        "registration_requests": registration_requests_of(request.user),
        "pending_registrations": registration_queue().count() if Role.SECRETARIAT in roles else 0,
        # The public notice: notices to prepare, announcements to publish, objections to decide; questions
        # about objections forwarded to the user's group or department.
        "publicity_tasks": publicity_selectors.secretariat_tasks() if Role.SECRETARIAT in roles else None,
        "forwarded_questions": publicity_selectors.unanswered_forwards(
            applicant_organisations + recommender_organisations
        ),
    }
    return render(request, "portal/dashboard.html", context)


def _of_role(organisations: list[Organisation], role: Role) -> list[Organisation]:
    return [organisation for organisation in organisations if organisation.kind in _KINDS_OF_ROLE[role]]


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form (expired page, cookies off) explained in the portal's own page, in the user's language."""
    return render(request, "403_csrf.html", status=403)
