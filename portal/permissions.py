"""Who may open the shared pages. Stage apps name their own rights in their own permissions.py."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from portal.choices import Role
from portal.models import Membership
from portal.roles import has_role


def role_required(*roles: Role) -> Callable:
    """Anonymous users are sent to log in; a logged-in user without one of `roles` gets 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not any(has_role(request.user, role) for role in roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def is_secretariat(user) -> bool:
    return has_role(user, Role.SECRETARIAT)


def is_member(user, organisation) -> bool:
    return user.is_authenticated and any(m.organisation_id == organisation.pk for m in _memberships(user))


def is_administrator(user, organisation) -> bool:
    """An administrator (联络员) of the active organisation."""
    return user.is_authenticated and any(
        m.organisation_id == organisation.pk and m.is_admin for m in _memberships(user)
    )


def can_see_members(user, organisation) -> bool:
    """The organisation's own staff, and the secretariat (which looks after every organisation)."""
    return is_member(user, organisation) or (user.is_authenticated and is_secretariat(user))


def can_manage_members(user, organisation) -> bool:
    """Its administrators invite and remove colleagues; the secretariat may too (e.g. a first administrator)."""
    return is_administrator(user, organisation) or (user.is_authenticated and is_secretariat(user))


def can_see_registration(user, registration) -> bool:
    return user.is_authenticated and (registration.contact_id == user.pk or is_secretariat(user))


def can_decide_registration(user) -> bool:
    return user.is_authenticated and is_secretariat(user)


def _memberships(user) -> list:
    # Once per user object, like the roles: a page asking several questions runs one query.
    cached = getattr(user, "_portal_memberships", None)
    if cached is None:
        cached = user._portal_memberships = list(
            Membership.objects.filter(user=user, organisation__is_active=True).only("organisation_id", "is_admin")
        )
    return cached
