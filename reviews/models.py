"""Experts, panels, assignments and scores. Experts exist from the foundation on, so roles are real.

The expert pool (专家库): who the expert is (`Expert`), the industry fields they review (`ExpertField`), the
organisations they must be kept away from (`KeptAway`, 回避单位); and the panels (评审组) of a call.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.choices import Province
from portal.models import Organisation
from projects.models import Call
from projects.models.applications import IndustryField


class Expert(models.Model):
    """One person of the pool.

    `affiliation` is the affiliation as it reads (always filled: what pages and mails show); `organisation`
    is the registry's organisation it is, when it is one, which the conflict-of-interest check compares.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_profile", verbose_name=_("user")
    )
    affiliation = models.CharField(_("affiliation"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="affiliated_experts",
        verbose_name=_("affiliated organisation"),
        help_text=_("The registry's organisation the expert works for, when it is one."),
    )
    kept_away = models.ManyToManyField(
        Organisation,
        through="KeptAway",
        related_name="kept_away_experts",
        blank=True,
        verbose_name=_("organisations kept away from"),
    )
    title = models.CharField(_("professional title"), max_length=100, blank=True)
    speciality = models.CharField(_("speciality"), max_length=200, blank=True)
    province = models.CharField(_("province"), max_length=6, choices=Province.choices, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        # The pool's list filters on these: active experts of a province.
        indexes = [models.Index(fields=["is_active", "province"], name="expert_active_province")]

    def __str__(self) -> str:
        return f"{self.user} ({self.affiliation})"

    @property
    def field_codes(self) -> list[str]:
        """The expert's fields in IndustryField order (from the prefetched rows when there are)."""
        codes = {row.field for row in self.expertise.all()}
        return [value for value in IndustryField.values if value in codes]

    def get_fields_display(self) -> list[str]:
        labels = dict(IndustryField.choices)
        return [labels[code] for code in self.field_codes]


class ExpertField(models.Model):
    """An industry field the expert reviews in: a row per (expert, field).

    A child table rather than a PostgreSQL ArrayField: the portal runs on SQLite by default (`make run`), and
    an indexed `field` column lets the list filter, and the assignment solver join, on either database.
    """

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="expertise", verbose_name=_("expert"))
    field = models.CharField(_("field of expertise"), max_length=30, choices=IndustryField.choices)

    class Meta:
        verbose_name = _("field of expertise")
        verbose_name_plural = _("fields of expertise")
        constraints = [models.UniqueConstraint(fields=["field", "expert"], name="expert_field_unique")]

    def __str__(self) -> str:
        return self.get_field_display()


class KeptAwayReason(models.TextChoices):
    FORMER_EMPLOYER = "former_employer", _("Former employer within three years")
    ADVISES = "advises", _("Advises the organisation")
    OTHER = "other", _("Other")


class KeptAway(models.Model):
    """An organisation the expert must not review for (回避), and why; `until` ends it (a former employer's
    three years), blank for as long as it stands."""

    expert = models.ForeignKey(
        Expert, on_delete=models.CASCADE, related_name="kept_away_rows", verbose_name=_("expert")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="kept_away_rows", verbose_name=_("organisation")
    )
    reason = models.CharField(_("reason"), max_length=20, choices=KeptAwayReason.choices, default=KeptAwayReason.OTHER)
    until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("organisation kept away from")
        verbose_name_plural = _("organisations kept away from")
        constraints = [models.UniqueConstraint(fields=["expert", "organisation"], name="kept_away_unique")]

    def __str__(self) -> str:
        return f"{self.expert} ≠ {self.organisation}"


class Panel(models.Model):
    """A review panel (评审组) of a call in one industry field, with an optional chair (组长)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="panels", verbose_name=_("call"))
    field = models.CharField(_("industry field"), max_length=30, choices=IndustryField.choices)
    name = models.CharField(_("name"), max_length=100)
    chair = models.ForeignKey(
        Expert,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chaired_panels",
        verbose_name=_("chair"),
    )
    members = models.ManyToManyField(
        Expert, through="PanelMembership", related_name="panels", blank=True, verbose_name=_("members")
    )

    class Meta:
        verbose_name = _("panel")
        verbose_name_plural = _("panels")
        ordering = ["call", "field", "name"]
        constraints = [models.UniqueConstraint(fields=["call", "name"], name="panel_name_unique_in_call")]
        indexes = [models.Index(fields=["call", "field"], name="panel_call_field")]

    def __str__(self) -> str:
        return self.name


class PanelMembership(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("panel"))
    expert = models.ForeignKey(
        Expert, on_delete=models.CASCADE, related_name="panel_memberships", verbose_name=_("expert")
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("panel membership")
        verbose_name_plural = _("panel memberships")
        constraints = [
            models.UniqueConstraint(fields=["panel", "expert"], name="panel_membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.expert} @ {self.panel}"
