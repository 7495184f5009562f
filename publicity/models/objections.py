"""Objections (异议) to a project listed in an open notice, and the questions forwarded about them.

Never public and never shown to the group: a forward carries the grounds as the secretariat words them, not
who filed them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import Organisation
from projects.models import Application
from publicity.models.notices import Notice


class ObjectionStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    INVESTIGATING = "investigating", _("Under investigation")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


# An objection in one of these holds its application back when the notice closes.
PENDING = (ObjectionStatus.RECEIVED, ObjectionStatus.INVESTIGATING)


def evidence_path(instance: "Objection", filename: str) -> str:
    # The stored name is not the filer's: the original is kept in `evidence_name`, sanitised.
    return f"objections/{instance.notice_id}/{filename}"


class Objection(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="objections", verbose_name=_("notice"))
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="objections", verbose_name=_("project")
    )
    tracking_number = models.CharField(_("tracking number"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30)
    email = models.EmailField(_("e-mail"))
    grounds = models.TextField(_("grounds"))
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, max_length=255, blank=True)
    evidence_name = models.CharField(_("file name"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=15, choices=ObjectionStatus.choices, default=ObjectionStatus.RECEIVED
    )
    # What the filer reads with their tracking number once it is decided; the finding stays with the secretariat.
    response = models.TextField(_("response to the filer"), blank=True)
    finding = models.TextField(_("finding"), blank=True)
    created_at = models.DateTimeField(_("filed"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="objection_status_idx"),
            models.Index(fields=["application", "status"], name="objection_application_idx"),
        ]

    def __str__(self) -> str:
        return self.tracking_number

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING


class ObjectionForward(models.Model):
    """The grounds of an objection sent to the applicant group or its recommender, and their answer."""

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="forwards")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="objection_forwards", verbose_name=_("organisation")
    )
    question = models.TextField(_("grounds as forwarded"))
    forwarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    forwarded_at = models.DateTimeField(_("forwarded"))
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("forwarded objection")
        verbose_name_plural = _("forwarded objections")
        ordering = ["forwarded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["objection", "organisation"], name="objection_forward_once_per_org")
        ]
        indexes = [models.Index(fields=["organisation", "answered_at"], name="objection_forward_org_idx")]

    def __str__(self) -> str:
        return f"{self.objection} → {self.organisation}"
