"""Template context every page needs: the user's roles and unread notifications for the navigation."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from portal.choices import Role
from portal.notifications import mark_read_on_opening, unread_count, unread_counts
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
        "unread_notifications": SimpleLazyObject(lambda: _unread_after_opening(request, user))
        if user is not None and user.is_authenticated
        else 0,
    }


def _unread_after_opening(request: HttpRequest, user) -> int:
    """The navigation's unread count, once the notifications linking to this very page are marked read.

    Opening what a notification is about (the returned application, the inbox of a call) reads it, however the
    user got there. It is done here, in the count the navigation asks on every signed-in page anyway, rather
    than in a middleware or a decorator on each linked view: the same one query also counts the unread ones
    linking here, so a page costs one UPDATE more only when it does read some, and a page that notifications
    link to later needs no change. Only a GET reads: a refused POST showing its form again is not an opening.
    """
    if request.method != "GET":
        return unread_count(user)
    path = request.get_full_path()
    unread, here = unread_counts(user, path=path)
    if here:
        unread -= mark_read_on_opening(user=user, path=path)
    return unread
