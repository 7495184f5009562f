"""Template context every page needs: the user's roles for the navigation."""

from django.http import HttpRequest

from portal.choices import Role
from portal.roles import roles_for


def navigation(request: HttpRequest) -> dict[str, object]:
    roles = roles_for(request.user) if hasattr(request, "user") else frozenset()
    return {
        "user_roles": roles,
        "is_applicant": Role.APPLICANT in roles,
        "is_recommender": Role.RECOMMENDER in roles,
        "is_expert": Role.EXPERT in roles,
        "is_secretariat": Role.SECRETARIAT in roles,
    }
