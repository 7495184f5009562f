"""Each user's notifications: the list, opening one (read, then on to what it is about), marking all read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from portal import notifications
from portal.models import Notification
from portal.views.helpers import fetch, paginate


@require_safe
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    unread = request.GET.get("unread") == "1"
    page_obj = paginate(request, notifications.notifications_for(request.user, unread=unread))
    return render(request, "portal/notification_list.html", {"page_obj": page_obj, "unread_only": unread})


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    # Only the user's own: another's is not found rather than forbidden.
    notification = fetch(Notification.objects.filter(recipient=request.user), user=request.user, pk=pk)
    notifications.mark_read(notification=notification, by=request.user)
    # A path in this portal only (allowed_hosts=None refuses any host): never on to another site.
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("portal:notifications")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications.mark_all_read(user=request.user)
    messages.success(
        request,
        ngettext("%(count)d notification marked read.", "%(count)d notifications marked read.", count)
        % {"count": count},
    )
    return redirect("portal:notifications")
