"""How people get in without the admin: a social group's registration request, and invitations to an organisation."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.choices import Province, SocialGroupType
from portal.validators import validate_credit_code


def certificate_path(instance: "RegistrationRequest", filename: str) -> str:
    # The name was made random and safe by portal.uploads before it got here.
    return f"registration/certificates/{filename}"


class RegistrationRequest(models.Model):
    """A social group asking to join the portal; the organisation exists only once the secretariat approves.

    Until then the group is not in the registry and its contact, who has an account already, sees only the
    state of this request. Written only by `portal.registration`.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting the secretariat")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    name = models.CharField(_("name of the social group"), max_length=200)
    code = models.CharField(
        _("group code (团体代号)"),
        max_length=30,
        help_text=_("The code in the group's standard numbers, T/<code> …; upper-case letters and digits."),
    )
    credit_code = models.CharField(_("unified social credit code"), max_length=18, validators=[validate_credit_code])
    social_group_type = models.CharField(_("type"), max_length=20, choices=SocialGroupType.choices)
    registration_authority = models.CharField(
        _("registration authority (发证机关)"), max_length=100, help_text=_("e.g. 民政部, 浙江省民政厅")
    )
    province = models.CharField(_("province"), max_length=6, choices=Province.choices)
    legal_representative = models.CharField(_("legal representative"), max_length=50)
    certificate = models.FileField(_("registration certificate"), upload_to=certificate_path, max_length=255)
    certificate_name = models.CharField(_("file name"), max_length=120)
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="registration_requests",
        verbose_name=_("contact person"),
    )
    created_at = models.DateTimeField(_("submitted"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    refusal_reason = models.TextField(_("reason for the refusal"), blank=True)
    organisation = models.OneToOneField(
        "portal.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registration_request",
        verbose_name=_("organisation"),
    )

    class Meta:
        verbose_name = _("registration request")
        verbose_name_plural = _("registration requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One request at a time per group: a second would race the first to the same organisation.
            models.UniqueConstraint(
                fields=["credit_code"], condition=Q(status="pending"), name="registration_one_pending_per_credit_code"
            ),
            models.CheckConstraint(
                name="registration_approved_has_organisation",
                condition=~Q(status="approved") | Q(organisation__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="registration_queue_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


def hash_token(token: str) -> str:
    """Invitation links carry a random token; only its hash is stored, so a database dump opens no door."""
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """A single-use link, valid for a week, that makes whoever follows it a member of the organisation."""

    organisation = models.ForeignKey(
        "portal.Organisation", on_delete=models.CASCADE, related_name="invitations", verbose_name=_("organisation")
    )
    email = models.EmailField(_("e-mail"))
    as_admin = models.BooleanField(_("as an administrator"), default=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open invitation per address and organisation: inviting again replaces it (a new link).
            models.UniqueConstraint(
                "organisation",
                Lower("email"),
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_address",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.accepted_at is None and self.revoked_at is None and now <= self.expires_at
