"""A social group's registration: the request, its contact's e-mail confirmation, the secretariat's decision.

The request holds what the group typed and its certificate; the organisation, its permission group and its
registry profile in `standards/` are created only on approval, so the registry never lists a group nobody
checked. The contact gets an account at once and, until the decision, sees only the request's state.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import accounts, audit, notifications, services
from portal.choices import OrganisationKind
from portal.exceptions import Conflict
from portal.models import Organisation, RegistrationRequest, User
from portal.permissions import can_decide_registration
from portal.uploads import JPEG, PDF, PNG, check_upload
from standards.services import register_social_group

CERTIFICATE_KINDS = (PDF, JPEG, PNG)
DEFAULT_CERTIFICATE_MAX_BYTES = 10 * 1024 * 1024
S = RegistrationRequest.Status

# What the request copies onto the organisation, and onto the registry profile, on approval.
ORGANISATION_FIELDS = ("name", "code", "credit_code", "social_group_type", "province")
PROFILE_FIELDS = ("registration_authority", "legal_representative")


def certificate_max_bytes() -> int:
    return getattr(settings, "REGISTRATION_CERTIFICATE_MAX_BYTES", DEFAULT_CERTIFICATE_MAX_BYTES)


class CreditCodeRegistered(Exception):
    """The credit code belongs to an organisation in the portal already: ask its administrators instead."""

    def __init__(self, organisation: Organisation) -> None:
        super().__init__(organisation.name)
        self.organisation = organisation


@dataclass(frozen=True)
class Account:
    """The contact person's new account, when they are not logged in."""

    username: str
    name: str
    phone: str
    email: str
    password: str


@transaction.atomic
def register(*, group: dict[str, str], certificate: File, contact: User | None = None, account: Account | None = None):
    """File a social group's registration request, with `contact` (logged in) or a new account as its contact.

    Refuses (CreditCodeRegistered) a credit code already in the portal, and (ValidationError per field) a code
    in use, a request already waiting for the same credit code, a certificate that is not a PDF or image.
    A new account is sent a link to confirm its e-mail. Audited as `registration.submit`.
    """
    _check_free(group["credit_code"], group["code"])
    checked = check_upload(certificate, kinds=CERTIFICATE_KINDS, max_bytes=certificate_max_bytes())
    if contact is None:
        contact = accounts.create_account(**account.__dict__)
    request = RegistrationRequest(**group, contact=contact, certificate_name=checked.original_name)
    request.full_clean(exclude=["certificate"])
    certificate.name = checked.stored_name
    request.certificate = certificate
    request.save()
    audit.record(action="registration.submit", target=request, actor=contact, to_state=S.PENDING)
    if contact.email_confirmed_at is None:
        accounts.send_email_link(user=contact, address=contact.email)
    else:
        _tell_secretariat(request)
    return request


def _check_free(credit_code: str, code: str, *, deciding: RegistrationRequest | None = None) -> None:
    existing = Organisation.objects.filter(credit_code=credit_code).first()
    if existing is not None:
        raise CreditCodeRegistered(existing)
    errors = {}
    pending = RegistrationRequest.objects.filter(status=S.PENDING)
    if deciding is not None:
        pending = pending.exclude(pk=deciding.pk)
    if pending.filter(credit_code=credit_code).exists():
        errors["credit_code"] = _("A request to register this credit code is already waiting for the secretariat.")
    if Organisation.objects.filter(code=code).exists() or pending.filter(code=code).exists():
        errors["code"] = _("Another organisation uses the code %(code)s; check it, or choose another.") % {"code": code}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def confirm_contact_email(*, token: str) -> User:
    """Confirm the address a link names (see `accounts.confirm_email`); the contact's waiting requests then go
    to the secretariat, which is told of each once."""
    user = accounts.confirm_email(token=token)
    for request in RegistrationRequest.objects.filter(contact=user, status=S.PENDING):
        _tell_secretariat(request)
    return user


def _tell_secretariat(request: RegistrationRequest) -> None:
    ministry = Organisation.objects.filter(kind=OrganisationKind.MINISTRY, is_active=True)
    staff = User.objects.filter(is_active=True, memberships__organisation__in=ministry).distinct()
    transaction.on_commit(
        lambda: notifications.notify(
            recipients=list(staff),
            key=f"registration:{request.pk}:submitted",
            subject=_("A social group asks to register: %(name)s") % {"name": request.name},
            body=_("%(name)s (credit code %(code)s) asks to register; its contact's e-mail is confirmed.")
            % {"name": request.name, "code": request.credit_code},
            url=reverse("portal:registration_detail", args=[request.pk]),
        ),
        robust=True,
    )


