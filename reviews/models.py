"""Experts, panels, assignments and scores. Experts exist from the foundation on, so roles are real.

The expert pool (专家库): who the expert is (`Expert`), the industry fields they review (`ExpertField`), the
organisations they must be kept away from (`KeptAway`, 回避单位); and the panels (评审组) of a call.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
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
        # Through gettext: brackets are full-width in a Chinese sentence.
        return gettext("%(name)s (%(affiliation)s)") % {"name": self.user, "affiliation": self.affiliation}

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


# --- the review of a call: its settings, rubric, assignments, reviews and scores ------------------------------
class RankBy(models.TextChoices):
    MEAN = "mean", _("Mean of the weighted totals")
    TRIMMED_MEAN = "trimmed_mean", _("Trimmed mean (without the highest and the lowest, from five reviews on)")
    NORMALISED = "normalised", _("Mean of the totals normalised per expert (z-scores)")


class TieBreak(models.TextChoices):
    """What orders applications whose ranking aggregate is equal, applied in turn."""

    RECOMMENDATIONS = "recommendations", _("More experts recommending first, then the earlier submission")
    SUBMISSION = "submission", _("The earlier submission first")


class ReviewSettings(models.Model):
    """The expert review's rules for one call, kept by the review stage (the call itself is `projects`'s).

    Editable until the first review is submitted (`frozen_at`), as the rubric is: a ranking must be explainable
    by rules that did not move while it was made.
    """

    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="review_settings", verbose_name=_("call"))
    reviews_per_application = models.PositiveSmallIntegerField(_("reviews per application"), default=5)
    max_load = models.PositiveSmallIntegerField(_("maximum applications per expert"), default=30)
    due_at = models.DateTimeField(_("reviews due"), null=True, blank=True)
    rank_by = models.CharField(_("ranked by"), max_length=20, choices=RankBy.choices, default=RankBy.TRIMMED_MEAN)
    tie_break = models.CharField(
        _("tie-break"), max_length=20, choices=TieBreak.choices, default=TieBreak.RECOMMENDATIONS
    )
    divergence_threshold = models.DecimalField(
        _("divergence threshold (standard deviation of the totals)"), max_digits=5, decimal_places=2, default=15
    )
    frozen_at = models.DateTimeField(_("frozen"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("review settings")
        verbose_name_plural = _("review settings")

    def __str__(self) -> str:
        return str(self.call)


class Criterion(models.Model):
    """One criterion of a call's rubric (评分标准): by default the notice's four, weighted by the secretariat."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("call"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("what the expert judges"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2)
    max_score = models.PositiveSmallIntegerField(_("maximum score"), default=100)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["call", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "name"], name="criterion_name_unique_in_call"),
            models.CheckConstraint(name="criterion_weight_positive", condition=models.Q(weight__gt=0)),
            models.CheckConstraint(name="criterion_max_score_positive", condition=models.Q(max_score__gt=0)),
        ]

    def __str__(self) -> str:
        return self.name


class AssignmentStatus(models.TextChoices):
    ACTIVE = "active", _("Assigned")
    DECLINED = "declined", _("Declined (conflict of interest declared)")
    REMOVED = "removed", _("Unassigned by the secretariat")


class Assignment(models.Model):
    """An expert asked to review an admitted application. Declined and removed ones stay, for the record and so
    that the solver never proposes that expert for that application again."""

    application = models.ForeignKey(
        "projects.Application", on_delete=models.CASCADE, related_name="assignments", verbose_name=_("application")
    )
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("expert"))
    panel = models.ForeignKey(
        Panel, on_delete=models.SET_NULL, null=True, blank=True, related_name="assignments", verbose_name=_("panel")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.ACTIVE
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("assigned by")
    )
    # The draw's seed when the assignment came from a random draw (also in the audit log with the proposal).
    seed = models.BigIntegerField(_("draw seed"), null=True, blank=True)
    ended_at = models.DateTimeField(_("declined or unassigned"), null=True, blank=True)
    end_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["application", "expert"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "expert"],
                condition=models.Q(status="active"),
                name="assignment_one_active_per_expert",
            )
        ]
        indexes = [
            models.Index(fields=["expert", "status"], name="assignment_expert_status"),
            models.Index(fields=["application", "status"], name="assignment_application_status"),
        ]

    def __str__(self) -> str:
        return f"{self.expert} → {self.application}"


class Reminder(models.Model):
    """A reminder sent about an assignment's due date, once per assignment and day (the job may run twice)."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("assignment")
    )
    sent_on = models.DateField(_("sent on"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [models.UniqueConstraint(fields=["assignment", "sent_on"], name="reminder_once_a_day")]

    def __str__(self) -> str:
        return f"{self.assignment} {self.sent_on}"


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Recommendation(models.TextChoices):
    RECOMMEND = "recommend", _("Recommend (推荐)")
    NOT_RECOMMEND = "not_recommend", _("Do not recommend (不推荐)")


class Review(models.Model):
    """An expert's review of one assignment: a score per criterion, an opinion, a recommendation.

    Saved as a draft, locked once submitted; only the secretariat reopens it, with a reason in the audit log.
    """

    assignment = models.OneToOneField(
        Assignment, on_delete=models.CASCADE, related_name="review", verbose_name=_("assignment")
    )
    status = models.CharField(_("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    opinion = models.TextField(_("overall opinion"), blank=True)
    recommendation = models.CharField(_("recommendation"), max_length=15, choices=Recommendation.choices, blank=True)
    # The weighted total on 100, kept when submitted so that the ranking reads it without the scores.
    total = models.DecimalField(_("weighted total"), max_digits=6, decimal_places=2, null=True, blank=True)
    updated_at = models.DateTimeField(_("saved"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        indexes = [models.Index(fields=["status"], name="review_status")]

    def __str__(self) -> str:
        return str(self.assignment)


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores", verbose_name=_("review"))
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="scores", verbose_name=_("criterion")
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["review", "criterion__position"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_once_per_criterion"),
            models.CheckConstraint(name="score_not_negative", condition=models.Q(score__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class PanelOpinion(models.Model):
    """The panel's opinion on an application, recorded by its chair once every review of it is in."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="opinions", verbose_name=_("panel"))
    application = models.ForeignKey(
        "projects.Application", on_delete=models.CASCADE, related_name="panel_opinions", verbose_name=_("application")
    )
    opinion = models.TextField(_("panel opinion"))
    recorded_by = models.ForeignKey(
        Expert, on_delete=models.PROTECT, related_name="recorded_opinions", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        verbose_name = _("panel opinion")
        verbose_name_plural = _("panel opinions")
        constraints = [
            models.UniqueConstraint(fields=["panel", "application"], name="panel_opinion_once_per_application")
        ]

    def __str__(self) -> str:
        return f"{self.panel}: {self.application}"
