"""How the review stage's pages fetch an application the secretariat acts on."""

from django.http import HttpRequest

from portal.permissions import is_secretariat
from portal.views.helpers import fetch
from projects import permissions as application_permissions
from projects.models import Application


def secretariat_application(request: HttpRequest, pk: int) -> Application:
    """The application: 404 to whoever may not see it, 403 to whoever may see it but is not the secretariat."""
    application_permissions.read_rights_once(request.user)
    return fetch(
        Application.objects.select_related("call", "standard", "group"),
        user=request.user,
        can_see=application_permissions.can_view,
        can_act=lambda user, obj: is_secretariat(user),
        pk=pk,
    )
