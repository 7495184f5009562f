"""An organisation's people: `/organisation/` for its staff, the administrators' invitations and removals,
and the invitation link a colleague follows."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal import members, permissions, selectors
from portal.exceptions import Conflict, LinkInvalid
from portal.forms import AccountForm, InviteForm, ReactivateForm
from portal.models import Invitation, Membership, Organisation
from portal.views.helpers import REFUSED, add_service_errors, fetch, paginate
from portal.views.registration import LOGIN_BACKEND

CONFLICT = 409


def _organisation(request: HttpRequest, pk: int, *, manage: bool = False) -> Organisation:
    """404 for who is not its member (nor the secretariat); 403 for a member who is not an administrator."""
    return fetch(
        Organisation.objects.all(),
        pk=pk,
        user=request.user,
        can_see=permissions.can_see_members,
        can_act=permissions.can_manage_members if manage else None,
    )


def _panel(request: HttpRequest, organisation: Organisation, invite_form: InviteForm | None = None) -> dict:
    """What the members panel of one organisation shows this user."""
    manage = permissions.can_manage_members(request.user, organisation)
    page = paginate(request, selectors.members_of(organisation))
    return {
        "organisation": organisation,
        "members": page.object_list,
        "members_page": page,
        # The last administrator can neither leave nor step down: the page offers neither.
        "sole_admin": selectors.active_administrators(organisation).count() <= 1,
        "invitations": list(selectors.open_invitations(organisation)) if manage else [],
        "can_manage": manage,
        "invite_form": invite_form or (InviteForm() if manage else None),
    }


@require_safe
@login_required
def my_organisations(request: HttpRequest) -> HttpResponse:
    """The organisations the person acts for, each with its members (and, for administrators, the controls)."""
    organisations = Organisation.objects.filter(memberships__user=request.user, is_active=True).order_by("name")
    panels = [_panel(request, organisation) for organisation in organisations]
    return render(request, "portal/organisation_mine.html", {"panels": panels})


@require_safe
@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request, pk)
    return render(request, "portal/organisation_detail.html", _panel(request, organisation))


def _back(organisation: Organisation, request: HttpRequest) -> HttpResponse:
    if permissions.is_member(request.user, organisation) and not permissions.is_secretariat(request.user):
        return redirect("portal:organisation")
    return redirect("portal:organisation_detail", pk=organisation.pk)


@require_POST
@login_required
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request, pk, manage=True)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            members.invite(organisation=organisation, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("An invitation is sent to %(email)s; its link works for seven days.") % form.cleaned_data
            )
            return _back(organisation, request)
    return render(request, "portal/organisation_detail.html", _panel(request, organisation, form), status=REFUSED)


def _membership(request: HttpRequest, pk: int, membership_pk: int) -> Membership:
    organisation = _organisation(request, pk)
    return get_object_or_404(
        Membership.objects.select_related("user", "organisation"), pk=membership_pk, organisation=organisation
    )


def _conflict(request: HttpRequest, organisation: Organisation, conflict: Conflict) -> HttpResponse:
    messages.error(request, conflict.message)
    return render(request, "portal/organisation_detail.html", _panel(request, organisation), status=CONFLICT)


@require_POST
@login_required
def remove_member(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    """An administrator removes a colleague, or a member leaves (their own membership)."""
    membership = _membership(request, pk, membership_pk)
    organisation = membership.organisation
    leaving = membership.user_id == request.user.pk
    if not leaving and not permissions.can_manage_members(request.user, organisation):
        raise PermissionDenied
    try:
        members.remove(membership=membership, by=request.user)
    except Conflict as conflict:
        return _conflict(request, organisation, conflict)
    if leaving:
        messages.success(request, _("You have left %(name)s.") % {"name": organisation.name})
        return redirect("portal:dashboard" if request.user.is_active else "portal:home")
    messages.success(request, _("%(name)s is no longer a member.") % {"name": membership.user.get_full_name()})
    return _back(organisation, request)


@require_POST
@login_required
def set_administrator(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    membership = _membership(request, pk, membership_pk)
    organisation = membership.organisation
    if not permissions.can_manage_members(request.user, organisation):
        raise PermissionDenied
    make = request.POST.get("admin") == "1"
    try:
        members.set_administrator(membership=membership, admin=make, by=request.user)
    except Conflict as conflict:
        return _conflict(request, organisation, conflict)
    name = membership.user.get_full_name()
    message = _("%(name)s is now an administrator.") if make else _("%(name)s is no longer an administrator.")
    messages.success(request, message % {"name": name})
    return _back(organisation, request)


@require_POST
@login_required
def revoke_invitation(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    organisation = _organisation(request, pk, manage=True)
    invitation = get_object_or_404(Invitation, pk=invitation_pk, organisation=organisation)
    try:
        members.revoke_invitation(invitation=invitation, by=request.user)
    except Conflict as conflict:
        return _conflict(request, organisation, conflict)
    messages.success(request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email})
    return _back(organisation, request)


@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link of an invitation: logged in, one click joins; otherwise the person makes an account (or, for a
    deactivated account with the invited address, chooses a new password)."""
    try:
        invitation = members.invitation_for(token)
    except LinkInvalid as invalid:
        return render(request, "portal/link_invalid.html", {"message": invalid.message}, status=invalid.status)
    existing = members.existing_account(invitation)
    if request.user.is_authenticated:
        form = None
    elif existing is not None and not existing.is_active:
        form = ReactivateForm(request.POST or None)
    else:
        form = AccountForm(request.POST or None, ask_email=False)
    context = {"invitation": invitation, "form": form, "existing": existing}
    if request.method != "POST":
        return render(request, "portal/invitation_accept.html", context)
    if existing is not None and existing.is_active and not request.user.is_authenticated:
        return redirect_to_login(request.path)
    if form is not None and not form.is_valid():
        return render(request, "portal/invitation_accept.html", context, status=REFUSED)
    try:
        membership = members.accept_invitation(
            token=token,
            user=request.user if request.user.is_authenticated else None,
            account=form.account() if form is not None else None,
        )
    except LinkInvalid as invalid:
        return render(request, "portal/link_invalid.html", {"message": invalid.message}, status=invalid.status)
    except Conflict as conflict:
        return render(request, "portal/link_invalid.html", {"message": conflict.message}, status=CONFLICT)
    except ValidationError as error:
        add_service_errors(form, error)
        return render(request, "portal/invitation_accept.html", context, status=REFUSED)
    if not request.user.is_authenticated:
        login(request, membership.user, backend=LOGIN_BACKEND)
    messages.success(request, _("Welcome to %(name)s.") % {"name": membership.organisation.name})
    return redirect("portal:dashboard")
