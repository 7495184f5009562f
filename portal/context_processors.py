"""Template context every page needs: the user's roles and unread notifications for the navigation."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from portal.choices import Role
from portal.notifications import unread_count
from portal.roles import roles_for


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    roles = roles_for(user) if user is not None else frozenset()
    return {
        "user_roles": roles,
        "is_applicant": Role.APPLICANT in roles,
        "is_recommender": Role.RECOMMENDER in roles,
        "is_expert": Role.EXPERT in roles,
        "is_secretariat": Role.SECRETARIAT in roles,
        # One COUNT, asked only by a page that shows it (the navigation), and never for an anonymous visitor.
        "unread_notifications": SimpleLazyObject(lambda: unread_count(user))
        if user is not None and user.is_authenticated
        else 0,
    }
