"""Announcements (公告) and the public register of announced demonstration projects."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.choices import Province
from portal.models import Organisation
from projects.models import Application, Call, IndustryField
from standards.models import GroupStandard


class Announcement(models.Model):
    """The ministry's announcement of a call's final list, or an earlier year's list imported as it was published.

    A draft until `published_at` is set by `publicity.services.announcements` (audited); its list versions are
    `PublishedList` rows.
    """

    call = models.OneToOneField(
        Call, on_delete=models.PROTECT, null=True, blank=True, related_name="announcement", verbose_name=_("call")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.CharField(
        _("document number"), max_length=60, unique=True, help_text=_("e.g. 工信部科函〔2023〕333号")
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    imported = models.BooleanField(_("imported from an earlier programme"), default=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-year", "-published_at", "-id"]

    def __str__(self) -> str:
        return f"{self.title}（{self.number}）"

    def get_absolute_url(self) -> str:
        return reverse("publicity:announcement_detail", kwargs={"pk": self.pk})


class AnnouncedProject(models.Model):
    """One demonstration project on the public register, as its announcement published it.

    The names are copied when it is announced (or imported), so the register reads as published even if a
    group renames itself later; the links to the registry are kept where the portal knows the objects.
    """

    announcement = models.ForeignKey(
        Announcement, on_delete=models.PROTECT, related_name="projects", verbose_name=_("announcement")
    )
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="announced_project"
    )
    position = models.PositiveIntegerField(_("number in the list"))
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("project"), max_length=300)
    standard = models.ForeignKey(
        GroupStandard, on_delete=models.PROTECT, null=True, blank=True, related_name="announced_projects"
    )
    standard_number = models.CharField(_("standard number"), max_length=60)
    standard_title = models.CharField(_("standard title"), max_length=300)
    group = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="announced_projects"
    )
    group_name = models.CharField(_("social group"), max_length=200)
    recommender = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recommender_name = models.CharField(_("recommender"), max_length=200, blank=True)
    province = models.CharField(_("province"), max_length=6, choices=Province.choices, blank=True)
    industry_field = models.CharField(_("industry field"), max_length=30, choices=IndustryField.choices, blank=True)
    innovative = models.BooleanField(_("innovative (创新性)"), default=False)
    advanced = models.BooleanField(_("advanced (先进性)"), default=False)
    international = models.BooleanField(_("international (国际性)"), default=False)
    # Upper-cased name, numbers (as published and in canonical characters), title and group: what `?q=` searches,
    # through a trigram GIN index on PostgreSQL (migration 0002), with a plain scan on SQLite.
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("announced project")
        verbose_name_plural = _("announced projects")
        ordering = ["-year", "announcement", "position"]
        constraints = [
            models.UniqueConstraint(fields=["announcement", "position"], name="announced_project_position_unique"),
        ]
        indexes = [
            models.Index(fields=["-year", "announcement", "position"], name="announced_project_list_idx"),
            models.Index(fields=["standard_number"], name="announced_project_number_idx"),
            models.Index(fields=["province", "-year"], name="announced_project_province_idx"),
            models.Index(fields=["industry_field", "-year"], name="announced_project_field_idx"),
            models.Index(fields=["recommender", "-year"], name="announced_project_rec_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("publicity:project_detail", kwargs={"pk": self.pk})

    @property
    def claimed_types(self) -> list[str]:
        from standards.models import ApplicationType

        flags = [
            (self.innovative, ApplicationType.INNOVATIVE),
            (self.advanced, ApplicationType.ADVANCED),
            (self.international, ApplicationType.INTERNATIONAL),
        ]
        return [kind for claimed, kind in flags if claimed]
