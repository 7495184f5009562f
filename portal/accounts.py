"""Writes on a person's own account: name and mobile, an e-mail address confirmed by a link, deactivation.

An address is confirmed (at registration) or changed (on `/account/`) the same way: a signed link sent to the
new address; following it sets the address and marks it confirmed. The link names the address the account
had when it was made, so a link left over from an earlier change cannot undo a later one.
"""

import re
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit
from portal.exceptions import LinkInvalid
from portal.links import absolute
from portal.mail import send_after_commit
from portal.models import User

EMAIL_LINK_SALT = "portal.accounts.email-address"
EMAIL_LINK_VALID = timedelta(days=7)
# Mainland mobile numbers (11 digits from 13x to 19x); spaces and hyphens as people type them are dropped.
_MOBILE = re.compile(r"1[3-9]\d{9}")


def normalise_mobile(text: str) -> str:
    """The mobile number without separators or the +86 prefix; ValidationError when it is not one."""
    digits = re.sub(r"[\s\-()（）]", "", text)
    digits = re.sub(r"^(\+?86)", "", digits)
    if not _MOBILE.fullmatch(digits):
        raise ValidationError(_("Enter an 11-digit mainland mobile number, e.g. 13800138000."), code="mobile")
    return digits


def email_in_use(address: str, *, exclude: User | None = None) -> bool:
    """Whether another account already has this address (compared without case): it is each person's own."""
    accounts = User.objects.filter(email__iexact=address.strip())
    if exclude is not None:
        accounts = accounts.exclude(pk=exclude.pk)
    return accounts.exists()


@transaction.atomic
def create_account(*, username: str, name: str, phone: str, email: str, password: str) -> User:
    """A new active account for a person who registers a group or accepts an invitation.

    The address is not confirmed here; the caller decides (an invitation link proves it, a registration sends
    a confirmation link). Raises ValidationError per field. Audited as `user.create`.
    """
    errors: dict[str, list[str]] = {}
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("This user name is taken; choose another.")]
    if email_in_use(email):
        errors["email"] = [_("An account with this e-mail address exists already: log in with it instead.")]
    user = User(username=username, name=name, phone=phone, email=email.strip())
    try:
        validate_password(password, user)
    except ValidationError as error:
        errors["password1"] = error.messages
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(action="user.create", target=user, actor=user, note=user.username)
    return user


@transaction.atomic
def update_profile(*, user: User, name: str, phone: str) -> list[str]:
    """Change the person's own name and mobile; return the fields that changed (audited as `user.update`)."""
    current = User.objects.select_for_update().get(pk=user.pk)
    changed = [field for field, value in (("name", name), ("phone", phone)) if getattr(current, field) != value]
    if not changed:
        return []
    current.name, current.phone = name, phone
    current.save(update_fields=changed)
    user.name, user.phone = name, phone
    audit.record(action="user.update", target=current, actor=user, note=", ".join(changed))
    return changed


def send_email_link(*, user: User, address: str) -> None:
    """Mail a link that sets `address` on the account and marks it confirmed (valid for seven days)."""
    validate_email(address)
    token = signing.dumps({"u": user.pk, "from": user.email, "to": address}, salt=EMAIL_LINK_SALT, compress=True)
    link = absolute(reverse("portal:email_confirm", args=[token]))
    body = _(
        "Hello %(name)s,\n\nTo confirm the e-mail address %(address)s for your account %(username)s on the "
        "portal of group-standard application demonstration projects, open this link within seven days:\n\n"
        "%(link)s\n\nIf you did not ask for this, ignore this message: nothing changes."
    ) % {"name": user.get_full_name(), "address": address, "username": user.username, "link": link}
    send_after_commit(to=address, subject=_("Confirm your e-mail address"), body=body)


@transaction.atomic
def request_email_change(*, user: User, address: str) -> None:
    """Send the confirmation link for a new address; the account keeps its address until the link is followed."""
    address = address.strip()
    if address.lower() == user.email.lower() and user.email_confirmed_at:
        raise ValidationError({"email": _("This is already your confirmed address.")})
    if email_in_use(address, exclude=user):
        raise ValidationError({"email": _("Another account uses this e-mail address.")})
    send_email_link(user=user, address=address)
    audit.record(action="user.email_link", target=user, actor=user, note=address)


def read_email_link(token: str) -> tuple[User, str]:
    """The account and address a link is for; LinkInvalid when it is forged, expired or overtaken."""
    try:
        data = signing.loads(token, salt=EMAIL_LINK_SALT, max_age=EMAIL_LINK_VALID)
    except signing.SignatureExpired as error:
        raise LinkInvalid(_("This confirmation link has expired: ask for a new one on your account page.")) from error
    except signing.BadSignature as error:
        raise LinkInvalid(_("This confirmation link is not valid."), gone=False) from error
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None:
        raise LinkInvalid(_("This confirmation link is not valid."), gone=False)
    if user.email != data.get("from") and user.email != data.get("to"):
        raise LinkInvalid(_("Your e-mail address has changed since this link was sent; it no longer applies."))
    return user, data["to"]


@transaction.atomic
def confirm_email(*, token: str) -> User:
    """Set the link's address on its account and mark it confirmed (audited as `user.email_confirm`).

    Following the same link again changes nothing. Raises LinkInvalid, or ValidationError when another account
    took the address meanwhile.
    """
    user, address = read_email_link(token)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.email == address and user.email_confirmed_at:
        return user
    if email_in_use(address, exclude=user):
        raise ValidationError(_("Another account uses this e-mail address now; it cannot be confirmed for yours."))
    previous = user.email
    user.email, user.email_confirmed_at = address, timezone.now()
    user.save(update_fields=["email", "email_confirmed_at"])
    note = address if previous == address else f"{previous} → {address}"
    audit.record(action="user.email_confirm", target=user, actor=user, note=note)
    return user


@transaction.atomic
def deactivate(*, user: User, by: User | None) -> None:
    """Stop the account from signing in; its sessions end at once (the auth backend refuses an inactive user on
    every request). Nothing is deleted: what the person did stays in the audit log. Audited as `user.deactivate`."""
    updated = User.objects.filter(pk=user.pk, is_active=True).update(is_active=False)
    user.is_active = False
    if updated:
        audit.record(action="user.deactivate", target=user, actor=by, note=user.username)
