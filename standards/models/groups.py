"""Social groups (社会团体) as the standards registry shows them, and the documents they must publish."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from portal.choices import OrganisationKind
from portal.models import Organisation
from standards.files import group_document_path


class SocialGroup(models.Model):
    """The registry profile of a social-group organisation.

    Name, type, credit code and the code used in standard numbers live on `portal.Organisation` and are
    read through it; this row holds what the group-standard platform publishes besides.
    """

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="standards_profile",
        limit_choices_to={"kind": OrganisationKind.SOCIAL_GROUP},
        verbose_name=_("organisation"),
    )
    registration_number = models.CharField(_("registration certificate number (登记证号)"), max_length=50, blank=True)
    registration_authority = models.CharField(_("issuing authority (发证机关)"), max_length=100, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    supporting_unit = models.CharField(_("supporting unit (依托单位)"), max_length=200, blank=True)
    business_scope = models.TextField(_("business scope"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    postcode = models.CharField(
        _("postcode"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{6}$", _("A postcode has six digits."))],
    )
    website = models.URLField(_("website"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("social group")
        verbose_name_plural = _("social groups")
        ordering = ["organisation__code"]

    def __str__(self) -> str:
        return str(self.organisation)

    def get_absolute_url(self) -> str:
        return reverse("standards:group_detail", args=[self.pk])

    @property
    def code(self) -> str:
        return self.organisation.code

    @property
    def name(self) -> str:
        return self.organisation.name


class GroupDocument(models.Model):
    """A published version of a group's standard-making procedure or patent policy (notice 324, art. 3)."""

    class Kind(models.TextChoices):
        PROCEDURE = "procedure", _("Standard-making procedure (标准制定程序)")
        PATENT_POLICY = "patent_policy", _("Patent disposal policy (专利处置政策)")

    group = models.ForeignKey(
        SocialGroup, on_delete=models.CASCADE, related_name="documents", verbose_name=_("social group")
    )
    kind = models.CharField(_("document"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    version_date = models.DateField(_("version date"))
    file = models.FileField(_("file (PDF)"), upload_to=group_document_path, max_length=255)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("group document")
        verbose_name_plural = _("group documents")
        ordering = ["kind", "-version_date", "-id"]
        indexes = [models.Index(fields=["group", "kind", "-version_date"], name="groupdocument_latest_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.version_date:%Y-%m-%d}"


# Rights on a group's record (django-guardian) with a real foreign key: a lookup by index, not guardian's
# generic `object_pk::varchar IN (…)` match, which grows with every grant of every model.
class SocialGroupUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(SocialGroup, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("user right on a social group")
        verbose_name_plural = _("user rights on social groups")


class SocialGroupGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(SocialGroup, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("organisation right on a social group")
        verbose_name_plural = _("organisation rights on social groups")
