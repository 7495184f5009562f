"""Who may open the shared pages. Stage apps name their own rights in their own permissions.py."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from portal.choices import Role
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
