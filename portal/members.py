"""An organisation's people: invitations by e-mail, administrators (联络员), removal; and the secretariat's
creation of recommending organisations with their first administrator.

Joining and leaving go through `portal.services.add_member` / `remove_member`, which keep the organisation's
guardian group in step. Every step is audited.
"""

import secrets
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import accounts, audit, services
from portal.choices import OrganisationKind
from portal.exceptions import Conflict, LinkInvalid
from portal.links import absolute
from portal.mail import send_after_commit
from portal.models import Invitation, Membership, Organisation, User
from portal.models.onboarding import hash_token
from portal.permissions import can_manage_members, is_secretariat

INVITATION_VALID = timedelta(days=7)
# Organisations the secretariat creates here; social groups register themselves (or are imported).
CREATED_BY_SECRETARIAT = (
    OrganisationKind.PROVINCIAL_DEPARTMENT,
    OrganisationKind.INDUSTRY_DELEGATE,
    OrganisationKind.MINISTRY,
)


def _require_manager(user: User, organisation: Organisation) -> None:
    if not can_manage_members(user, organisation):
        raise PermissionDenied


# --- invitations -------------------------------------------------------------------------------------
@transaction.atomic
def invite(*, organisation: Organisation, email: str, as_admin: bool = False, by: User) -> Invitation:
    """Mail a single-use link, valid seven days, that makes its holder a member (an administrator if `as_admin`).

    Inviting an address again withdraws its earlier open invitation: only the newest link works. An address
    that is already a member's is refused. Audited as `invitation.create`.
    """
    _require_manager(by, organisation)
    email = email.strip()
    validate_email(email)
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email, user__is_active=True).exists():
        raise ValidationError(
            {"email": _("A member of %(organisation)s has this address already.") % _named(organisation)}
        )
    now = timezone.now()
    # Locked, so two administrators inviting the same address at once do not both pass the open-invitation check.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    organisation.invitations.filter(email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        as_admin=as_admin,
        token_hash=hash_token(token),
        invited_by=by,
        created_at=now,
        expires_at=now + INVITATION_VALID,
    )
    note = f"{email} ({'administrator' if as_admin else 'member'})"
    audit.record(action="invitation.create", target=organisation, actor=by, note=note)
    _mail_invitation(invitation, token, by)
    return invitation


def _mail_invitation(invitation: Invitation, token: str, by: User) -> None:
    link = absolute(reverse("portal:invitation_accept", args=[token]))
    role = _("an administrator") if invitation.as_admin else _("a member")
    body = _(
        "%(inviter)s invites you to join %(organisation)s on the portal of group-standard application "
        "demonstration projects as %(role)s.\n\nOpen this link to accept; it works once, until %(until)s "
        "(Beijing time):\n\n%(link)s\n\nIf you do not expect this invitation, ignore this message."
    ) % {
        "inviter": by.get_full_name(),
        "organisation": invitation.organisation.name,
        "role": role,
        "until": timezone.localtime(invitation.expires_at, timezone.get_default_timezone()).strftime("%Y-%m-%d %H:%M"),
        "link": link,
    }
    subject = _("Invitation to join %(organisation)s") % _named(invitation.organisation)
    send_after_commit(to=invitation.email, subject=subject, body=body)


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, by: User) -> None:
    """Withdraw an open invitation, so its link no longer works (audited as `invitation.revoke`)."""
    _require_manager(by, invitation.organisation)
    updated = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not updated:
        raise Conflict(_("This invitation was accepted or withdrawn already."))
    audit.record(action="invitation.revoke", target=invitation.organisation, actor=by, note=invitation.email)


def invitation_for(token: str) -> Invitation:
    """The open invitation a link names; LinkInvalid when it is unknown, used, withdrawn or expired."""
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by").filter(token_hash=hash_token(token)).first()
    )
    if invitation is None or not invitation.organisation.is_active:
        raise LinkInvalid(_("This invitation link is not valid."), gone=False)
    if invitation.accepted_at is not None:
        raise LinkInvalid(_("This invitation has been used already. Log in with the account that accepted it."))
    if invitation.revoked_at is not None:
        raise LinkInvalid(_("This invitation was withdrawn. Ask the organisation's administrator for a new one."))
    if timezone.now() > invitation.expires_at:
        raise LinkInvalid(_("This invitation has expired. Ask the organisation's administrator for a new one."))
    return invitation


def existing_account(invitation: Invitation) -> User | None:
    """The account that already has the invited address, if any: it accepts by logging in (or, when it was
    deactivated, by choosing a new password)."""
    return User.objects.filter(email__iexact=invitation.email).order_by("-is_active", "pk").first()


