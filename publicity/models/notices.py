"""Public notices (公示) of a call's shortlist, and the published lists (of notices and announcements)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from projects.models import Application, Call


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    SCHEDULED = "scheduled", _("Scheduled")
    OPEN = "open", _("Open for objections")
    CLOSED = "closed", _("Closed")


# What the public reads: notices that have opened (a draft or scheduled one is the secretariat's).
PUBLIC_STATUSES = (NoticeStatus.OPEN, NoticeStatus.CLOSED)


class NoticeQuerySet(models.QuerySet):
    def public(self) -> "NoticeQuerySet":
        """What the public reads (PUBLIC_STATUSES)."""
        return self.filter(status__in=PUBLIC_STATUSES)


class Notice(models.Model):
    """The public notice of one call's shortlist: its window on the working-day calendar and its list.

    The status moves only through `publicity.services.notices` and the scheduled job (`publicity.jobs`); the
    list is snapshotted into `PublishedList` when the notice is scheduled, and never changed after.
    """

    call = models.OneToOneField(Call, on_delete=models.PROTECT, related_name="notice", verbose_name=_("call"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text of the notice"))
    contact = models.CharField(
        _("contact for objections"),
        max_length=300,
        help_text=_("Who receives objections, e.g. 科技司标准处，010-68205245，bzc@miit.gov.cn"),
    )
    starts_at = models.DateTimeField(_("opens"))
    working_days = models.PositiveSmallIntegerField(_("working days"), default=5)
    # Computed from the working-day calendar by the services, recomputed when the holidays change.
    ends_at = models.DateTimeField(_("closes"))
    status = models.CharField(_("status"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT)
    scheduled_at = models.DateTimeField(_("scheduled"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    applications = models.ManyToManyField(Application, through="NoticeEntry", related_name="notices")

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(name="notice_ends_after_start", condition=Q(ends_at__gt=models.F("starts_at"))),
            models.CheckConstraint(name="notice_days_positive", condition=Q(working_days__gte=1)),
        ]
        # The job's two questions each minute: which scheduled notices are due to open, which open ones to close.
        indexes = [models.Index(fields=["status", "starts_at"], name="notice_status_start_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("publicity:notice_detail", kwargs={"pk": self.pk})


class NoticeEntry(models.Model):
    """One project a notice lists, in the order of the list."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="entries")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="notice_entries")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["notice", "position"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "application"], name="notice_entry_unique"),
            models.UniqueConstraint(fields=["notice", "position"], name="notice_entry_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.application}"


class PublishedList(models.Model):
    """One version of a published list: the exact bytes of its canonical JSON and their SHA-256.

    Written once by `publicity.lists.publish` and never changed; a correction is the next version.
    """

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, null=True, blank=True, related_name="lists")
    announcement = models.ForeignKey(
        "publicity.Announcement", on_delete=models.PROTECT, null=True, blank=True, related_name="lists"
    )
    version = models.PositiveSmallIntegerField(_("version"))
    content = models.BinaryField(_("canonical JSON"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    entry_count = models.PositiveIntegerField(_("projects"))
    reason = models.TextField(_("reason for the correction"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("published"))

    class Meta:
        verbose_name = _("published list")
        verbose_name_plural = _("published lists")
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(
                name="published_list_of_one_thing",
                condition=Q(notice__isnull=False, announcement__isnull=True)
                | Q(notice__isnull=True, announcement__isnull=False),
            ),
            models.UniqueConstraint(fields=["notice", "version"], name="published_list_notice_version_unique"),
            models.UniqueConstraint(
                fields=["announcement", "version"], name="published_list_announcement_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.version} {self.sha256[:12]}"
