"""The projects stages' parts of the application page (portal.panels): the recommendation and the formal check.

Each function returns the panel this user sees, or None. The page lists them in lifecycle order
(`projects.views.applications.PANELS`); the later stages add theirs there.
"""

from django.http import HttpRequest
from django.utils import timezone

from portal.panels import Panel
from projects import permissions
from projects.forms.oversight import FormalCheckForm
from projects.forms.recommendation import DecisionForm
from projects.models import Application
from projects.selectors.applications import recommendation_deadline_of
from projects.selectors.recommendation import quota_rows


def recommendation(request: HttpRequest, application: Application, *, form: DecisionForm | None = None) -> Panel | None:
    """The decision, beside the content, for the recommender's staff while the application awaits it; once
    recommended, the recommender's opinion for everyone who sees the application, with its rank among the
    recommender's recommendations for all but the group (the rank is the recommender's order for the ministry)."""
    user = request.user
    if permissions.can_recommend(user, application):
        return _decision(application, form)
    if application.recommended_at is None:
        return None
    return Panel("projects/_panel_recommendation.html", {"show_rank": not permissions.may_edit(user, application)})


def _decision(application: Application, form: DecisionForm | None) -> Panel:
    [quota] = quota_rows(application.call, [application.recommender])
    deadline = recommendation_deadline_of(application)
    context = {
        "form": form or DecisionForm(quota=quota.quota),
        "quota": quota,
        "group_rank": application.group_rank,
        "deadline": deadline,
        "deadline_passed": timezone.now() > deadline,
    }
    return Panel("projects/_panel_decision.html", context, aside=True)


def formal_check(
    request: HttpRequest, application: Application, *, form: FormalCheckForm | None = None
) -> Panel | None:
    """The secretariat's formal check (形式审查), beside the content, while the application awaits it."""
    if not permissions.can_check_formally(request.user, application):
        return None
    return Panel("projects/_formal_check.html", {"form": form or FormalCheckForm()}, aside=True)
