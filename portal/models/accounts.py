"""People and the organisations they act for."""

from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.choices import OrganisationKind, Province, SocialGroupType, display_of
from portal.validators import validate_credit_code


class User(AbstractUser):
    # Chinese names are written as one string; first/last name stay unused.
    name = models.CharField(_("name"), max_length=100, blank=True)
    phone = models.CharField(_("mobile"), max_length=30, blank=True)
    # Set when the person followed a confirmation link sent to `email`; an address is changed only that way.
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed"), null=True, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def get_full_name(self) -> str:
        return self.name or self.username

    def __str__(self) -> str:
        return self.get_full_name()


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    code = models.CharField(
        _("short code"),
        max_length=30,
        unique=True,
        help_text=_("Upper-case letters and digits, e.g. CNTAC."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices)
    social_group_type = models.CharField(
        _("social group type"), max_length=20, choices=SocialGroupType.choices, blank=True
    )
    province = models.CharField(_("province"), max_length=6, choices=Province.choices, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    ministry_managed = models.BooleanField(
        _("ministry-managed social group"),
        default=False,
        help_text=_("部管社会团体 apply directly, without a recommender."),
    )
    # The Django group through which django-guardian grants this organisation object permissions.
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="organisation", editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                name="organisation_group_type_only_for_social_groups",
                condition=Q(kind=OrganisationKind.SOCIAL_GROUP, social_group_type__gt="")
                | (~Q(kind=OrganisationKind.SOCIAL_GROUP) & Q(social_group_type="")),
            ),
            models.CheckConstraint(
                name="organisation_ministry_managed_only_for_social_groups",
                condition=Q(ministry_managed=False) | Q(kind=OrganisationKind.SOCIAL_GROUP),
            ),
            models.CheckConstraint(
                name="organisation_provincial_department_has_province",
                condition=~Q(kind=OrganisationKind.PROVINCIAL_DEPARTMENT) | Q(province__gt=""),
            ),
            models.CheckConstraint(name="organisation_code_upper", condition=Q(code__regex=r"^[A-Z0-9]+$")),
        ]

    def __str__(self) -> str:
        return self.name

    get_kind_display = display_of("kind", OrganisationKind)
    get_province_display = display_of("province", Province)
    get_social_group_type_display = display_of("social_group_type", SocialGroupType)


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    title = models.CharField(_("position"), max_length=100, blank=True)
    # The organisation's administrators (联络员) invite and remove colleagues and name other administrators.
    is_admin = models.BooleanField(_("administrator"), default=False)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"