@transaction.atomic
def accept_invitation(*, token: str, user: User | None = None, account: dict | None = None) -> Membership:
    """Make the link's holder a member: `user` when logged in, else a new account from `account` (username, name,
    phone, password). A deactivated account with the invited address is reactivated with `account`'s password.

    The link proves the invited address, so an account created or reactivated here has it confirmed. Audited
    as `invitation.accept` (and `membership.add`, `membership.admin` as they apply).
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation_for(token).pk)
    invitation_for(token)  # again under the lock: a second tab accepting at once finds it used
    now = timezone.now()
    if user is None:
        user = _account_for(invitation, account or {}, now)
    elif Membership.objects.filter(user=user, organisation=invitation.organisation).exists():
        raise Conflict(_("You are a member of %(organisation)s already.") % _named(invitation.organisation))
    membership = services.add_member(
        user=user, organisation=invitation.organisation, admin=invitation.as_admin, by=user
    )
    invitation.accepted_at, invitation.accepted_by = now, user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(action="invitation.accept", target=invitation.organisation, actor=user, note=invitation.email)
    return membership


def _account_for(invitation: Invitation, account: dict, now) -> User:
    dormant = existing_account(invitation)
    if dormant is not None and dormant.is_active:
        raise Conflict(_("An account with %(email)s exists: log in with it to accept.") % {"email": invitation.email})
    if dormant is not None:
        return _reactivate(dormant, account.get("password", ""), now)
    user = accounts.create_account(
        username=account.get("username", ""),
        name=account.get("name", ""),
        phone=account.get("phone", ""),
        email=invitation.email,
        password=account.get("password", ""),
    )
    User.objects.filter(pk=user.pk).update(email_confirmed_at=now)
    user.email_confirmed_at = now
    return user


def _reactivate(user: User, password: str, now) -> User:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password1": error.messages}) from error
    user.set_password(password)
    user.is_active, user.email_confirmed_at = True, now
    user.save(update_fields=["password", "is_active", "email_confirmed_at"])
    audit.record(action="user.reactivate", target=user, actor=user, note=user.username)
    return user


# --- administrators and removal ------------------------------------------------------------------------
def _admin_count(organisation: Organisation) -> int:
    return Membership.objects.filter(organisation=organisation, is_admin=True, user__is_active=True).count()


def _lock_memberships(organisation: Organisation) -> None:
    # The organisation's row serialises changes to its administrators: two of them stepping down at once
    # must not leave none.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()


def _set_admin_flag(membership: Membership, value: bool, *, by: User) -> None:
    Membership.objects.filter(pk=membership.pk).update(is_admin=value)
    membership.is_admin = value
    action = "membership.admin" if value else "membership.admin_revoke"
    audit.record(action=action, target=membership.organisation, actor=by, note=membership.user.username)


@transaction.atomic
def set_administrator(*, membership: Membership, admin: bool, by: User) -> Membership:
    """Name a member an administrator, or end that; the last administrator stays one until another is named."""
    organisation = membership.organisation
    _require_manager(by, organisation)
    _lock_memberships(organisation)
    membership = Membership.objects.select_related("user", "organisation").get(pk=membership.pk)
    if membership.is_admin == admin:
        return membership
    if not admin and _admin_count(organisation) <= 1:
        raise Conflict(_("%(name)s is the last administrator: name another one first.") % _person(membership))
    _set_admin_flag(membership, admin, by=by)
    return membership


@transaction.atomic
def remove(*, membership: Membership, by: User) -> None:
    """End a membership (an administrator removing a colleague, or a person leaving).

    The last administrator cannot leave or be removed. A person left with no organisation and no place in the
    expert register is deactivated, which ends their sessions at once; nothing is deleted.
    """
    organisation = membership.organisation
    if by.pk != membership.user_id:
        _require_manager(by, organisation)
    _lock_memberships(organisation)
    membership = Membership.objects.select_related("user", "organisation").filter(pk=membership.pk).first()
    if membership is None:
        raise Conflict(_("This person is no longer a member."))
    if membership.is_admin and _admin_count(organisation) <= 1:
        raise Conflict(
            _("%(name)s is the last administrator and cannot leave: name another administrator first.")
            % _person(membership)
        )
    user = membership.user
    services.remove_member(user=user, organisation=organisation, by=by)
    if not Membership.objects.filter(user=user).exists() and not _is_expert(user):
        accounts.deactivate(user=user, by=by)


def _is_expert(user: User) -> bool:
    return getattr(user, "expert_profile", None) is not None and user.expert_profile.is_active


# --- the secretariat's organisations --------------------------------------------------------------------
@transaction.atomic
def create_with_administrator(*, admin_email: str, by: User, **fields) -> tuple[Organisation, Invitation]:
    """Create a provincial department, an industry delegate or a ministry department, and invite its first
    administrator by e-mail. Social groups are not made here: they register (or are imported)."""
    if not is_secretariat(by):
        raise PermissionDenied
    if fields.get("kind") not in CREATED_BY_SECRETARIAT:
        raise ValidationError({"kind": _("Social groups register themselves, or are imported into the registry.")})
    organisation = services.create_organisation(by=by, **fields)
    return organisation, invite(organisation=organisation, email=admin_email, as_admin=True, by=by)


def _named(organisation: Organisation) -> dict[str, str]:
    return {"organisation": organisation.name}


def _person(membership: Membership) -> dict[str, str]:
    return {"name": membership.user.get_full_name()}
