"""Calls for applications (申报批次): their dates, quotas and the extensions granted within them."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Organisation


class CallPhase(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open for applications")
    RECOMMENDING = "recommending", _("Recommendation")
    REVIEWING = "reviewing", _("Formal check and expert review")
    PUBLICITY = "publicity", _("Public notice")
    CLOSED = "closed", _("Closed")


# The longest public notice (30 working days, see projects.services.calls) closes well within this many calendar
# days, whatever holidays it spans; tests/projects/test_call_phase.py checks it against the calendar.
PUBLICITY_BOUND = timedelta(days=60)


def call_attachment_path(instance: "CallAttachment", filename: str) -> str:
    return f"calls/{instance.call_id}/{filename}"


class CallQuerySet(models.QuerySet):
    def published(self) -> "CallQuerySet":
        """The calls the public sees: an unpublished call is the secretariat's draft."""
        return self.filter(published_at__isnull=False)


class Call(models.Model):
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    notice_number = models.CharField(_("notice number"), max_length=60, help_text=_("e.g. 工信厅科函〔2023〕165号"))
    notice_text = models.TextField(_("notice text"), blank=True)
    opens_at = models.DateTimeField(_("submission opens"))
    deadline = models.DateTimeField(_("submission deadline"))
    implementation_cutoff = models.DateField(
        _("implementation cut-off"),
        help_text=_("A standard must have been implemented at least six months before this date."),
    )
    recommendation_deadline = models.DateTimeField(_("recommendation deadline"))
    default_quota = models.PositiveSmallIntegerField(_("default quota per recommender"), default=5)
    publicity_working_days = models.PositiveSmallIntegerField(_("working days of the public notice"), default=5)
    publicity_opens_on = models.DateField(
        _("public notice opens"),
        null=True,
        blank=True,
        help_text=_("First day of the public notice of the shortlist; set when the notice is scheduled."),
    )
    # The public notice's window as scheduled, kept in step by publicity.services.notices (never edited here):
    # once set, the call's phase follows the notice rather than `publicity_opens_on`.
    notice_opens_at = models.DateTimeField(_("public notice opens at"), null=True, blank=True, editable=False)
    notice_closes_at = models.DateTimeField(_("public notice closes at"), null=True, blank=True, editable=False)
    # Set by projects.services.calls.publish_call only (audited); until then the call is the secretariat's draft.
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(name="call_opens_before_deadline", condition=Q(opens_at__lt=F("deadline"))),
            models.CheckConstraint(
                name="call_recommendation_after_deadline", condition=Q(recommendation_deadline__gte=F("deadline"))
            ),
            models.CheckConstraint(name="call_quota_positive", condition=Q(default_quota__gte=1)),
            models.CheckConstraint(name="call_publicity_days_positive", condition=Q(publicity_working_days__gte=1)),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.notice_number}）"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("projects:call_detail", kwargs={"pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def publicity_window(self) -> tuple[datetime, datetime] | None:
        """When the public notice opens and closes (Beijing time), or None while it is not scheduled.

        The scheduled notice's own window when there is one (`notice_opens_at`); otherwise the planned one:
        it opens at midnight of `publicity_opens_on` and runs `publicity_working_days` working days on the
        working-day calendar, closing at midnight after the last one.
        """
        if self.notice_opens_at is not None and self.notice_closes_at is not None:
            return self.notice_opens_at, self.notice_closes_at
        if self.publicity_opens_on is None:
            return None
        from portal.workdays import add_working_days, local_zone

        opens = datetime.combine(self.publicity_opens_on, time.min, tzinfo=local_zone())
        return opens, add_working_days(opens, self.publicity_working_days)

    def phase(self, now: datetime | None = None) -> CallPhase:
        """Derived from the dates, never stored: the call's own, then the public notice's window."""
        now = now or timezone.now()
        if now < self.opens_at:
            return CallPhase.UPCOMING
        if now <= self.deadline:
            return CallPhase.OPEN
        if now <= self.recommendation_deadline:
            return CallPhase.RECOMMENDING
        if self.notice_opens_at is not None and self.notice_closes_at is not None:
            if now < self.notice_opens_at:
                return CallPhase.REVIEWING
            return CallPhase.PUBLICITY if now < self.notice_closes_at else CallPhase.CLOSED
        if self.publicity_opens_on is None:
            return CallPhase.REVIEWING
        opens = datetime.combine(self.publicity_opens_on, time.min, tzinfo=timezone.get_default_timezone())
        if now < opens:
            return CallPhase.REVIEWING
        if now >= opens + PUBLICITY_BOUND:
            return CallPhase.CLOSED  # without counting working days: a list of past calls asks no query per call
        _, closes = self.publicity_window()
        return CallPhase.PUBLICITY if now < closes else CallPhase.CLOSED


class DeadlineExtension(models.Model):
    """A later submission deadline for one applicant group in one call, with the reason it was granted."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="extensions", verbose_name=_("call"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="deadline_extensions", verbose_name=_("social group")
    )
    until = models.DateTimeField(_("extended until"))
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        constraints = [
            models.UniqueConstraint(fields=["call", "organisation"], name="extension_one_per_group_and_call")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.until:%Y-%m-%d %H:%M}"


class RecommenderExtension(models.Model):
    """A later recommendation deadline for one recommender in one call, granted by the secretariat with a reason."""

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="recommender_extensions", verbose_name=_("call")
    )
    recommender = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="recommendation_extensions", verbose_name=_("recommender")
    )
    until = models.DateTimeField(_("extended until"))
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        verbose_name = _("recommendation deadline extension")
        verbose_name_plural = _("recommendation deadline extensions")
        constraints = [
            models.UniqueConstraint(fields=["call", "recommender"], name="recommender_extension_one_per_call")
        ]

    def __str__(self) -> str:
        return f"{self.recommender} → {self.until:%Y-%m-%d %H:%M}"


class QuotaOverride(models.Model):
    """A recommender's own quota in a call, instead of the call's default."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="quota_overrides", verbose_name=_("call"))
    recommender = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="quota_overrides", verbose_name=_("recommender")
    )
    quota = models.PositiveSmallIntegerField(_("quota"))

    class Meta:
        verbose_name = _("quota override")
        verbose_name_plural = _("quota overrides")
        constraints = [
            models.UniqueConstraint(fields=["call", "recommender"], name="quota_one_per_recommender_and_call"),
            models.CheckConstraint(name="quota_override_positive", condition=Q(quota__gte=1)),
        ]

    def __str__(self) -> str:
        return f"{self.recommender}: {self.quota}"


class CallAttachment(models.Model):
    class Kind(models.TextChoices):
        APPLICATION_TEMPLATE = "application_template", _("Application form template (申报书)")
        SUMMARY_TEMPLATE = "summary_template", _("Summary table template (汇总表)")
        OTHER = "other", _("Other")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("call"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=call_attachment_path, max_length=255)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("call attachment")
        verbose_name_plural = _("call attachments")
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.title