def _locked_pending(request: RegistrationRequest, by: User) -> RegistrationRequest:
    if not can_decide_registration(by):
        raise PermissionDenied
    locked = RegistrationRequest.objects.select_for_update().select_related("contact").get(pk=request.pk)
    if locked.status != S.PENDING:
        raise Conflict(_("This request was decided already (%(status)s).") % {"status": locked.get_status_display()})
    return locked


@transaction.atomic
def approve(*, request: RegistrationRequest, by: User, ministry_managed: bool = False) -> Organisation:
    """Admit the group: its organisation and registry profile are created, active, with the contact as its first
    administrator, and the contact is told. Only once the contact's e-mail is confirmed. Audited as
    `registration.approve` (and the organisation's, profile's and membership's own events)."""
    locked = _locked_pending(request, by)
    if locked.contact.email_confirmed_at is None:
        raise Conflict(_("The contact has not confirmed the e-mail address yet; approve once they have."))
    try:
        _check_free(locked.credit_code, locked.code, deciding=locked)
    except CreditCodeRegistered as taken:
        raise Conflict(
            _("%(name)s has this credit code in the portal now; refuse this request.") % {"name": taken.organisation}
        ) from taken
    except ValidationError as error:
        raise Conflict(" ".join(error.messages)) from error
    organisation_fields = {field: getattr(locked, field) for field in ORGANISATION_FIELDS}
    profile_fields = {field: getattr(locked, field) for field in PROFILE_FIELDS}
    profile = register_social_group(
        organisation={**organisation_fields, "ministry_managed": ministry_managed},
        profile={**profile_fields, "registration_number": locked.credit_code},
        by=by,
    )
    organisation = profile.organisation
    services.add_member(user=locked.contact, organisation=organisation, admin=True, by=by)
    _decide(locked, S.APPROVED, by=by, organisation=organisation)
    _tell_contact(locked, _("Your registration is approved: %(name)s"), _approved_body(locked))
    return organisation


@transaction.atomic
def refuse(*, request: RegistrationRequest, by: User, reason: str) -> RegistrationRequest:
    """Refuse the request with the reason its contact reads; the contact may register again. Audited as
    `registration.refuse`."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason, so the group knows what to correct.")})
    locked = _locked_pending(request, by)
    locked.refusal_reason = reason
    _decide(locked, S.REFUSED, by=by)
    body = _("The secretariat refused the registration of %(name)s for this reason:\n\n%(reason)s") % {
        "name": locked.name,
        "reason": reason,
    }
    _tell_contact(locked, _("Your registration was refused: %(name)s"), body)
    return locked


def _decide(request: RegistrationRequest, status: str, *, by: User, organisation: Organisation | None = None) -> None:
    request.status, request.decided_at, request.decided_by = status, timezone.now(), by
    request.organisation = organisation
    request.save(update_fields=["status", "decided_at", "decided_by", "organisation", "refusal_reason"])
    action = "registration.approve" if status == S.APPROVED else "registration.refuse"
    audit.record(
        action=action, target=request, actor=by, from_state=S.PENDING, to_state=status, note=request.refusal_reason
    )


def _approved_body(request: RegistrationRequest) -> str:
    return _(
        "%(name)s is registered in the portal, and you are its administrator. You can now apply in open calls, "
        "keep the group's record and standards, and invite colleagues on the organisation page."
    ) % {"name": request.name}


def _tell_contact(request: RegistrationRequest, subject: str, body: str) -> None:
    contact, key = request.contact, f"registration:{request.pk}:{request.status}"
    subject = subject % {"name": request.name}
    transaction.on_commit(
        lambda: notifications.notify(
            recipients=[contact], key=key, subject=subject, body=body, url=reverse("portal:dashboard")
        ),
        robust=True,
    )


@transaction.atomic
def ask_to_join(*, organisation: Organisation, name: str, email: str, phone: str, by: User | None = None) -> int:
    """Tell the organisation's administrators that someone asks to be added (they invite them if they agree);
    return how many were told. Audited as `membership.request`. Nobody's address is shown to the asker."""
    administrators = User.objects.filter(
        is_active=True, memberships__organisation=organisation, memberships__is_admin=True
    ).distinct()
    recipients = list(administrators)
    event = audit.record(action="membership.request", target=organisation, actor=by, note=f"{name} <{email}>")
    body = _(
        "%(name)s (e-mail %(email)s, mobile %(phone)s) tried to register %(organisation)s, which is in the portal "
        "already, and asks to be added as a colleague. If they work for it, invite them on the organisation page."
    ) % {"name": name, "email": email, "phone": phone, "organisation": organisation.name}
    transaction.on_commit(
        lambda: notifications.notify(
            recipients=recipients,
            key=f"membership-request:{event.pk}",
            subject=_("%(name)s asks to join %(organisation)s") % {"name": name, "organisation": organisation.name},
            body=body,
            url=reverse("portal:organisation"),
        ),
        robust=True,
    )
    return len(recipients)
