"""`/account/`: everyone's own name, mobile, e-mail address (changed only through a confirmation link) and
password (Django's own password change page)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from portal import accounts
from portal.forms import EmailChangeForm, ProfileForm
from portal.views.helpers import REFUSED, add_service_errors


def _page(request: HttpRequest, *, profile_form=None, email_form=None, status=200) -> HttpResponse:
    context = {
        "profile_form": profile_form
        or ProfileForm(initial={"name": request.user.name, "phone": request.user.phone}, prefix="profile"),
        "email_form": email_form or EmailChangeForm(prefix="email"),
    }
    return render(request, "portal/account.html", context, status=status)


@login_required
def account(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request)
    form = ProfileForm(request.POST, prefix="profile")
    if not form.is_valid():
        return _page(request, profile_form=form, status=REFUSED)
    changed = accounts.update_profile(user=request.user, **form.cleaned_data)
    messages.success(request, _("Your details are saved.") if changed else _("Nothing changed."))
    return redirect("portal:account")


@require_POST
@login_required
def email_change(request: HttpRequest) -> HttpResponse:
    form = EmailChangeForm(request.POST, prefix="email")
    if form.is_valid():
        try:
            accounts.request_email_change(user=request.user, address=form.cleaned_data["email"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("A confirmation link is sent to %(email)s; your address changes once you open it.")
                % form.cleaned_data,
            )
            return redirect("portal:account")
    return _page(request, email_form=form, status=REFUSED)


@require_POST
@login_required
@ratelimit(key="user", rate="5/h", method="POST", block=False, group="email-resend")
def email_resend(request: HttpRequest) -> HttpResponse:
    """Send the confirmation link for the account's present address again (a few times an hour at most)."""
    user = request.user
    if getattr(request, "limited", False):
        messages.error(request, _("Several links were sent in the last hour: look for them, or try again later."))
    elif user.email and user.email_confirmed_at is None:
        accounts.send_email_link(user=user, address=user.email)
        messages.success(request, _("A new confirmation link is sent to %(email)s.") % {"email": user.email})
    else:
        messages.info(request, _("Your e-mail address is confirmed already."))
    return redirect(_local_path(request.POST.get("next", "")) or "portal:dashboard")


def _local_path(back: str) -> str:
    """`back` when it is a path of this site (never another host, a scheme or a control character), else ""."""
    if not back.startswith("/") or not back.isprintable():
        return ""
    return back if url_has_allowed_host_and_scheme(back, allowed_hosts=None) else ""
